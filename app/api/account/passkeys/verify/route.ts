import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { db } from '@/lib/db';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { addBackupPasskey } from '@/lib/passkeys/account';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { VerifyRegistrationBody } from '@/lib/passkeys/schemas';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** Stores the signed-in person's backup passkey once its registration verifies. */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'own_passkeys.change');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, VerifyRegistrationBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const result = await addBackupPasskey(
    db(),
    auth.staff,
    body.data.response as RegistrationResponseJSON,
    { rp: relyingParty(), at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok({ passkey: { id: result.passkey.id, provider: result.passkey.provider } });
}
