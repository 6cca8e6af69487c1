import type { Database, Statement } from 'better-sqlite3';

// Raw statements (`$queryRaw` / `$executeRaw`) on SQLite, run by better-sqlite3 itself instead of
// through Prisma's client. Prisma sends each raw statement through its request pipeline and query
// compiler: measured here, ~0.19-0.27 ms of CPU per statement against ~0.012 ms for the statement
// itself, and an enrollment runs ~55 of them (bench/enrollment.bench.ts), most of it in the few
// transactions that hold the write lock. Same connection, same statements, same values written
// (Dates as Prisma's adapter writes them), same values read (typed by their declared column types,
// as Prisma's adapter and client type them). Which transaction a statement joins is never guessed:
//   - on the client (no transaction): it waits, as Prisma's own statements do, until no transaction
//     is open (lib/db/sqlite-statements.ts), then runs at once;
//   - on a transaction: only while that very transaction is the open one (writeTransaction marks it,
//     the commit or rollback unmarks it); otherwise, e.g. a transaction Prisma already rolled back
//     after its timeout, the statement goes to Prisma, which refuses it.
// PostgreSQL is unchanged: its statements go through Prisma.

/** What `withDirectStatements` needs from the adapter's connection, shared by every module copy. */
export type DirectSqlite = {
  database: Database | null;
  /** A promise while a transaction is open (the gate in lib/db/sqlite-statements.ts). */
  openTransaction: () => Promise<void> | null;
  /** The transaction client whose transaction is open, if it was marked (writeTransaction). */
  markedTransaction: object | null;
  statements: (sql: string) => Statement;
};

const DIRECT = Symbol.for('firstkey.sqliteDirect');

type SqlLike = { sql: string; values: unknown[] };
type RawCall = (
  this: unknown,
  query: TemplateStringsArray | SqlLike,
  ...values: unknown[]
) => Promise<unknown>;

export function directOf(client: object): DirectSqlite | undefined {
  return (client as { [DIRECT]?: DirectSqlite })[DIRECT];
}

export function attachDirect(client: object, direct: DirectSqlite): void {
  Object.defineProperty(client, DIRECT, { value: direct });
}

function isSqlLike(value: unknown): value is SqlLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SqlLike).sql === 'string' &&
    Array.isArray((value as SqlLike).values)
  );
}

/** A value as Prisma's better-sqlite3 adapter binds it (its mapArg, timestampFormat iso8601). */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** A column's value as Prisma returns it from a raw query, by the column's declared type. */
function typed(value: unknown, declared: string | null): unknown {
  if (value === null) return null;
  const type = declared?.toUpperCase() ?? null;
  switch (type) {
    case 'DATETIME':
    case 'TIMESTAMP':
      return typeof value === 'string' ? new Date(value) : new Date(Number(value));
    case 'BOOLEAN':
      return Number(value) !== 0;
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'INTEGER':
    case 'SERIAL':
    case 'INT2':
      return typeof value === 'bigint' ? Number(value) : Math.trunc(Number(value));
    case 'BLOB':
      return value instanceof Uint8Array ? new Uint8Array(value) : value;
    default:
      // BIGINT and expressions (COUNT(*)) stay bigint, as Prisma returns them; text and reals as read.
      return value;
  }
}

function run(direct: DirectSqlite, kind: 'query' | 'execute', query: SqlLike): unknown {
  const statement = direct.statements(query.sql);
  const args = query.values.map(bindable);
  if (kind === 'execute' || !statement.reader) {
    const changes = statement.run(args).changes;
    return kind === 'execute' ? changes : [];
  }
  const columns = statement.columns();
  const rows = statement.raw(true).all(args) as unknown[][];
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    columns.forEach((column, index) => (record[column.name] = typed(row[index], column.type)));
    return record;
  });
}

type Build = (strings: TemplateStringsArray, ...values: unknown[]) => SqlLike;

/** Runs `sql` directly once no transaction is open (no await between that check and the run). */
async function runOutsideTransactions(
  direct: DirectSqlite,
  kind: 'query' | 'execute',
  sql: SqlLike,
): Promise<unknown> {
  for (let open = direct.openTransaction(); open; open = direct.openTransaction()) await open;
  return run(direct, kind, sql);
}

/**
 * The base client's raw statements run directly (Prisma's other calls are untouched). Prisma's
 * transaction clients read these methods through the base client: called on one of them (`this` is
 * not the client), they are Prisma's own, in that transaction.
 */
export function directRawStatements(
  client: { $queryRaw: RawCall; $executeRaw: RawCall },
  direct: DirectSqlite,
  build: Build,
): void {
  for (const [method, kind] of [
    ['$queryRaw', 'query'],
    ['$executeRaw', 'execute'],
  ] as const) {
    const original = client[method];
    client[method] = async function (this: unknown, query, ...values) {
      if (this !== client || !direct.database) return original.call(this, query, ...values);
      const sql = isSqlLike(query) ? query : build(query, ...values);
      return runOutsideTransactions(direct, kind, sql);
    };
  }
}

/**
 * A transaction client whose raw statements run directly while its transaction is the open one;
 * marks it so (the gate unmarks it at commit or rollback). Everything else is Prisma's transaction
 * client, and so are its raw statements once its transaction is no longer the open one.
 */
export function directTransaction<T extends object>(tx: T, direct: DirectSqlite, build: Build): T {
  const target = tx as T & { $queryRaw: RawCall; $executeRaw: RawCall };
  const wrap =
    (method: '$queryRaw' | '$executeRaw', kind: 'query' | 'execute'): RawCall =>
    async (query, ...values) => {
      const sql = isSqlLike(query) ? query : build(query, ...values);
      if (direct.markedTransaction === tx && direct.database?.inTransaction)
        return run(direct, kind, sql);
      return target[method].call(tx, query, ...values);
    };
  const query = wrap('$queryRaw', 'query');
  const execute = wrap('$executeRaw', 'execute');
  direct.markedTransaction = tx;
  return new Proxy(target, {
    get(object, property) {
      if (property === '$queryRaw') return query;
      if (property === '$executeRaw') return execute;
      return Reflect.get(object, property) as unknown;
    },
  });
}

/**
 * The field a SQLite unique violation names ("UNIQUE constraint failed: Passkey.credentialId"), for
 * errors from statements run here; null for anything else.
 */
export function sqliteUniqueViolation(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as Error & { code?: unknown }).code;
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return null;
  const field = /constraint failed: ([^,\s]+)/.exec(error.message)?.[1];
  return field?.split('.').pop() ?? 'unknown';
}
