import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { requestRecovery } from '@/lib/recovery/recovery';
import { RequestRecoveryBody } from '@/lib/staff/bodies';
import { hireActionRequest } from '@/lib/staff/hire-action';
import { refusal } from '@/lib/staff/outcomes';

/** An IT member asks for a recovery link; a second person must approve it. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ employeeId: string }> },
) {
  const action = await hireActionRequest(request, (await params).employeeId, 'recovery.request', {
    schema: RequestRecoveryBody,
    maxBytes: 4 * 1024,
  });
  if (!action.ok) return action.response;
  const { auth, subject, data } = action;
  const result = await requestRecovery(
    db(),
    { employeeId: subject.employeeId, ...data },
    { requester: auth.staff, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok(result);
}
