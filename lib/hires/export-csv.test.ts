import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appendAudit } from '@/lib/audit/append';
import { db, writeTransaction } from '@/lib/db';
import { parseHireListQuery } from '@/lib/hires/console-list';
import { EXPORT_PAGE, hiresCsvStream } from '@/lib/hires/export-csv';
import { parseCsv } from '@/lib/hr/csv-parse';
import { seedHires } from '@/lib/testing/bulk-hires';
import type { AuditAction } from '@/lib/audit/actions';

const at = new Date('2026-11-25T12:00:00Z');
const HIRES = 50_000;

describe('CSV export at scale', () => {
  test(`${HIRES} hires: every one is streamed, once, with its last event`, async () => {
    const hires = await seedHires(HIRES, {
      prefix: 'EX',
      startDate: '2026-12-01',
      at,
      enrolled: 2_000,
    });
    // Events on hires at both ends of the table and across a page boundary.
    const withEvents = [hires[0]!, hires[EXPORT_PAGE]!, hires[HIRES - 1]!];
    for (const hire of withEvents) {
      await writeTransaction(db(), (tx) =>
        appendAudit(tx, {
          at,
          actor: { type: 'cli' },
          action: 'note_added' as AuditAction,
          userId: hire.id,
        }),
      );
    }

    const started = performance.now();
    const text = await new Response(
      hiresCsvStream(db(), parseHireListQuery({ sort: 'name' }).query),
    ).text();
    console.log(
      `exported ${HIRES} hires (${(text.length / 1024 / 1024).toFixed(1)} MiB) in ${Math.round(performance.now() - started)} ms`,
    );

    const parsed = parseCsv(text);
    assert.ok(parsed.ok);
    const [header, ...rows] = parsed.rows;
    assert.equal(header![0], 'employee_id');
    assert.equal(rows.length, HIRES);
    assert.deepEqual(
      new Set(rows.map((row) => row[0])),
      new Set(hires.map((hire) => hire.employeeId)),
    );
    const lastEvents = new Map(rows.filter((row) => row[9] !== '').map((row) => [row[0], row[9]]));
    assert.deepEqual(
      lastEvents,
      new Map(withEvents.map((hire) => [hire.employeeId, 'note_added'])),
    );
    assert.equal(rows.filter((row) => row[7] === 'enrolled' && row[6] !== '').length, 2_000);
  });
});
