import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyAuditChain, type AuditVerification } from '@/lib/audit/verify';
import { createClient, databaseKind } from '@/lib/db';

// `firstkey backup`. SQLite: an online copy through SQLite's backup API (the server may keep writing;
// the copy is one consistent snapshot), made a single self-contained file and checked before it is
// reported good. PostgreSQL: the database server's own tool does it better than we could, so the
// command prints the exact `pg_dump` and restore commands for this DATABASE_URL instead.

export type SqliteBackup = {
  ok: true;
  database: 'sqlite';
  file: string;
  bytes: number;
  integrity: 'ok';
  audit: Extract<AuditVerification, { ok: true }>;
  restore: string[];
};
export type PostgresBackup = {
  ok: true;
  database: 'postgresql';
  backup: string;
  restore: string[];
  note: string;
};
export type BackupRefused = { ok: false; message: string };

export async function backupDatabase(
  databaseUrl: string,
  out: string,
): Promise<SqliteBackup | PostgresBackup | BackupRefused> {
  const file = path.resolve(out);
  if (fs.existsSync(file)) return { ok: false, message: `${file} exists; name a new file` };
  if (databaseKind(databaseUrl) === 'postgresql') return pgDumpCommands(databaseUrl, file);
  return backupSqlite(databaseUrl.replace(/^file:/, ''), file);
}

async function backupSqlite(source: string, file: string): Promise<SqliteBackup | BackupRefused> {
  if (!fs.existsSync(source)) return { ok: false, message: `No SQLite database at ${source}` };
  if (!fs.existsSync(path.dirname(file)))
    return { ok: false, message: `No folder ${path.dirname(file)} for the backup` };
  const live = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // All remaining pages in each step: a step is one read snapshot (in WAL mode writers go on
    // meanwhile), whereas small steps would start over whenever another process writes in between.
    await live.backup(file, { progress: ({ remainingPages }) => Math.max(remainingPages, 1) });
  } finally {
    live.close();
  }
  // It holds hashes and sealed secrets: owner only, like the database itself.
  fs.chmodSync(file, 0o600);
  const copy = new Database(file);
  let integrity: unknown;
  try {
    // The copy of a WAL database is in WAL mode too; a backup is one file that a restore copies.
    copy.pragma('journal_mode = DELETE');
    integrity = copy.pragma('integrity_check', { simple: true });
  } finally {
    copy.close();
  }
  const fail = (problem: string): BackupRefused => {
    fs.rmSync(file, { force: true });
    return { ok: false, message: `The backup failed its check and was removed: ${problem}` };
  };
  if (integrity !== 'ok') return fail(`integrity_check: ${String(integrity)}`);
  const client = createClient(`file:${file}`);
  let audit: AuditVerification;
  try {
    audit = await verifyAuditChain(client);
  } finally {
    await client.$disconnect();
  }
  if (!audit.ok) return fail(`audit chain broken at event ${audit.brokenAt}: ${audit.problem}`);
  return {
    ok: true,
    database: 'sqlite',
    file,
    bytes: fs.statSync(file).size,
    integrity: 'ok',
    audit,
    restore: [
      'Stop every Firstkey process that uses the database (the server, any CLI).',
      `cp ${shellQuote(file)} ${shellQuote(source)} && rm -f ${shellQuote(`${source}-wal`)} ${shellQuote(`${source}-shm`)}`,
      'npx firstkey audit verify',
    ],
  };
}

/** Connection parameters libpq (pg_dump, pg_restore, psql) understands; Prisma's own are dropped. */
const LIBPQ_PARAMETERS = new Set([
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslcrl',
  'application_name',
  'connect_timeout',
  'options',
  'target_session_attrs',
  'host',
  'port',
]);

/**
 * The commands for this PostgreSQL URL, without its password (pg_dump reads PGPASSWORD or
 * ~/.pgpass): a custom-format dump, which is consistent however busy the database is (one
 * repeatable-read snapshot), and how to restore it into a new database and check it.
 */
export function pgDumpCommands(databaseUrl: string, file: string): PostgresBackup {
  const url = new URL(databaseUrl);
  const hadPassword = url.password !== '';
  url.password = '';
  for (const key of [...url.searchParams.keys()])
    if (!LIBPQ_PARAMETERS.has(key)) url.searchParams.delete(key);
  const source = url.toString();
  const name = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const target = new URL(source);
  target.pathname = `/${encodeURIComponent(`${name}_restored`)}`;
  return {
    ok: true,
    database: 'postgresql',
    backup: `pg_dump --format=custom --no-owner --file=${shellQuote(file)} --dbname=${shellQuote(source)}`,
    restore: [
      `createdb --maintenance-db=${shellQuote(source)} ${shellQuote(`${name}_restored`)}`,
      `pg_restore --no-owner --exit-on-error --dbname=${shellQuote(target.toString())} ${shellQuote(file)}`,
      `DATABASE_URL=${shellQuote(target.toString())} npx firstkey audit verify`,
      'Then point every instance\u2019s DATABASE_URL at the restored database and restart them.',
    ],
    note: hadPassword
      ? 'The password is left out of DATABASE_URL here: give it to pg_dump in PGPASSWORD or ~/.pgpass.'
      : 'pg_dump runs on any machine that reaches the database; nothing of Firstkey is needed for it.',
  };
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
