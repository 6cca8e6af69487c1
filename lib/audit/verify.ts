import 'server-only';
import type { Db } from '@/lib/db';
import { hashAuditRow } from '@/lib/audit/append';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditVerification =
  | { ok: true; events: number; head: string }
  | { ok: false; events: number; brokenAt: number; problem: string };

/**
 * Walks the whole chain in order and recomputes every hash (`firstkey audit verify`). The head is
 * read first and the walk stops at it: on a live database other instances keep appending (each
 * event commits with its head update), and events after the head that was read are simply newer —
 * the next run checks them. A chain that ends before the head means events were deleted.
 */
export async function verifyAuditChain(db: Db, batchSize = 1_000): Promise<AuditVerification> {
  const head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { seq: { gte: expectedSeq, lte: head.seq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    for (const row of rows) {
      const events = expectedSeq - 1;
      if (row.seq !== expectedSeq)
        return {
          ok: false,
          events,
          brokenAt: expectedSeq,
          problem: `event ${expectedSeq} is missing`,
        };
      if (row.prevHash !== expectedPrev) {
        return {
          ok: false,
          events,
          brokenAt: row.seq,
          problem: `event ${row.seq} does not point at the hash of event ${row.seq - 1}`,
        };
      }
      if (hashAuditRow(row) !== row.hash) {
        return {
          ok: false,
          events,
          brokenAt: row.seq,
          problem: `event ${row.seq} was changed after it was written`,
        };
      }
      expectedPrev = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < batchSize) break;
  }
  const events = expectedSeq - 1;
  if (head.seq !== events || head.hash !== expectedPrev) {
    return {
      ok: false,
      events,
      brokenAt: events + 1,
      problem: `the chain ends at event ${events} but its head says ${head.seq}: events were deleted`,
    };
  }
  return { ok: true, events, head: expectedPrev };
}
