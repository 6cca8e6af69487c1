import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { DecideRoleRequestBody } from '@/lib/staff/bodies';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';
import { decideRoleRequest } from '@/lib/staff/roles';

/** A second IT member approves or declines a role request (a sensitive action); the one who asked may withdraw it. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ requestId: string }> },
) {
  const auth = await authorizeRequest(request, 'role.change');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, DecideRoleRequestBody, 1024);
  if (!body.ok) return body.response;
  const result = await decideRoleRequest(
    db(),
    { requestId: (await params).requestId, decision: body.data.decision },
    { actor: auth.staff, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok(result);
}
