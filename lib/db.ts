import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '@/lib/generated/prisma-postgresql/client';
import { Prisma } from '@/lib/generated/prisma/client';
import { env } from '@/lib/env';
import { sqliteAdapter } from '@/lib/db/sqlite-statements';
import {
  attachDirect,
  directOf,
  directRawStatements,
  directTransaction,
  type DirectSqlite,
} from '@/lib/db/sqlite-direct';

export type Db = PrismaClient;
/** The client handed to `db.$transaction(async (tx) => …)` callbacks. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Either the client or a transaction: functions that must join the caller's transaction take this. */
export type DbOrTx = PrismaClient | Tx;

export type DatabaseKind = 'sqlite' | 'postgresql';

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(
    `DATABASE_URL "${url.split(':')[0]}:…" is not supported; expected "file:" (SQLite) or "postgresql://"`,
  );
}

// Marked on the client itself under a registered symbol, not in a module-local map: Next.js bundles
// this module into several chunks (and the compiled server has its own copy), each with its own
// module state, while the one client is shared through globalThis (db() below).
const KIND = Symbol.for('firstkey.databaseKind');

/**
 * A client for `url`. A Prisma client is compiled for one provider, so PostgreSQL has its own
 * generated client (scripts/pg-schema.mjs) with the same models; it is typed as the SQLite one, whose
 * API is the common subset. The one PostgreSQL-only filter option, `mode`, is added by
 * `containsIgnoringCase`/`startsWithIgnoringCase` below and nowhere else.
 */
export function createClient(url: string): PrismaClient {
  const kind = databaseKind(url);
  let client: PrismaClient;
  if (kind === 'postgresql') {
    // allowExitOnIdle: a CLI command or a test file exits when its work is done, without waiting
    // for the pool's idle connections to time out.
    const adapter = new PrismaPg({ connectionString: url, allowExitOnIdle: true });
    client = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  } else {
    // Busy timeout: the CLI and the web server share the file; a writer waits (up to 15 s, far
    // longer than any of our transactions) for the other instead of failing. Compiled statements
    // are reused (lib/db/sqlite-statements.ts).
    // Raw statements run on better-sqlite3 directly (lib/db/sqlite-direct.ts).
    const direct: DirectSqlite = {
      database: null,
      openTransaction: () => null,
      markedTransaction: null,
      statements: () => {
        throw new Error('The SQLite connection is not open yet');
      },
    };
    client = new PrismaClient({
      adapter: sqliteAdapter({ url: url.replace(/^file:/, ''), timeout: 15_000 }, direct),
    });
    directRawStatements(client as never, direct, Prisma.sql);
    attachDirect(client, direct);
  }
  Object.defineProperty(client, KIND, { value: kind });
  return client;
}

/** Which database a client from `createClient` talks to. */
export function clientKind(client: Db): DatabaseKind {
  const kind = (client as unknown as { [KIND]?: DatabaseKind })[KIND];
  if (!kind) throw new Error('clientKind: not a client made by createClient');
  return kind;
}

/**
 * Text filters that ignore case the same way on both databases. Prisma's `contains`/`startsWith`
 * compile to LIKE: SQLite's ignores (ASCII) case by itself and refuses `mode`; PostgreSQL's does not,
 * so there they need `mode: 'insensitive'` (ILIKE). Neither escapes `%` and `_` (both databases treat
 * them as wildcards alike); emails are stored lower-cased (zod at every boundary), so an email is
 * compared with a lower-cased query and no mode at all.
 */
export function containsIgnoringCase(client: Db, text: string): Prisma.StringFilter {
  return { contains: text, ...insensitive(client) };
}
export function startsWithIgnoringCase(client: Db, text: string): Prisma.StringFilter {
  return { startsWith: text, ...insensitive(client) };
}
function insensitive(client: Db): Prisma.StringFilter {
  // Typed as the SQLite client's filter, which has no `mode`: the cast is this one place.
  return (
    clientKind(client) === 'postgresql' ? { mode: 'insensitive' } : {}
  ) as Prisma.StringFilter;
}

// One client per process; kept on globalThis so Next's module reloading cannot open a second one.
const holder = globalThis as unknown as { firstkeyDb?: PrismaClient };

export function db(): PrismaClient {
  holder.firstkeyDb ??= createClient(env().databaseUrl);
  return holder.firstkeyDb;
}

/** How often a write transaction that PostgreSQL aborted (deadlock, serialization) is run again. */
export const WRITE_TRANSACTION_ATTEMPTS = 3;

/**
 * PostgreSQL aborted the transaction so that another could proceed (40001 serialization failure,
 * 40P01 deadlock): running it again is safe, since nothing of it was committed.
 */
export function isRetryableConflict(error: unknown): boolean {
  type Cause = { originalCode?: string } | undefined;
  let cause: Cause;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2034') return true;
    cause = (error.meta as { driverAdapterError?: { cause?: Cause } })?.driverAdapterError?.cause;
  } else if (error instanceof Error && error.name === 'DriverAdapterError') {
    // An error Prisma has no code for, raised by a model query inside an interactive transaction
    // (a deadlock among them), reaches us as the driver adapter threw it.
    cause = (error as Error & { cause?: Cause }).cause;
  }
  return cause?.originalCode === '40001' || cause?.originalCode === '40P01';
}

/**
 * Every state change runs in one of these. Its first statement takes the database's write lock
 * (SQLite: like BEGIN IMMEDIATE, waiting up to the busy timeout for another process such as the CLI;
 * PostgreSQL: the audit head's row lock, held to the end of the transaction, so writers of every
 * instance run one after another and each reads, in READ COMMITTED, what the previous one committed).
 * A transaction therefore never reads a snapshot it then cannot write on top of. Serialized writers
 * wait their turn instead of failing: hence the generous limits. Should PostgreSQL still abort one
 * (a deadlock with a write outside these), it runs again, a bounded number of times.
 */
export async function writeTransaction<T>(client: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.$transaction(
        async (prismaTx) => {
          // SQLite: this transaction's raw statements run directly while it is open.
          const direct = directOf(client);
          const tx = direct ? directTransaction(prismaTx, direct, Prisma.sql) : prismaTx;
          await tx.$executeRaw`UPDATE "AuditHead" SET "seq" = "seq" WHERE "id" = 1`;
          return work(tx);
        },
        { maxWait: 15_000, timeout: 20_000 },
      );
    } catch (error) {
      if (attempt >= WRITE_TRANSACTION_ATTEMPTS || !isRetryableConflict(error)) throw error;
    }
  }
}

/** Runs `work` in the caller's transaction when given one, else in a new write transaction. */
export function inTransaction<T>(client: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return '$transaction' in client ? writeTransaction(client as Db, work) : work(client);
}
