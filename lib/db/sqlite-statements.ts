import type { Database, Statement } from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

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
type TransactionSurface = { commit(): Promise<void>; rollback(): Promise<void> };
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
export function keepQueriesOutOfOpenTransactions(adapter: AdapterSurface): void {
  // Each wait re-checks `open` and acts in the same turn: no await between the check and the act.
  let open: Promise<void> | null = null;
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    while (open) await open;
    let end!: () => void;
    const mine = new Promise<void>((resolve) => (end = resolve));
    open = mine;
    const finish = () => {
      if (open === mine) open = null;
      end();
    };
    let transaction: TransactionSurface;
    try {
      transaction = await startTransaction(isolationLevel);
    } catch (error) {
      finish();
      throw error;
    }
    const commit = transaction.commit.bind(transaction);
    const rollback = transaction.rollback.bind(transaction);
    transaction.commit = () => commit().finally(finish);
    transaction.rollback = () => rollback().finally(finish);
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

/** Prisma's better-sqlite3 adapter, reusing its compiled statements. */
export function sqliteAdapter(config: {
  url: string;
  timeout: number;
}): Pick<PrismaBetterSQLite3, 'provider' | 'adapterName' | 'connect' | 'connectToShadowDb'> {
  const inner = new PrismaBetterSQLite3(config);
  const withCache = async <T>(connecting: Promise<T>): Promise<T> => {
    const adapter = await connecting;
    const client = (adapter as unknown as { client?: Database }).client;
    if (typeof client?.prepare !== 'function')
      throw new Error(
        'The better-sqlite3 adapter no longer exposes its client: see lib/db/sqlite-statements.ts',
      );
    reusePreparedStatements(client);
    keepQueriesOutOfOpenTransactions(adapter as unknown as AdapterSurface);
    return adapter;
  };
  return {
    provider: inner.provider,

    adapterName: inner.adapterName,
    connect: () => withCache(inner.connect()),
    connectToShadowDb: () => withCache(inner.connectToShadowDb()),
  };
}
