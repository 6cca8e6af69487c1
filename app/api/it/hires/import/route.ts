import { db } from '@/lib/db';
import { ImportBody, importHiresCsv, MAX_IMPORT_BYTES } from '@/lib/hr/import-hires';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { authorizeRequest } from '@/lib/staff/request-auth';

// JSON escaping at most doubles a CSV's quotes and line ends; the file's own limit is checked on the text.
const MAX_BODY_BYTES = 2 * MAX_IMPORT_BYTES + 1024;

/** CSV import of hires from the console: all rows or none; every bad row is reported. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'hire.create');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, ImportBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const result = await importHiresCsv(db(), body.data.csv, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
    request: auth.context,
  });
  if (!result.ok && result.reason === 'too_large')
    return problem(413, 'file_too_large', result.message);
  if (!result.ok) {
    return Response.json(
      {
        error: {
          code: 'invalid_rows',
          message: `Nothing imported: ${result.errors.length} row${result.errors.length === 1 ? '' : 's'} to fix`,
          rows: result.errors,
        },
      },
      { status: 422, headers: { 'cache-control': 'no-store' } },
    );
  }
  return ok(result);
}
