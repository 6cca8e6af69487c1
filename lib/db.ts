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
    throw new Error(`DATABASE_URL "${url.split(':')[0]}:…" is not supported yet; expected "file:" (SQLite)`);
  }
  // busy timeout: the CLI and the web server share the file; a writer waits for the other.
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqlitePath(url), timeout: 5_000 }) });
}

// One client per process; kept on globalThis so Next's module reloading cannot open a second one.
const holder = globalThis as unknown as { firstkeyDb?: PrismaClient };

export function db(): PrismaClient {
  holder.firstkeyDb ??= createClient();
  return holder.firstkeyDb;
}
