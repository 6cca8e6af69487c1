// test-databases: postgresql
// (what SQLite's single writer gives for free, proved on PostgreSQL: several instances — separate
// clients, separate connection pools — writing and migrating at once)
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { appendAudit } from '@/lib/audit/append';
import type { AuditAction } from '@/lib/audit/actions';
import { verifyAuditChain } from '@/lib/audit/verify';
import { createClient, db, writeTransaction, WRITE_TRANSACTION_ATTEMPTS } from '@/lib/db';
import { migratePostgres, postgresMigrationsDir } from '@/lib/db/migrate';

const at = new Date('2026-11-26T10:00:00Z');
const instances = [
  createClient(process.env.DATABASE_URL!),
  createClient(process.env.DATABASE_URL!),
];
after(() => Promise.all(instances.map((client) => client.$disconnect())));

/** A database of its own, named so that the test runner drops it with the run's others. */
async function freshDatabase(): Promise<string> {
  const serverUrl = process.env.FIRSTKEY_TEST_POSTGRES_URL!;
  const name = `firstkey_test_${process.env.FIRSTKEY_TEST_RUN_ID ?? 'adhoc'}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('PostgreSQL under concurrency', () => {
  test('20 write transactions from two instances at once leave one strictly linear audit chain', async () => {
    const before = await verifyAuditChain(db());
    assert.ok(before.ok);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writeTransaction(instances[i % 2]!, async (tx) => {
          // Read, then write on top of what was read: only safe if writers really run one at a time.
          const count = await tx.auditEvent.count();
          await appendAudit(tx, {
            at,
            actor: { type: 'system' },
            action: 'test_event' as AuditAction,
            details: { i, countBefore: count },
          });
        }),
      ),
    );
    const result = await verifyAuditChain(db());
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.events, before.events + 20);
    const events = await db().auditEvent.findMany({ orderBy: { seq: 'asc' }, skip: before.events });
    // Each writer saw every event committed before it: the counts it read are exactly 0…19 in order.
    assert.deepEqual(
      events.map((event) => (JSON.parse(event.details) as { countBefore: number }).countBefore),
      Array.from({ length: 20 }, (_, i) => before.events + i),
    );
  });

  test('a transaction PostgreSQL aborts as a serialization failure runs again instead of failing', async () => {
    let attempts = 0;
    const result = await writeTransaction(db(), async (tx) => {
      attempts += 1;
      if (attempts === 1) {
        await tx.$executeRawUnsafe(
          "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$",
        );
      }
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(attempts, 2);
  });

  test('a conflict that persists is given up after a bounded number of attempts', async () => {
    let attempts = 0;
    await assert.rejects(
      writeTransaction(db(), async (tx) => {
        attempts += 1;
        await tx.$executeRawUnsafe(
          "DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$",
        );
      }),
    );
    assert.equal(attempts, WRITE_TRANSACTION_ATTEMPTS);
  });

  test('a real deadlock on a model query (a write outside the write lock) is retried, not an error', async () => {
    const user = await db().user.create({
      data: {
        employeeId: 'DL1',
        name: 'Dead Lock',
        email: 'dl1@example.com',
        startDate: '2026-12-01',
        enrollmentState: 'ready',
      },
    });
    // Another session locks the person's row, then (once our transaction holds the write lock and
    // waits for that row) asks for the write lock too: a cycle PostgreSQL breaks by aborting one.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await other.connect();
    await other.query('BEGIN');
    await other.query('UPDATE "User" SET "name" = "name" WHERE "id" = $1', [user.id]);
    let attempts = 0;
    let otherOutcome: Promise<string> | null = null;
    const result = await writeTransaction(db(), async (tx) => {
      attempts += 1;
      if (attempts === 1) {
        otherOutcome = (async () => {
          // Wait until our transaction waits for the row, then close the cycle.
          for (;;) {
            const rows = await db().$queryRaw<{ n: number }[]>`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'
                AND query LIKE 'UPDATE "public"."User"%'`;
            if (rows[0]!.n > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          try {
            await other.query('UPDATE "AuditHead" SET "seq" = "seq" WHERE "id" = 1');
            await other.query('COMMIT');
            return 'committed';
          } catch (error) {
            await other.query('ROLLBACK');
            return (error as { code?: string }).code ?? 'error';
          }
        })().catch((error: unknown) => `failed: ${String(error)}`);
      }
      await tx.user.update({ where: { id: user.id }, data: { department: 'Ops' } });
      return 'done';
    });
    // The other session's COMMIT (or ROLLBACK) may still be on its way back to it when ours ends:
    // its client is closed only once it has its answer.
    const outcome = await otherOutcome!;
    await other.end();
    assert.equal(result, 'done');
    // Whichever PostgreSQL chose as the victim, our write went through: first time (the other
    // session was aborted, 40P01) or on the second attempt (ours was).
    assert.ok(
      (outcome === '40P01' && attempts === 1) || (outcome === 'committed' && attempts === 2),
      `other session: ${outcome}, attempts: ${attempts}`,
    );
    assert.equal((await db().user.findUniqueOrThrow({ where: { id: user.id } })).department, 'Ops');
  });

  test('five instances starting together on an empty database migrate it exactly once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all(Array.from({ length: 5 }, () => migratePostgres(url)));
    const names = fs
      .readdirSync(postgresMigrationsDir())
      .filter((name) => fs.existsSync(path.join(postgresMigrationsDir(), name, 'migration.sql')))
      .sort();
    assert.deepEqual(
      results.flatMap((result) => result.applied),
      names,
    );
    assert.equal(results.filter((result) => result.applied.length > 0).length, 1);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
      );
      assert.deepEqual(
        rows,
        names.map((name) => ({
          migration_name: name,
          checksum: crypto
            .createHash('sha256')
            .update(fs.readFileSync(path.join(postgresMigrationsDir(), name, 'migration.sql')))
            .digest('hex'),
        })),
      );
      const head = await client.query('SELECT seq FROM "AuditHead" WHERE id = 1');
      assert.deepEqual(head.rows, [{ seq: 0 }]);
    } finally {
      await client.end();
    }
    assert.deepEqual(await migratePostgres(url), { applied: [], alreadyApplied: names.length });
  });
});
