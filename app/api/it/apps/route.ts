import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT registers an app (an OpenID Connect client); a confidential app's secret is in this answer only. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'app.register');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, OidcClientInput, 8 * 1024);
  if (!body.ok) return body.response;
  const added = await addOidcClient(db(), body.data, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
  });
  return ok({
    client_id: added.clientId,
    client_secret: added.clientSecret,
    name: added.name,
    token_endpoint_auth_method: added.tokenEndpointAuthMethod,
  });
}
