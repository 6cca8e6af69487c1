import { db } from '@/lib/db';
import { parseHireListQuery } from '@/lib/hires/console-list';
import { hiresCsvStream } from '@/lib/hires/export-csv';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** The console's table as CSV, with the same filters and sort, streamed page by page. */
export async function GET(request: Request) {
  const auth = await authorizeRequest(request, 'console.view');
  if (!auth.ok) return auth.response;
  const { query } = parseHireListQuery(Object.fromEntries(new URL(request.url).searchParams));
  return new Response(hiresCsvStream(db(), query), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="firstkey-hires-${auth.at.toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
