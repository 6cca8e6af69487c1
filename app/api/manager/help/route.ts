import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { askItForHelp, HelpBody } from '@/lib/manager/help';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** A manager asks IT for help with one of their reports. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'reports.view');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, HelpBody, 2 * 1024);
  if (!body.ok) return body.response;
  const result = await askItForHelp(db(), body.data, {
    manager: auth.staff,
    at: auth.at,
    request: auth.context,
  });
  if (!result.ok) return refusal(result);
  return ok({ id: result.id });
}
