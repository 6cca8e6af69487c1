// test-databases: sqlite
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import {
  MAX_CACHED_STATEMENTS,
  reusePreparedStatements,
  sqliteAdapter,
} from '@/lib/db/sqlite-statements';

type Adapted = {
  reader: boolean;
  run: (...args: unknown[]) => { changes: number };
  bind: (args: unknown[]) => {
    reader: boolean;
    run: () => { changes: number };
    columns: () => { name: string }[];
    raw: () => { all: () => unknown[][] };
  };
};

function client() {
  const db = new Database(':memory:');
  let compiled = 0;
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    compiled++;
    return prepare(sql);
  }) as typeof db.prepare;
  reusePreparedStatements(db);
  return {
    db,
    prepare: (sql: string) => db.prepare(sql) as unknown as Adapted,
    compiled: () => compiled,
  };
}

test('each SQL text is compiled once; every binding gets its own arguments and rows', () => {
  const { prepare, compiled } = client();
  prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)').run();
  for (const name of ['a', 'b', 'c'])
    assert.equal(prepare('INSERT INTO t (name) VALUES (?)').bind([name]).run().changes, 1);
  const select = 'SELECT id, name FROM t WHERE name = ?';
  const first = prepare(select).bind(['b']);
  const second = prepare(select).bind(['c']);
  assert.equal(first.reader, true);
  assert.deepEqual(
    first.columns().map((column) => column.name),
    ['id', 'name'],
  );
  assert.deepEqual(second.raw().all(), [[3, 'c']]);
  assert.deepEqual(first.raw().all(), [[2, 'b']]);
  assert.equal(prepare('INSERT INTO t (name) VALUES (?)').bind(['d']).reader, false);
  // CREATE, INSERT, SELECT.
  assert.equal(compiled(), 3);
});

test('a failing statement throws as before, and the cache stays bounded', () => {
  const { prepare, compiled } = client();
  prepare('CREATE TABLE u (id INTEGER PRIMARY KEY)').run();
  prepare('INSERT INTO u (id) VALUES (?)').bind([1]).run();
  assert.throws(() => prepare('INSERT INTO u (id) VALUES (?)').bind([1]).run(), /UNIQUE/);
  assert.throws(() => prepare('SELECT nope FROM u'), /no such column/);
  for (let index = 0; index < MAX_CACHED_STATEMENTS + 10; index++)
    prepare(`SELECT ${index} FROM u`).bind([]).raw().all();
  const before = compiled();
  // The oldest texts were dropped (compiled again); the newest are still kept.
  prepare('SELECT 0 FROM u');
  prepare(`SELECT ${MAX_CACHED_STATEMENTS + 9} FROM u`);
  assert.equal(compiled(), before + 1);
});

test("a query outside a transaction never runs inside another request's open transaction", async () => {
  // The adapter has one connection. A challenge is marked used outside any transaction while another
  // request's transaction is open and then rolls back: the mark must survive, and a read outside must
  // not see the open transaction's rows.
  const adapter = await sqliteAdapter({ url: ':memory:', timeout: 5_000 }).connect();
  const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });
  const numbers = (rows: unknown[][]) => rows.map((row) => row.map(Number));
  await adapter.executeRaw(sql('CREATE TABLE challenge (id INTEGER PRIMARY KEY, used INTEGER)'));
  await adapter.executeRaw(sql('INSERT INTO challenge (id, used) VALUES (1, 0)'));

  const other = await adapter.startTransaction();
  await other.executeRaw(sql('INSERT INTO challenge (id, used) VALUES (2, 0)'));
  const seen = adapter.queryRaw(sql('SELECT id FROM challenge ORDER BY id'));
  const spent = adapter.executeRaw(sql('UPDATE challenge SET used = 1 WHERE id = 1 AND used = 0'));
  // The other request fails and rolls back.
  await other.executeRaw(sql('ROLLBACK'));
  await other.rollback();

  assert.equal(await spent, 1);
  assert.deepEqual(numbers((await seen).rows), [[1]]);
  const after = await adapter.queryRaw(sql('SELECT id, used FROM challenge ORDER BY id'));
  assert.deepEqual(numbers(after.rows), [[1, 1]]);
  await adapter.dispose();
});

test('every commit is on disk before it returns: the connection runs with synchronous = FULL', async () => {
  // SQLite's default for a WAL database (as better-sqlite3 builds it) is NORMAL: a commit that returned
  // can still be lost when the machine stops, and with it a used link or a saved passkey.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-synchronous-'));
  const file = path.join(folder, 'wal.db');
  const setUp = new Database(file);
  setUp.pragma('journal_mode = WAL');
  setUp.close();
  try {
    const adapter = await sqliteAdapter({ url: `file:${file}`, timeout: 5_000 }).connect();
    const rows = await adapter.queryRaw({ sql: 'PRAGMA synchronous', args: [], argTypes: [] });
    await adapter.dispose();
    // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
    assert.deepEqual(
      rows.rows.map((row) => row.map(Number)),
      [[2]],
    );
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
