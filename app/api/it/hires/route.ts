import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { HireInput } from '@/lib/hires/hire-input';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { authorizeRequest } from '@/lib/staff/request-auth';

const MAX_BODY = 16 * 1024;

/** IT adds a hire from the console. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'hire.create');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, HireInput, MAX_BODY);
  if (!body.ok) return body.response;
  if (body.data.role) return problem(400, 'invalid_request', 'Roles are granted on the hire\u2019s page, with a fresh passkey confirmation');
  const result = await addHire(db(), body.data, { actor: { type: 'user', id: auth.staff.id }, at: auth.at, request: auth.context });
  if (!result.ok) return problem(409, result.reason, result.message);
  return ok({ employeeId: result.hire.employeeId });
}
