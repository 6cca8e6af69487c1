import 'server-only';
import type { Db } from '@/lib/db';
import { listHires, type HireListQuery } from '@/lib/hires/console-list';
import { csvRow } from '@/lib/hires/csv';

// The console's hires table as CSV, with its filters and sort. Read a page at a time, when the client
// asks for more (pull), so 50,000 hires are never all in memory and a slow download holds back reads.

export const EXPORT_PAGE = 1_000;
const HEADER = [
  'employee_id',
  'name',
  'email',
  'start_date',
  'department',
  'manager',
  'device_serial',
  'state',
  'link_expires_at',
  'last_event',
  'last_event_at',
];

export function hiresCsvStream(db: Db, query: HireListQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let page = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(HEADER)));
    },
    async pull(controller) {
      page += 1;
      const { rows } = await listHires(db, { ...query, page }, EXPORT_PAGE);
      const lines = rows.map((row) =>
        csvRow([
          row.employeeId,
          row.name,
          row.email,
          row.startDate,
          row.department,
          row.manager,
          row.deviceSerial,
          row.state,
          row.linkExpiresAt?.toISOString(),
          row.lastEvent?.action,
          row.lastEvent?.at.toISOString(),
        ]),
      );
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join('')));
      if (rows.length < EXPORT_PAGE) controller.close();
    },
  });
}
