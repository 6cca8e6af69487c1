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
    return adapter;
  };
  return {
    provider: inner.provider,

    adapterName: inner.adapterName,
    connect: () => withCache(inner.connect()),
    connectToShadowDb: () => withCache(inner.connectToShadowDb()),
  };
}
