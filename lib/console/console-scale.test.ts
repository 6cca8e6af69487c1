import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { attentionPanel } from '@/lib/console/attention';
import { enrollmentMetrics } from '@/lib/console/metrics';
import { db, writeTransaction } from '@/lib/db';
import { appendAudit } from '@/lib/audit/append';
import { seedHires, type SeededHire } from '@/lib/testing/bulk-hires';

// The console at the size the README promises (50,000 hires), of whom 5,000 enrolled: more than
// SQLite's 999 bound parameters in any list built from them.
const at = new Date('2026-11-25T12:00:00Z');
const HIRES = 50_000;
const ENROLLED = 5_000;
let hires: SeededHire[] = [];

describe(`the IT console with ${HIRES} hires`, () => {
  before(async () => {
    const started = performance.now();
    hires = await seedHires(HIRES, {
      prefix: 'CS',
      startDate: '2026-11-26',
      at,
      enrolled: ENROLLED,
    });
    // Device mismatches for hires far apart in the table, so the panel has names to look up.
    for (const hire of [hires[ENROLLED]!, hires.at(-1)!]) {
      await writeTransaction(db(), (tx) =>
        appendAudit(tx, {
          at: new Date(at.getTime() - 3_600_000),
          actor: { type: 'anonymous' },
          action: 'device_mismatch',
          userId: hire.id,
          result: 'denied',
        }),
      );
    }
    console.log(`seeded ${HIRES} hires in ${Math.round(performance.now() - started)} ms`);
  });

  test('metrics count every enrolled hire', async () => {
    const started = performance.now();
    const metrics = await enrollmentMetrics(db(), at);
    console.log(`metrics in ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual(metrics.funnel, { invited: ENROLLED, opened: ENROLLED, enrolled: ENROLLED });
    assert.deepEqual(metrics.timeToPasskey, {
      medianMinutes: 30,
      p90Minutes: 30,
      samples: ENROLLED,
    });
    assert.deepEqual(metrics.secretFree, { enrolled: ENROLLED, withoutHelp: ENROLLED, rate: 1 });
    assert.equal(metrics.mismatchesPerDay.at(-1)?.count, 2);
  });

  test('the attention panel lists who starts tomorrow unenrolled and names who hit a device mismatch', async () => {
    const started = performance.now();
    const panel = await attentionPanel(db(), at, { id: 'nobody', roles: ['it'] });
    console.log(`attention panel in ${Math.round(performance.now() - started)} ms`);
    assert.equal(panel.startingSoon.length, 20);
    assert.ok(panel.startingSoon.every((row) => row.state === 'ready'));
    assert.deepEqual(
      panel.deviceMismatches.map((row) => row.employeeId).sort(),
      [hires[ENROLLED]!.employeeId, hires.at(-1)!.employeeId].sort(),
    );
  });
});
