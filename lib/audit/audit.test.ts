import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { appendAudit, appendAuditEvents } from '@/lib/audit/append';
import { verifyAuditChain } from '@/lib/audit/verify';
import { db, writeTransaction } from '@/lib/db';
import type { AuditAction } from '@/lib/audit/actions';

const at = new Date('2026-11-25T10:00:00Z');

function rawSqlite() {
  return new Database(process.env.DATABASE_URL!.replace(/^file:/, ''));
}

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
    const sqlite = rawSqlite();
    const original = sqlite.prepare('SELECT details FROM AuditEvent WHERE seq = 5').get() as {
      details: string;
    };
    sqlite.prepare('UPDATE AuditEvent SET details = ? WHERE seq = 5').run('{"i":999}');
    const result = await verifyAuditChain(db());
    assert.deepEqual(result.ok ? null : [result.brokenAt, result.problem], [
      5,
      'event 5 was changed after it was written',
    ]);
    sqlite.prepare('UPDATE AuditEvent SET details = ? WHERE seq = 5').run(original.details);
    assert.ok((await verifyAuditChain(db())).ok);
    sqlite.close();
  });

  test('deleting the newest events is detected through the chain head', async () => {
    const sqlite = rawSqlite();
    const last = sqlite.prepare('SELECT MAX(seq) AS seq FROM AuditEvent').get() as { seq: number };
    sqlite.prepare('DELETE FROM AuditEvent WHERE seq = ?').run(last.seq);
    const result = await verifyAuditChain(db());
    assert.ok(!result.ok);
    assert.match(result.problem, /events were deleted/);
    sqlite.close();
  });
});
