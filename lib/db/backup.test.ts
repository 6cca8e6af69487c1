import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Actor } from '@/lib/audit/actor';
import { verifyAuditChain } from '@/lib/audit/verify';
import { createClient, db } from '@/lib/db';
import { backupDatabase, pgDumpCommands } from '@/lib/db/backup';
import { migrate } from '@/lib/db/migrate';
import { addHire } from '@/lib/hires/add-hire';

// `firstkey backup` as an operator runs it: the CLI in a process of its own against this file's live
// database (SQLite: while this process keeps writing to it, as a running server would), then the copy
// opened on its own. On PostgreSQL the command only prints pg_dump/pg_restore steps: the test runs
// exactly those steps and checks the restored database.
//
// Nothing here can hang: every child process has stdin closed and a deadline after which it is
// killed and the test fails with its output; the writer yields to the event loop between writes (the
// SQLite adapter answers synchronously, so an `await` alone never lets a timer, a child's exit or
// better-sqlite3's backup steps — each scheduled with setImmediate — run); every database handle
// opened here is closed in a `finally`.

const root = path.resolve(import.meta.dirname, '..', '..');
const onPostgres = process.env.FIRSTKEY_TEST_DATABASE === 'postgresql';
const databaseUrl = process.env.DATABASE_URL!;
const actor: Actor = { type: 'cli' };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-backup-test-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

type Ran = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** A command with stdin closed, killed (and the test failed) when it outlives `timeoutMs`. */
function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${[command, ...args].join(' ')} still running after ${timeoutMs / 1000} s; killed.\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `firstkey backup …` against this file's database, as `npx firstkey` would run it. */
function firstkey(...args: string[]): Promise<Ran> {
  return runCommand(process.execPath, ['bin/firstkey.mjs', ...args], {
    ...process.env,
    DATABASE_URL: databaseUrl,
  });
}

