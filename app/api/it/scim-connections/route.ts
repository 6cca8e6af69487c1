import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { createScimConnection, ScimConnectionInput } from '@/lib/scim/connections';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT creates a SCIM connection; its bearer token is in this answer only. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'scim.connect');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, ScimConnectionInput, 4 * 1024);
  if (!body.ok) return body.response;
  const created = await createScimConnection(db(), body.data, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
    request: auth.context,
  });
  return ok({ id: created.id, name: created.name, token: created.token });
}
