import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { migrateSqlite, migrationsDir } from '@/lib/db/migrate';

function tempDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-migrate-'));
  return { dir, url: `file:${path.join(dir, 'data', 'test.db')}` };
}

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('migration runner', () => {
  test('applies every migration once, in WAL mode, recorded the way Prisma records them', () => {
    const { url } = tempDatabase();
    const first = migrateSqlite(url);
    const names = fs.readdirSync(migrationsDir()).filter((name) => fs.existsSync(path.join(migrationsDir(), name, 'migration.sql'))).sort();
    assert.deepEqual(first.applied, names);
    assert.deepEqual(migrateSqlite(url), { applied: [], alreadyApplied: names.length });

    const sqlite = new Database(url.slice('file:'.length));
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal');
    const rows = sqlite.prepare('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name').all() as {
      migration_name: string;
      checksum: string;
      finished_at: string;
    }[];
    for (const [i, row] of rows.entries()) {
      const sql = fs.readFileSync(path.join(migrationsDir(), names[i]!, 'migration.sql'));
      assert.equal(row.checksum, crypto.createHash('sha256').update(sql).digest('hex'));
      assert.match(row.finished_at, /^\d{4}-\d{2}-\d{2}T.*\+00:00$/);
    }
    assert.deepEqual(sqlite.prepare('SELECT seq, hash FROM AuditHead').all(), [{ seq: 0, hash: '0'.repeat(64) }]);
    sqlite.close();
  });

  test('the database and its WAL files are readable by their owner only, in a folder only the owner enters', () => {
    const { url } = tempDatabase();
    const file = url.slice('file:'.length);
    migrateSqlite(url);
    // -wal and -shm exist while a connection is open.
    const sqlite = new Database(file);
    sqlite.exec('UPDATE AuditHead SET seq = seq');
    assert.deepEqual([file, `${file}-wal`, `${file}-shm`, path.dirname(file)].map(mode), ['600', '600', '600', '700']);
    sqlite.close();
  });

  test('a database left world-readable by an older version is made owner-only, WAL files included', () => {
    const { url } = tempDatabase();
    const file = url.slice('file:'.length);
    fs.mkdirSync(path.dirname(file));
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const name of [file, `${file}-wal`, `${file}-shm`]) fs.chmodSync(name, 0o644);
    migrateSqlite(url);
    assert.deepEqual([file, `${file}-wal`, `${file}-shm`].map(mode), ['600', '600', '600']);
    old.close();
  });

  test('a migration edited after it was applied stops the runner with a clear message', () => {
    const { dir, url } = tempDatabase();
    const copy = path.join(dir, 'migrations');
    fs.cpSync(migrationsDir(), copy, { recursive: true });
    migrateSqlite(url, copy);
    const first = fs.readdirSync(copy).filter((name) => !name.endsWith('.toml')).sort()[0]!;
    fs.appendFileSync(path.join(copy, first, 'migration.sql'), '\n-- edited\n');
    assert.throws(() => migrateSqlite(url, copy), new RegExp(`Migration ${first} was changed after it was applied`));
  });

  test('a failing migration is rolled back whole and not recorded', () => {
    const { dir, url } = tempDatabase();
    const copy = path.join(dir, 'migrations');
    fs.cpSync(migrationsDir(), copy, { recursive: true });
    fs.mkdirSync(path.join(copy, '99999999999999_broken'));
    fs.writeFileSync(path.join(copy, '99999999999999_broken', 'migration.sql'), 'CREATE TABLE "Half" (id INTEGER);\nTHIS IS NOT SQL;');
    assert.throws(() => migrateSqlite(url, copy));
    const sqlite = new Database(url.slice('file:'.length));
    assert.deepEqual(sqlite.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'Half'").get(), { n: 0 });
    assert.deepEqual(sqlite.prepare("SELECT COUNT(*) AS n FROM _prisma_migrations WHERE migration_name LIKE '%broken'").get(), { n: 0 });
    sqlite.close();
  });
});
