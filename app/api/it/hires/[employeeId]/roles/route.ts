import { db } from '@/lib/db';
import { ok, problem } from '@/lib/http/problem';
import { ChangeRoleBody } from '@/lib/staff/bodies';
import { hireActionRequest } from '@/lib/staff/hire-action';
import { changeRole } from '@/lib/staff/roles';

/** IT grants or revokes a staff role (a sensitive action). */
export async function POST(request: Request, { params }: { params: Promise<{ employeeId: string }> }) {
  const action = await hireActionRequest(request, (await params).employeeId, 'role.change', { schema: ChangeRoleBody, maxBytes: 2 * 1024 }, { sensitive: true });
  if (!action.ok) return action.response;
  const { auth, subject, data } = action;
  const result = await changeRole(db(), { employeeId: subject.employeeId, ...data }, { actor: auth.staff, at: auth.at, request: auth.context });
  if (!result.ok) return problem(409, result.reason, result.message);
  return ok(result);
}
