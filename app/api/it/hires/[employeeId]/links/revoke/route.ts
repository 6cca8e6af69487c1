import { db } from '@/lib/db';
import { revokeOpenLink } from '@/lib/enrollment/issue-link';
import { ok } from '@/lib/http/problem';
import { RevokeLinkBody } from '@/lib/staff/bodies';
import { hireActionRequest } from '@/lib/staff/hire-action';
import { refusal } from '@/lib/staff/outcomes';

/** IT revokes the hire's open link (a sensitive action); the link then shows the "cancelled" page. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ employeeId: string }> },
) {
  const action = await hireActionRequest(request, (await params).employeeId, 'link.revoke', {
    schema: RevokeLinkBody,
    maxBytes: 4 * 1024,
  });
  if (!action.ok) return action.response;
  const { auth, subject, data } = action;
  const result = await revokeOpenLink(
    db(),
    { userId: subject.userId, reason: data.reason },
    { actor: { type: 'user', id: auth.staff.id }, at: auth.at, request: auth.context },
  );
  if (result.revoked === 0)
    return refusal({
      reason: 'no_open_link',
      message: `${subject.name} has no open link to revoke`,
    });
  return ok(result);
}
