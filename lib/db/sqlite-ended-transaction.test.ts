// test-databases: sqlite
// (SQLite ending a transaction itself; PostgreSQL's connections are the pool's)
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { db, writeTransaction } from '@/lib/db';

// SQLite can end a transaction on its own: a full disk or an I/O error rolls it back, and a COMMIT
// can fail and leave it open. Prisma then fails its own ROLLBACK or COMMIT and never releases the
// adapter's lock: before the fix every later query, in or out of a transaction, waited for ever (the
// whole server with it). A trigger's RAISE(ROLLBACK) and a deferred foreign key stand in for the disk.

/** The query's outcome, or "still waiting" after a few seconds: a hang fails the test, not the run. */
function settled<T>(work: Promise<T>): Promise<string> {
  return Promise.race([
    work.then(
      () => 'done',
      (error: Error) => `failed: ${error.message}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 5_000).unref()),
  ]);
}

const count = async (table: string) =>
  Number(
    ((await db().$queryRawUnsafe(`SELECT COUNT(*) AS n FROM "${table}"`)) as { n: bigint }[])[0]!.n,
  );

before(async () => {
  await db().$executeRawUnsafe(`CREATE TABLE "EndedProbe" ("id" TEXT PRIMARY KEY)`);
  await db().$executeRawUnsafe(
    `CREATE TRIGGER "ended_probe_rollback" BEFORE INSERT ON "EndedProbe" WHEN NEW."id" = 'rolled back'
     BEGIN SELECT RAISE(ROLLBACK, 'SQLite rolled the transaction back'); END`,
  );
  await db().$executeRawUnsafe(`CREATE TABLE "EndedParent" ("id" TEXT PRIMARY KEY)`);
  await db().$executeRawUnsafe(
    `CREATE TABLE "EndedChild" ("id" TEXT PRIMARY KEY, "parent" TEXT
       REFERENCES "EndedParent" ("id") DEFERRABLE INITIALLY DEFERRED)`,
  );
});

test('a transaction SQLite rolled back itself fails, and the next queries run', async () => {
  const failed = await settled(
    writeTransaction(db(), async (tx) => {
      await tx.$executeRaw`INSERT INTO "EndedProbe" ("id") VALUES ('kept?')`;
      await tx.$executeRaw`INSERT INTO "EndedProbe" ("id") VALUES ('rolled back')`;
    }),
  );
  assert.match(failed, /^failed: .*SQLite rolled the transaction back/);
  assert.equal(
    await settled(
      writeTransaction(
        db(),
        (tx) => tx.$executeRaw`INSERT INTO "EndedProbe" ("id") VALUES ('next')`,
      ),
    ),
    'done',
  );
  assert.equal(await settled(db().$queryRaw`SELECT 1`), 'done');
  assert.equal(
    await count('EndedProbe'),
    1,
    'only the next transaction’s row: the first left none',
  );
});

test('a COMMIT that fails is rolled back, and the next queries run', async () => {
  const failed = await settled(
    writeTransaction(db(), async (tx) => {
      await tx.$executeRaw`INSERT INTO "EndedChild" ("id", "parent") VALUES ('orphan', 'nobody')`;
    }),
  );
  // better-sqlite3 enforces foreign keys; a deferred one is checked at COMMIT.
  assert.match(failed, /^failed: .*foreign ?key/i);
  assert.equal(
    await settled(
      writeTransaction(db(), (tx) => tx.$executeRaw`INSERT INTO "EndedParent" ("id") VALUES ('p')`),
    ),
    'done',
  );
  assert.equal(await count('EndedChild'), 0, 'the failed commit wrote nothing');
  assert.equal(await count('EndedParent'), 1);
});
