import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { projectRoot } from '@/lib/project-root';

// Applies prisma/migrations/*/migration.sql (SQLite) or prisma/migrations-postgresql/*/migration.sql
// (PostgreSQL) in order, each in its own transaction, and records it in
// Prisma's own `_prisma_migrations` table with Prisma's checksum (SHA-256 of the file), so a standard
// `prisma migrate deploy` can take over wherever Prisma's engine binaries are available.
// Why not `prisma migrate deploy` itself: it needs binaries that are downloaded at first use.

const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Prisma's own DDL for the table on PostgreSQL (what `prisma migrate deploy` creates). */
const PRISMA_MIGRATIONS_TABLE_POSTGRESQL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * The session-level advisory lock every instance takes before migrating: N instances starting
 * together migrate one after the other, and all but the first find nothing left to apply. The key is
 * an arbitrary constant (the bytes of "firstkey" read as a bigint) that no other lock in Firstkey uses.
 */
export const MIGRATION_LOCK_KEY = '7379555304623269241';

export type MigrationResult = { applied: string[]; alreadyApplied: number };

export function migrationsDir(): string {
  return path.join(projectRoot(), 'prisma', 'migrations');
}

export function postgresMigrationsDir(): string {
  return path.join(projectRoot(), 'prisma', 'migrations-postgresql');
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

function listMigrations(dir: string) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return {
        name,
        sql: sql.toString('utf8'),
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Prisma writes its timestamps as ISO 8601 with an explicit offset; so do we. */
function prismaTimestamp(at: Date): string {
  return at.toISOString().replace('Z', '+00:00');
}

/**
 * The database holds every hire's personal data and the audit trail: readable by the server's own
 * user only, like the keys in lib/secrets.ts. SQLite creates the -wal and -shm files with the mode of
 * the database file, so creating that one 0600 covers them; files an older version left readable to
 * others are tightened. A folder we create is 0700; an existing one is the operator's to set.
 */
function ownerOnly(file: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(name) && (fs.statSync(name).mode & 0o077) !== 0) fs.chmodSync(name, 0o600);
  }
}

const BUSY_TIMEOUT_MS = 5_000;

/**
 * WAL: the web server and the CLI read and write the same file at once. Switching a new file to WAL
 * needs it to itself, and when several processes switch it at the same moment SQLite answers "database
 * is locked" at once, without waiting out the busy timeout (seen with 8 processes starting together
 * on a new database: 2 of 240 failed). So this waits and tries again, for as long as that timeout.
 */
function switchToWal(sqlite: Database.Database) {
  const until = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    let mode: unknown;
    try {
      mode = sqlite.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw error;
    }
    if (mode === 'wal') return;
    if (Date.now() > until)
      throw new Error(
        `SQLite could not switch the database to WAL (journal mode "${String(mode)}")`,
      );
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

export function migrateSqlite(databaseUrl: string, dir = migrationsDir()): MigrationResult {
  const file = databaseUrl.replace(/^file:/, '');
  ownerOnly(file);
  const sqlite = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    switchToWal(sqlite);
    sqlite.exec(PRISMA_MIGRATIONS_TABLE);
    const done = new Map(
      (
        sqlite
          .prepare(
            'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
          )
          .all() as { migration_name: string; checksum: string }[]
      ).map((row) => [row.migration_name, row.checksum]),
    );
    const findRecorded = sqlite.prepare(
      'SELECT checksum FROM _prisma_migrations WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied: string[] = [];
    let appliedMeanwhile = 0;
    for (const migration of listMigrations(dir)) {
      const recorded = done.get(migration.name);
      if (recorded !== undefined) {
        checkUnchanged(migration, recorded);
        continue;
      }
      // Looked up again under the write lock (BEGIN IMMEDIATE), and applied only if still missing:
      // processes started together on a new database (N instances, a script running N CLI
      // commands) all find it missing above, and the first to get the lock applies it for all.
      const isNew = sqlite
        .transaction(() => {
          const row = findRecorded.get(migration.name) as { checksum: string } | undefined;
          if (row) {
            checkUnchanged(migration, row.checksum);
            return false;
          }
          const startedAt = prismaTimestamp(new Date());
          sqlite.exec(migration.sql);
          sqlite
            .prepare(
              'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
            )
            .run(
              crypto.randomUUID(),
              migration.checksum,
              prismaTimestamp(new Date()),
              migration.name,
              startedAt,
            );
          return true;
        })
        .immediate();
      if (isNew) applied.push(migration.name);
      else appliedMeanwhile += 1;
    }
    return { applied, alreadyApplied: done.size + appliedMeanwhile };
  } finally {
    sqlite.close();
  }
}

function checkUnchanged(migration: { name: string; checksum: string }, recorded: string) {
  if (recorded !== migration.checksum) {
    throw new Error(
      `Migration ${migration.name} was changed after it was applied (checksum ${migration.checksum.slice(0, 12)}…, recorded ${recorded.slice(0, 12)}…); add a new migration instead`,
    );
  }
}

export async function migratePostgres(
  databaseUrl: string,
  dir = postgresMigrationsDir(),
): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Waits for any other instance's run to finish; released below, or by the server if we die.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(PRISMA_MIGRATIONS_TABLE_POSTGRESQL);
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
      const done = new Map(rows.map((row) => [row.migration_name, row.checksum]));
      const applied: string[] = [];
      for (const migration of listMigrations(dir)) {
        const recorded = done.get(migration.name);
        if (recorded !== undefined) {
          checkUnchanged(migration, recorded);
          continue;
        }
        const startedAt = new Date();
        await client.query('BEGIN');
        try {
          // No parameters: the simple query protocol, which runs a file of several statements.
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, $5, 1)',
            [crypto.randomUUID(), migration.checksum, new Date(), migration.name, startedAt],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

export async function migrate(databaseUrl: string): Promise<MigrationResult> {
  if (isPostgresUrl(databaseUrl)) return migratePostgres(databaseUrl);
  if (!databaseUrl.startsWith('file:')) {
    throw new Error(
      `DATABASE_URL "${databaseUrl.split(':')[0]}:…" is not supported; expected "file:" (SQLite) or "postgresql://"`,
    );
  }
  return migrateSqlite(databaseUrl);
}
