import { db } from '@/lib/db';
import { findSubject } from '@/lib/hires/find-subject';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestRecovery } from '@/lib/recovery/recovery';
import { RequestRecoveryBody } from '@/lib/staff/bodies';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** An IT member asks for a recovery link; a second person must approve it. */
export async function POST(request: Request, { params }: { params: Promise<{ employeeId: string }> }) {
  const subject = await findSubject(db(), (await params).employeeId);
  const auth = await authorizeRequest(request, 'recovery.request', { subject: subject ?? undefined, sensitive: true });
  if (!auth.ok) return auth.response;
  if (!subject) return problem(404, 'unknown_employee', 'No such hire');
  const body = await parseJson(request, RequestRecoveryBody, 4 * 1024);
  if (!body.ok) return body.response;
  const result = await requestRecovery(db(), { employeeId: subject.employeeId, ...body.data }, { requester: auth.staff, at: auth.at, request: auth.context });
  if (!result.ok) return problem(409, result.reason, result.message);
  return ok(result);
}
