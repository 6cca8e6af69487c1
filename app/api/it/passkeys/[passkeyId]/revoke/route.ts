import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { revokePasskey } from '@/lib/access/revoke-passkey';
import { RevokePasskeyBody } from '@/lib/staff/bodies';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT removes a passkey (a sensitive action). */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ passkeyId: string }> },
) {
  const auth = await authorizeRequest(request, 'passkey.revoke');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, RevokePasskeyBody, 2 * 1024);
  if (!body.ok) return body.response;
  const result = await revokePasskey(
    db(),
    { passkeyId: (await params).passkeyId, reason: body.data.reason },
    { actor: { type: 'user', id: auth.staff.id }, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok({ revoked: true });
}