async function hire(employeeId: string) {
  const result = await addHire(
    db(),
    {
      employeeId,
      name: `Backup ${employeeId}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: '2026-12-01',
    },
    { actor, at: new Date() },
  );
  assert.ok(result.ok, JSON.stringify(result));
}

const seeded = (async () => {
  for (let i = 0; i < 40; i += 1) await hire(`B${i}`);
})();

describe('firstkey backup: refusals', () => {
  test('an existing file is refused and left as it was; so is a missing folder and no --out', async () => {
    await seeded;
    const existing = path.join(work, 'existing.db');
    fs.writeFileSync(existing, 'keep me');
    const refused = await firstkey('backup', '--out', existing);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^firstkey backup: .*existing\.db exists; name a new file\n$/);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');

    // A folder is an existing file too: nothing is written into it.
    const folder = fs.mkdtempSync(path.join(work, 'folder-'));
    const intoFolder = await firstkey('backup', '--out', folder);
    assert.equal(intoFolder.code, 1);
    assert.match(intoFolder.stderr, /exists; name a new file/);
    assert.deepEqual(fs.readdirSync(folder), []);

    const noFlag = await firstkey('backup');
    assert.equal(noFlag.code, 2);
    assert.match(noFlag.stderr, /--out: /);
  });

  test('a missing folder is refused on SQLite; PostgreSQL names no file of its own', async () => {
    const nowhere = path.join(work, 'no-such-folder', 'copy.db');
    const result = await firstkey('backup', '--out', nowhere);
    if (onPostgres) {
      // pg_dump writes the file, not Firstkey: the command prints the steps and creates nothing.
      assert.equal(result.code, 0, result.stderr);
      assert.equal(fs.existsSync(path.dirname(nowhere)), false);
    } else {
      assert.equal(result.code, 1);
      assert.match(result.stderr, /No folder .*no-such-folder for the backup\n$/);
      assert.equal(fs.existsSync(path.dirname(nowhere)), false);
    }
  });
});

describe('pgDumpCommands', () => {
  test('leaves the password and Prisma-only parameters out, keeps libpq ones, quotes paths', () => {
    const result = pgDumpCommands(
      'postgresql://firstkey:s3cret@db.internal:6432/firstkey?schema=public&connection_limit=5&sslmode=require',
      '/var/backups/first key.dump',
    );
    assert.equal(
      result.backup,
      "pg_dump --format=custom --no-owner --file='/var/backups/first key.dump' --dbname='postgresql://firstkey@db.internal:6432/firstkey?sslmode=require'",
    );
    assert.doesNotMatch(JSON.stringify(result), /s3cret|connection_limit|schema=/);
    assert.equal(
      result.restore[0],
      "createdb --maintenance-db='postgresql://firstkey@db.internal:6432/firstkey?sslmode=require' firstkey_restored",
    );
    assert.match(
      result.restore[1]!,
      /^pg_restore --no-owner --exit-on-error --dbname='postgresql:\/\/firstkey@db\.internal:6432\/firstkey_restored\?sslmode=require' '\/var\/backups\/first key\.dump'$/,
    );
    assert.match(result.note, /PGPASSWORD or ~\/\.pgpass/);
  });
});

if (!onPostgres) {
  describe('firstkey backup on SQLite', () => {
    test('taken while another process writes: one consistent snapshot, audit chain verified on the copy', async () => {
      await seeded;
      const out = path.join(work, 'while-writing.db');

      // The "server": this process keeps adding hires (W0, W1, … in order, each with its audit
      // event) until the backup has finished.
      let written = 0;
      let writing = true;
      const writer = (async () => {
        while (writing) {
          await hire(`W${written}`);
          written += 1;
          await yieldToEventLoop();
        }
      })();
      while (written < 5) await yieldToEventLoop();
      const writtenBefore = written;
      const backup = await firstkey('backup', '--out', out).finally(() => (writing = false));
      await writer;
      const writtenAfter = written;

      assert.equal(backup.code, 0, backup.stderr);
      const result = JSON.parse(backup.stdout) as {
        ok: boolean;
        database: string;
        file: string;
        bytes: number;
        integrity: string;
        audit: { ok: boolean; events: number; head: string };
        restore: string[];
      };
      assert.equal(result.ok, true);
      assert.equal(result.database, 'sqlite');
      assert.equal(result.file, out);
      assert.equal(result.integrity, 'ok');
      assert.equal(result.bytes, fs.statSync(out).size);
      assert.equal((fs.statSync(out).mode & 0o777).toString(8), '600');
      // One self-contained file: no WAL beside it.
      assert.equal(fs.existsSync(`${out}-wal`), false);
      assert.match(result.restore[1]!, /^cp .*while-writing\.db /);

      const copy = new Database(out, { readonly: true, fileMustExist: true });
      let writers: string[];
      try {
        assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
        const ids = (
          copy.prepare('SELECT employeeId, name FROM User ORDER BY employeeId').all() as {
            employeeId: string;
            name: string;
          }[]
        ).map((row) => {
          assert.equal(row.name, `Backup ${row.employeeId}`);
          return row.employeeId;
        });
        for (let i = 0; i < 40; i += 1) assert.ok(ids.includes(`B${i}`), `B${i} in the copy`);
        writers = ids.filter((id) => id.startsWith('W'));
        // A snapshot: the writer's hires W0…W(k-1), k between what was written before the backup
        // started and after it ended, with no gap (sequential commits, all or none of each).
        assert.ok(writers.length >= writtenBefore, `${writers.length} ≥ ${writtenBefore}`);
        assert.ok(writers.length <= writtenAfter, `${writers.length} ≤ ${writtenAfter}`);
        assert.deepEqual(
          new Set(writers),
          new Set(Array.from({ length: writers.length }, (_, i) => `W${i}`)),
        );
        // Each hire in the copy has its audit event, and the chain's head is its last event.
        const added = copy
          .prepare("SELECT COUNT(*) AS n FROM AuditEvent WHERE action = 'hire_added'")
          .get() as { n: number };
        assert.equal(added.n, ids.length);
        const events = copy
          .prepare('SELECT COUNT(*) AS n, MAX(seq) AS last FROM AuditEvent')
          .get() as {
          n: number;
          last: number;
        };
        const head = copy.prepare('SELECT seq, hash FROM AuditHead WHERE id = 1').get() as {
          seq: number;
          hash: string;
        };
        assert.equal(head.seq, events.last);
        assert.equal(events.n, events.last);
        assert.equal(result.audit.events, events.n);
        assert.equal(result.audit.head, head.hash);
      } finally {
        copy.close();
      }

      // The audit chain verifies on the copy, checked here by the same function as `audit verify`.
      const client = createClient(`file:${out}`);
      try {
        const chain = await verifyAuditChain(client);
        assert.deepEqual(chain, { ok: true, events: result.audit.events, head: result.audit.head });
        assert.equal(
          await client.user.count({ where: { employeeId: { startsWith: 'W' } } }),
          writers.length,
        );
      } finally {
        await client.$disconnect();
      }

      // The live database went on: it has everything the copy has, and more.
      assert.equal(
        await db().user.count({ where: { employeeId: { startsWith: 'W' } } }),
        writtenAfter,
      );
    });

    test('a copy whose audit chain does not verify is removed and reported, not kept', async () => {
      const source = path.join(work, 'tampered.db');
      const url = `file:${source}`;
      await migrate(url);
      const client = createClient(url);
      try {
        for (const employeeId of ['T1', 'T2'])
          assert.ok(
            (
              await addHire(
                client,
                {
                  employeeId,
                  name: `Tampered ${employeeId}`,
                  email: `${employeeId.toLowerCase()}@example.com`,
                  startDate: '2026-12-01',
                },
                { actor, at: new Date() },
              )
            ).ok,
          );
      } finally {
        await client.$disconnect();
      }
      const raw = new Database(source);
      try {
        raw.prepare("UPDATE AuditEvent SET actorId = 'someone-else' WHERE seq = 1").run();
      } finally {
        raw.close();
      }
      const out = path.join(work, 'tampered-copy.db');
      const result = await backupDatabase(url, out);
      assert.equal(result.ok, false);
      assert.match(
        (result as { message: string }).message,
        /^The backup failed its check and was removed: audit chain broken at event 1: /,
      );
      assert.equal(fs.existsSync(out), false);
    });
  });
} else {
  describe('firstkey backup on PostgreSQL', () => {
    test('prints the pg_dump and restore steps and writes nothing; the steps restore a verifying copy', async () => {
      await seeded;
      const out = path.join(work, 'firstkey.dump');
      const printed = await firstkey('backup', '--out', out);
      assert.equal(printed.code, 0, printed.stderr);
      const result = JSON.parse(printed.stdout) as {
        ok: boolean;
        database: string;
        backup: string;
        restore: string[];
        note: string;
      };
      assert.equal(result.ok, true);
      assert.equal(result.database, 'postgresql');
      assert.ok(result.backup.startsWith(`pg_dump --format=custom --no-owner --file=${out} `));
      assert.equal(result.restore.length, 4);
      assert.equal(fs.existsSync(out), false, 'the command itself writes no file');

      // The documented steps, run as printed (the last one is prose: restart the instances).
      const name = `${new URL(databaseUrl).pathname.slice(1)}_restored`;
      const restoredUrl = new URL(databaseUrl);
      restoredUrl.pathname = `/${name}`;
      try {
        for (const step of [result.backup, ...result.restore.slice(0, 3)]) {
          const ran = await runCommand('sh', ['-c', step], { ...process.env }, 120_000);
          assert.equal(ran.code, 0, `${step}\n${ran.stdout}\n${ran.stderr}`);
        }
        assert.ok(fs.statSync(out).size > 0);
        const restored = new pg.Client({ connectionString: restoredUrl.toString() });
        await restored.connect();
        try {
          const users = await restored.query<{ n: string }>('SELECT COUNT(*) AS n FROM "User"');
          assert.equal(Number(users.rows[0]!.n), await db().user.count());
        } finally {
          await restored.end();
        }
        const client = createClient(restoredUrl.toString());
        try {
          const chain = await verifyAuditChain(client);
          assert.equal(chain.ok, true);
          assert.equal(chain.events, await db().auditEvent.count());
        } finally {
          await client.$disconnect();
        }
      } finally {
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        await admin
          .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
          .finally(() => admin.end());
      }
    });
  });
}
