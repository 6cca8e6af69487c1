import { db } from '@/lib/db';
import { revokeOpenLink } from '@/lib/enrollment/issue-link';
import { findSubject } from '@/lib/hires/find-subject';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { RevokeLinkBody } from '@/lib/staff/bodies';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT revokes the hire's open link (a sensitive action); the link then shows the "cancelled" page. */
export async function POST(request: Request, { params }: { params: Promise<{ employeeId: string }> }) {
  const subject = await findSubject(db(), (await params).employeeId);
  const auth = await authorizeRequest(request, 'link.revoke', { subject: subject ?? undefined, sensitive: true });
  if (!auth.ok) return auth.response;
  if (!subject) return problem(404, 'unknown_employee', 'No such hire');
  const body = await parseJson(request, RevokeLinkBody, 4 * 1024);
  if (!body.ok) return body.response;
  const result = await revokeOpenLink(db(), { userId: subject.userId, reason: body.data.reason }, { actor: { type: 'user', id: auth.staff.id }, at: auth.at, request: auth.context });
  if (result.revoked === 0) return problem(409, 'no_open_link', `${subject.name} has no open link to revoke`);
  return ok(result);
}
