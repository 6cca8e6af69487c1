import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appendAudit, appendAuditEvents } from '@/lib/audit/append';
import { verifyAuditChain } from '@/lib/audit/verify';
import { db, writeTransaction } from '@/lib/db';
import type { AuditAction } from '@/lib/audit/actions';

const at = new Date('2026-11-25T10:00:00Z');

describe('audit trail', () => {
  test('events appended concurrently form one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db().$transaction((tx) =>
          appendAudit(tx, {
            at,
            actor: { type: 'system' },
            action: 'test_event' as AuditAction,
            details: { i },
          }),
        ),
      ),
    );
    const result = await verifyAuditChain(db());
    assert.ok(result.ok);
    assert.equal(result.events, 40);
  });

  test('a batch of events (a bulk import) continues the chain exactly as one event at a time would', async () => {
    const before = await verifyAuditChain(db());
    await writeTransaction(db(), (tx) =>
      appendAuditEvents(
        tx,
        Array.from({ length: 1_500 }, (_, i) => ({
          at,
          actor: { type: 'cli' as const },
          action: 'batch_event' as AuditAction,
          details: { i },
        })),
      ),
    );
    await writeTransaction(db(), (tx) =>
      appendAudit(tx, { at, actor: { type: 'system' }, action: 'after_batch' as AuditAction }),
    );
    const after = await verifyAuditChain(db());
    assert.ok(before.ok && after.ok);
    assert.equal(after.events, before.events + 1_501);
    const batch = await db().auditEvent.findMany({
      where: { action: 'batch_event' },
      orderBy: { seq: 'asc' },
      select: { seq: true, details: true },
    });
    assert.deepEqual(
      batch.map((event) => JSON.parse(event.details).i),
      Array.from({ length: 1_500 }, (_, i) => i),
    );
  });

  test('an event rolled back with its change leaves no trace in the chain', async () => {
    const before = await verifyAuditChain(db());
    await assert.rejects(
      db().$transaction(async (tx) => {
        await appendAudit(tx, {
          at,
          actor: { type: 'system' },
          action: 'rolled_back' as AuditAction,
        });
        throw new Error('the change failed');
      }),
    );
    const after = await verifyAuditChain(db());
    assert.ok(before.ok && after.ok);
    assert.equal(after.events, before.events);
    assert.equal(await db().auditEvent.count({ where: { action: 'rolled_back' } }), 0);
  });

  test('details that name a token, challenge or key are refused before anything is written', async () => {
    for (const key of ['token', 'challenge', 'privateKey', 'sessionSecret']) {
      await assert.rejects(
        db().$transaction((tx) =>
          appendAudit(tx, {
            at,
            actor: { type: 'system' },
            action: 'leaky' as AuditAction,
            details: { [key]: 'x' },
          }),
        ),
        /must not carry secrets/,
      );
    }
    assert.equal(await db().auditEvent.count({ where: { action: 'leaky' } }), 0);
  });

  test('editing an event is detected by `audit verify`', async () => {
    // Tampering bypasses the app: plain SQL on the table, as someone with database access would.
    const [original] = await db().$queryRaw<{ details: string }[]>`
      SELECT "details" FROM "AuditEvent" WHERE "seq" = 5`;
    await db().$executeRaw`UPDATE "AuditEvent" SET "details" = ${'{"i":999}'} WHERE "seq" = 5`;
    const result = await verifyAuditChain(db());
    assert.deepEqual(result.ok ? null : [result.brokenAt, result.problem], [
      5,
      'event 5 was changed after it was written',
    ]);
    await db()
      .$executeRaw`UPDATE "AuditEvent" SET "details" = ${original!.details} WHERE "seq" = 5`;
    assert.ok((await verifyAuditChain(db())).ok);
  });

  test('verifying while other instances append: the chain up to the head read verifies, newer events wait for the next run', async () => {
    const client = db();
    // Another instance commits an event after every page of the walk.
    const busy = new Proxy(client, {
      get(target, property) {
        if (property !== 'auditEvent') return Reflect.get(target, property);
        return {
          findMany: async (args: Parameters<typeof target.auditEvent.findMany>[0]) => {
            const rows = await target.auditEvent.findMany(args);
            await writeTransaction(target, (tx) =>
              appendAudit(tx, {
                at,
                actor: { type: 'system' },
                action: 'test_event' as AuditAction,
              }),
            );
            return rows;
          },
        };
      },
    });
    const during = await verifyAuditChain(busy, 500);
    assert.ok(during.ok, during.ok ? '' : during.problem);
    const after = await verifyAuditChain(client);
    assert.ok(after.ok);
    assert.ok(after.events > during.events);
  });

  test('deleting the newest events is detected through the chain head', async () => {
    const last = await db().auditEvent.findFirst({ orderBy: { seq: 'desc' } });
    await db().$executeRaw`DELETE FROM "AuditEvent" WHERE "seq" = ${last!.seq}`;
    const result = await verifyAuditChain(db());
    assert.ok(!result.ok);
    assert.match(result.problem, /events were deleted/);
  });
});
