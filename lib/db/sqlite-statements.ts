import type { Database, Statement } from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { DirectSqlite } from '@/lib/db/sqlite-direct';

// Prisma's better-sqlite3 adapter compiles every statement it runs (`client.prepare(sql)`), the
// same few dozen SQL texts over and over: in a CPU profile of the enrollment bench
// (bench/server.bench.ts) SQLite's prepare was the largest single function. This keeps each
// compiled statement and hands the adapter a fresh binding of it instead. better-sqlite3 runs a
// statement synchronously to completion, so one compiled statement serves every caller in turn.

/** Distinct SQL texts kept (least recently used goes first); the enrollment path uses a few dozen. */
export const MAX_CACHED_STATEMENTS = 500;

type Args = unknown[];

/** The part of a prepared statement the adapter uses (dist/index.mjs: run, bind, reader, columns, raw). */
function boundTo(statement: Statement, args: Args) {
  return {
    reader: statement.reader,
    run: () => statement.run(args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  };
}

function cached(statement: Statement) {
  return {
    /** The compiled statement itself, for lib/db/sqlite-direct.ts. */
    statement,
    reader: statement.reader,
    run: (...args: Args) => statement.run(...args),
    bind: (args: Args) => boundTo(statement, args),
  };
}

/** Makes `client.prepare` reuse compiled statements. */
export function reusePreparedStatements(client: Database): void {
  const prepare = client.prepare.bind(client);
  const statements = new Map<string, Statement>();
  (client as unknown as { prepare: (sql: string) => ReturnType<typeof cached> }).prepare = (
    sql: string,
  ) => {
    let statement = statements.get(sql);
    if (statement) statements.delete(sql);
    else {
      statement = prepare(sql);
      if (statements.size >= MAX_CACHED_STATEMENTS)
        statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return cached(statement);
  };
}

type Query = unknown;
type TransactionSurface = {
  commit(): Promise<void>;
  rollback(): Promise<void>;
  executeRaw(query: Query): Promise<number>;
};
type AdapterSurface = {
  queryRaw(query: Query): Promise<unknown>;
  executeRaw(query: Query): Promise<number>;
  startTransaction(isolationLevel?: string): Promise<TransactionSurface>;
};

/**
 * The adapter has one connection. It takes a lock for transactions only, so a query sent outside a
 * transaction while another request's transaction is open ran *inside* it: it saw that transaction's
 * uncommitted rows, and its write was undone when that transaction rolled back (a challenge marked
 * used could become unused again). Here a query outside a transaction waits until no transaction is
 * open, then runs at once (better-sqlite3 is synchronous, so nothing can open one in between), and
 * transactions take their turn on the same gate.
 */
export function keepQueriesOutOfOpenTransactions(
  adapter: AdapterSurface,
  database: Pick<Database, 'inTransaction' | 'exec'>,
  direct?: DirectSqlite,
): void {
  // Each wait re-checks `open` and acts in the same turn: no await between the check and the act.
  let open: Promise<void> | null = null;
  if (direct) direct.openTransaction = () => open;
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    while (open) await open;
    let end!: () => void;
    const mine = new Promise<void>((resolve) => (end = resolve));
    open = mine;
    const finish = () => {
      if (open === mine) open = null;
      // A transaction client marked for direct statements (lib/db/sqlite-direct.ts) is one no more.
      if (direct) direct.markedTransaction = null;
      end();
    };
    let transaction: TransactionSurface;
    try {
      transaction = await startTransaction(isolationLevel);
    } catch (error) {
      finish();
      throw error;
    }
    // The adapter's commit and rollback only release its lock, once: Prisma runs COMMIT or ROLLBACK
    // first, and calls neither when that statement throws.
    let closed = false;
    const close = (release: () => Promise<void>) => {
      if (closed) return Promise.resolve();
      closed = true;
      return release().finally(finish);
    };
    const commit = transaction.commit.bind(transaction);
    const rollback = transaction.rollback.bind(transaction);
    const executeRaw = transaction.executeRaw.bind(transaction);
    transaction.commit = () => close(commit);
    transaction.rollback = () => close(rollback);
    transaction.executeRaw = async (query: Query) => {
      const ending = endingStatement(query);
      if (!ending) return executeRaw(query);
      try {
        return await executeRaw(query);
      } catch (error) {
        // SQLite can end a transaction itself (a full disk, an I/O error, a trigger's
        // RAISE(ROLLBACK)); Prisma's ROLLBACK then fails, and the lock was never released: every
        // later query waited for ever. A COMMIT that failed and left the transaction open is rolled
        // back. Either way the transaction is over and the lock is released; a failed COMMIT still
        // fails, a ROLLBACK of a transaction already rolled back has done its job.
        try {
          if (database.inTransaction) database.exec('ROLLBACK');
        } catch {
          // Judged just below.
        }
        // A transaction SQLite cannot end keeps the lock: queries wait, rather than run inside it
        // and be lost with it. (Read before the release, after which another may have begun.)
        if (database.inTransaction) throw error;
        await close(rollback);
        if (ending === 'ROLLBACK') return 0;
        throw error;
      }
    };
    return transaction;
  };
  for (const method of ['queryRaw', 'executeRaw'] as const) {
    const run = adapter[method].bind(adapter) as (query: Query) => Promise<never>;
    adapter[method] = async (query: Query) => {
      while (open) await open;
      return run(query);
    };
  }
}

/** COMMIT or ROLLBACK, when `query` is the statement Prisma ends a transaction with. */
function endingStatement(query: Query): 'COMMIT' | 'ROLLBACK' | null {
  const sql = (query as { sql?: unknown } | null)?.sql;
  return sql === 'COMMIT' || sql === 'ROLLBACK' ? sql : null;
}

/**
 * Prisma's better-sqlite3 adapter, reusing its compiled statements. With `direct`, the connection is
 * also handed to lib/db/sqlite-direct.ts once Prisma opens it.
 */
export function sqliteAdapter(
  config: {
    url: string;
    timeout: number;
  },
  direct?: DirectSqlite,
): Pick<PrismaBetterSQLite3, 'provider' | 'adapterName' | 'connect' | 'connectToShadowDb'> {
  const inner = new PrismaBetterSQLite3(config);
  const withCache = async <T>(connecting: Promise<T>): Promise<T> => {
    const adapter = await connecting;
    const client = (adapter as unknown as { client?: Database }).client;
    if (typeof client?.prepare !== 'function')
      throw new Error(
        'The better-sqlite3 adapter no longer exposes its client: see lib/db/sqlite-statements.ts',
      );
    // An answer that said a link was used or a passkey saved stays true after a power cut: each commit
    // is on disk before it returns. SQLite's default for a WAL database, as better-sqlite3 builds it,
    // is NORMAL, which may lose the last commits when the machine (not the process) stops.
    client.pragma('synchronous = FULL');
    reusePreparedStatements(client);
    keepQueriesOutOfOpenTransactions(adapter as unknown as AdapterSurface, client, direct);
    return adapter;
  };
  return {
    provider: inner.provider,

    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await withCache(inner.connect());
      if (direct) {
        const database = (adapter as unknown as { client: Database }).client;
        direct.statements = (sql) =>
          (database.prepare as unknown as (sql: string) => { statement: Statement }).call(
            database,
            sql,
          ).statement;
        direct.database = database;
      }
      return adapter;
    },
    connectToShadowDb: () => withCache(inner.connectToShadowDb()),
  };
}
