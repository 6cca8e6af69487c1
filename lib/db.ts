import 'server-only';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { env } from '@/lib/env';

export type Db = PrismaClient;
/** The client handed to `db.$transaction(async (tx) => …)` callbacks. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Either the client or a transaction: functions that must join the caller's transaction take this. */
export type DbOrTx = PrismaClient | Tx;

function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}

function createClient(): PrismaClient {
  const url = env().databaseUrl;
  if (!url.startsWith('file:')) {
    throw new Error(
      `DATABASE_URL "${url.split(':')[0]}:…" is not supported yet; expected "file:" (SQLite)`,
    );
  }
  // Busy timeout: the CLI and the web server share the file; a writer waits (up to 15 s, far longer
  // than any of our transactions) for the other instead of failing.
  return new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: sqlitePath(url), timeout: 15_000 }),
  });
}

// One client per process; kept on globalThis so Next's module reloading cannot open a second one.
const holder = globalThis as unknown as { firstkeyDb?: PrismaClient };

export function db(): PrismaClient {
  holder.firstkeyDb ??= createClient();
  return holder.firstkeyDb;
}

/**
 * Every state change runs in one of these. Its first statement takes the database's write lock
 * (SQLite: like BEGIN IMMEDIATE, waiting up to the busy timeout for another process such as the CLI;
 * PostgreSQL: the audit head's row lock), so a transaction never reads a snapshot it then cannot
 * write on top of. Serialized writers wait their turn instead of failing: hence the generous limits.
 */
export function writeTransaction<T>(client: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return client.$transaction(
    async (tx) => {
      await tx.$executeRaw`UPDATE "AuditHead" SET "seq" = "seq" WHERE "id" = 1`;
      return work(tx);
    },
    { maxWait: 15_000, timeout: 20_000 },
  );
}

/** Runs `work` in the caller's transaction when given one, else in a new write transaction. */
export function inTransaction<T>(client: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return '$transaction' in client ? writeTransaction(client as Db, work) : work(client);
}
