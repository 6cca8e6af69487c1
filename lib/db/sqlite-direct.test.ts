// test-databases: sqlite
// (raw statements run on better-sqlite3 directly; PostgreSQL's go through Prisma)
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { db, writeTransaction, type Tx } from '@/lib/db';
import { uniqueViolation } from '@/lib/db/errors';
import { directOf } from '@/lib/db/sqlite-direct';

const at = new Date('2026-11-27T07:15:00.123Z');

/** Counts the statements run directly (not through Prisma). */
function countDirect(): { count: number } {
  const direct = directOf(db());
  assert.ok(direct, 'the SQLite client runs raw statements directly');
  const counter = { count: 0 };
  const statements = direct.statements;
  direct.statements = (sql) => {
    counter.count += 1;
    return statements(sql);
  };
  return counter;
}

/** The same statement through Prisma: a transaction writeTransaction did not open is Prisma's. */
const throughPrisma = <T>(work: (tx: Tx) => Promise<T>) => db().$transaction(work);

before(async () => {
  await db().$executeRawUnsafe(
    `CREATE TABLE "DirectProbe" ("id" TEXT PRIMARY KEY, "at" DATETIME, "flag" BOOLEAN, "n" INTEGER,
      "big" BIGINT, "r" REAL, "b" BLOB, "t" TEXT, "unique" TEXT UNIQUE)`,
  );
});

describe('raw statements on SQLite, run directly', () => {
  test('they run without Prisma, and write and read exactly what Prisma writes and reads', async () => {
    const counter = countDirect();
    const bytes = new Uint8Array([1, 2, 250]);
    await db().$executeRaw`
      INSERT INTO "DirectProbe" ("id", "at", "flag", "n", "big", "r", "b", "t")
      VALUES ('direct', ${at}, ${true}, ${7}, ${2n ** 40n}, ${1.5}, ${bytes}, ${'é'})`;
    await throughPrisma(
      (tx) => tx.$executeRaw`
        INSERT INTO "DirectProbe" ("id", "at", "flag", "n", "big", "r", "b", "t")
        VALUES ('prisma', ${at}, ${true}, ${7}, ${2n ** 40n}, ${1.5}, ${bytes}, ${'é'})`,
    );
    assert.equal(counter.count, 1, 'the client statement ran directly, the other through Prisma');

    const select = (id: string) =>
      db().$queryRaw`
        SELECT "at", "flag", "n", "big", "r", "b", "t", COUNT(*) OVER () AS "rows", "unique"
        FROM "DirectProbe" WHERE "id" = ${id}`;
    const direct = (await select('direct')) as Record<string, unknown>[];
    const viaPrisma = (await throughPrisma(
      (tx) => tx.$queryRaw`
        SELECT "at", "flag", "n", "big", "r", "b", "t", COUNT(*) OVER () AS "rows", "unique"
        FROM "DirectProbe" WHERE "id" = ${'direct'}`,
    )) as Record<string, unknown>[];
    assert.equal(counter.count, 2);
    // The row Prisma wrote, read directly, is the row written directly: same stored values.
    assert.deepEqual(await select('prisma'), direct);
    // And read directly, it has the values and types Prisma's own read gives.
    assert.deepEqual(direct, viaPrisma);
    assert.deepEqual(direct[0], {
      at,
      flag: true,
      n: 7,
      big: 2n ** 40n,
      r: 1.5,
      b: bytes,
      t: 'é',
      rows: 1n,
      unique: null,
    });
  });

  test('in a write transaction they join it: they see its writes, and its rollback undoes theirs', async () => {
    const counter = countDirect();
    await assert.rejects(
      writeTransaction(db(), async (tx) => {
        await tx.$executeRaw`INSERT INTO "DirectProbe" ("id", "t") VALUES ('rolled back', 'x')`;
        const seen = await tx.$queryRaw<{ id: string }[]>`
          SELECT "id" FROM "DirectProbe" WHERE "id" = 'rolled back'`;
        assert.equal(seen.length, 1);
        throw new Error('the change fails');
      }),
      /the change fails/,
    );
    // The lock statement, the insert and the select ran directly, inside the transaction.
    assert.equal(counter.count, 3);
    const left = await db().$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "DirectProbe" WHERE "id" = 'rolled back'`;
    assert.deepEqual(left, []);
  });

  test('a statement on the client waits until an open transaction ends, and is not undone by its rollback', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    const transaction = writeTransaction(db(), async (tx) => {
      await tx.$executeRaw`INSERT INTO "DirectProbe" ("id", "t") VALUES ('uncommitted', 'x')`;
      inside();
      await held;
      throw new Error('rolls back');
    });
    await opened;
    let outsideDone = false;
    const outside = db()
      .$executeRaw`INSERT INTO "DirectProbe" ("id", "t") VALUES ('outside', 'y')`.then((n) => {
      outsideDone = true;
      return n;
    });
    const seen = db().$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "DirectProbe" WHERE "id" IN ('uncommitted', 'outside') ORDER BY "id"`;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(outsideDone, false, 'it waited for the open transaction');
    release();
    await assert.rejects(transaction, /rolls back/);
    assert.equal(await outside, 1);
    assert.deepEqual(await seen, [{ id: 'outside' }]);
  });

  test('a transaction client used after its transaction ended is refused, not run in the transaction open now', async () => {
    let stale!: Tx;
    await writeTransaction(db(), async (tx) => {
      stale = tx;
    });
    // Another request's transaction is open (and commits) while the stale client is used.
    let staleOutcome: unknown;
    await writeTransaction(db(), async (tx) => {
      await tx.$executeRaw`INSERT INTO "DirectProbe" ("id", "t") VALUES ('other', 'w')`;
      staleOutcome = await stale.$executeRaw`
        INSERT INTO "DirectProbe" ("id", "t") VALUES ('stale', 'z')`.then(
        () => 'ran',
        (error: unknown) => error,
      );
    });
    assert.match(String(staleOutcome), /Transaction/i);
    const rows = await db().$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "DirectProbe" WHERE "id" IN ('stale', 'other') ORDER BY "id"`;
    assert.deepEqual(rows, [{ id: 'other' }]);
  });

  test('a unique violation names its field, as Prisma’s error does', async () => {
    await db().$executeRaw`INSERT INTO "DirectProbe" ("id", "unique") VALUES ('u1', 'same')`;
    const error = await db()
      .$executeRaw`INSERT INTO "DirectProbe" ("id", "unique") VALUES ('u2', 'same')`.then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.equal(uniqueViolation(error), 'unique');
    const inTransaction = await writeTransaction(
      db(),
      (tx) => tx.$executeRaw`INSERT INTO "DirectProbe" ("id", "unique") VALUES ('u3', 'same')`,
    ).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.equal(uniqueViolation(inTransaction), 'unique');
    const viaPrisma = await throughPrisma(
      (tx) => tx.$executeRaw`INSERT INTO "DirectProbe" ("id", "unique") VALUES ('u4', 'same')`,
    ).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.equal(uniqueViolation(viaPrisma), 'unique');
  });
});
