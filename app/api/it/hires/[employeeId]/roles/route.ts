import { db } from '@/lib/db';
import { findSubject } from '@/lib/hires/find-subject';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { ChangeRoleBody } from '@/lib/staff/bodies';
import { authorizeRequest } from '@/lib/staff/request-auth';
import { changeRole } from '@/lib/staff/roles';

/** IT grants or revokes a staff role (a sensitive action). */
export async function POST(request: Request, { params }: { params: Promise<{ employeeId: string }> }) {
  const subject = await findSubject(db(), (await params).employeeId);
  const auth = await authorizeRequest(request, 'role.change', { subject: subject ?? undefined, sensitive: true });
  if (!auth.ok) return auth.response;
  if (!subject) return problem(404, 'unknown_employee', 'No such hire');
  const body = await parseJson(request, ChangeRoleBody, 2 * 1024);
  if (!body.ok) return body.response;
  const result = await changeRole(db(), { employeeId: subject.employeeId, ...body.data }, { actor: auth.staff, at: auth.at, request: auth.context });
  if (!result.ok) return problem(409, result.reason, result.message);
  return ok(result);
}
