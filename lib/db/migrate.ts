import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

// Applies prisma/migrations/*/migration.sql in order, each in its own transaction, and records it in
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

export type MigrationResult = { applied: string[]; alreadyApplied: number };

export function migrationsDir(): string {
  return fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
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

export function migrateSqlite(databaseUrl: string, dir = migrationsDir()): MigrationResult {
  const file = databaseUrl.replace(/^file:/, '');
  ownerOnly(file);
  const sqlite = new Database(file, { timeout: 5_000 });
  try {
    // WAL: the web server and the CLI read and write the same file at once.
    sqlite.pragma('journal_mode = WAL');
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
    const applied: string[] = [];
    for (const migration of listMigrations(dir)) {
      const recorded = done.get(migration.name);
      if (recorded !== undefined) {
        if (recorded !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied (checksum ${migration.checksum.slice(0, 12)}…, recorded ${recorded.slice(0, 12)}…); add a new migration instead`,
          );
        }
        continue;
      }
      const startedAt = prismaTimestamp(new Date());
      sqlite
        .transaction(() => {
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
        })
        .immediate();
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    sqlite.close();
  }
}

export function migrate(databaseUrl: string): MigrationResult {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error('Only SQLite ("file:") databases can be migrated by this version');
  }
  return migrateSqlite(databaseUrl);
}
