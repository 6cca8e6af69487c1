import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { ChangeRoleBody } from '@/lib/staff/bodies';
import { hireActionRequest } from '@/lib/staff/hire-action';
import { refusal } from '@/lib/staff/outcomes';
import { changeRole } from '@/lib/staff/roles';

/** IT grants or revokes a staff role (a sensitive action); granting `it` only asks, a second IT member approves. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ employeeId: string }> },
) {
  const action = await hireActionRequest(request, (await params).employeeId, 'role.change', {
    schema: ChangeRoleBody,
    maxBytes: 2 * 1024,
  });
  if (!action.ok) return action.response;
  const { auth, subject, data } = action;
  const result = await changeRole(
    db(),
    { employeeId: subject.employeeId, ...data },
    { actor: auth.staff, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok(result);
}
