import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { ConsoleHireInput } from '@/lib/hires/hire-input';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

const MAX_BODY = 16 * 1024;

/** IT adds a hire from the console. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'hire.create');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, ConsoleHireInput, MAX_BODY);
  if (!body.ok) return body.response;
  const result = await addHire(db(), body.data, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
    request: auth.context,
  });
  if (!result.ok) return refusal(result);
  return ok({ employeeId: result.hire.employeeId });
}
