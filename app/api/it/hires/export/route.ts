import { db } from '@/lib/db';
import { listHires, parseHireListQuery } from '@/lib/hires/console-list';
import { csvRow } from '@/lib/hires/csv';
import { authorizeRequest } from '@/lib/staff/request-auth';

const EXPORT_PAGE = 1_000;

/** The console's table as CSV, with the same filters and sort, streamed page by page. */
export async function GET(request: Request) {
  const auth = await authorizeRequest(request, 'console.view');
  if (!auth.ok) return auth.response;
  const { query } = parseHireListQuery(Object.fromEntries(new URL(request.url).searchParams));
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(csvRow(['employee_id', 'name', 'email', 'start_date', 'department', 'manager', 'device_serial', 'state', 'link_expires_at', 'last_event', 'last_event_at'])));
      for (let page = 1; ; page += 1) {
        const { rows } = await listHires(db(), { ...query, page }, EXPORT_PAGE);
        for (const row of rows) {
          controller.enqueue(
            encoder.encode(
              csvRow([row.employeeId, row.name, row.email, row.startDate, row.department, row.manager, row.deviceSerial, row.state, row.linkExpiresAt?.toISOString(), row.lastEvent?.action, row.lastEvent?.at.toISOString()]),
            ),
          );
        }
        if (rows.length < EXPORT_PAGE) break;
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="firstkey-hires-${auth.at.toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
