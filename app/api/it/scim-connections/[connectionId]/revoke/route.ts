import { z } from 'zod';
import { db } from '@/lib/db';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { revokeScimConnection } from '@/lib/scim/connections';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT revokes a SCIM connection: its token is refused from the next request on. */
export async function POST(
  request: Request,
  context: { params: Promise<{ connectionId: string }> },
) {
  const auth = await authorizeRequest(request, 'scim.connect');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, z.object({}).strict(), 1024);
  if (!body.ok) return body.response;
  const revoked = await revokeScimConnection(db(), (await context.params).connectionId, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
    request: auth.context,
  });
  if (!revoked.ok)
    return problem(revoked.reason === 'unknown' ? 404 : 409, revoked.reason, revoked.message);
  return ok({ id: revoked.connection.id, revokedAt: revoked.connection.revokedAt });
}
