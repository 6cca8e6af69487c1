import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { db } from '@/lib/db';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';
import { verifyPasskeyAssertion } from '@/lib/passkeys/authentication';
import { VerifyAuthenticationBody } from '@/lib/passkeys/schemas';

/** Checks a passkey works (the hire's "prove it" step after enrolling). Opens no session. */
export async function POST(request: Request) {
  const body = await parseJson(request, VerifyAuthenticationBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const { context } = requestOrigin(request);
  const result = await verifyPasskeyAssertion(
    db(),
    body.data.response as AuthenticationResponseJSON,
    { rp: relyingParty(), at: new Date(), request: context },
  );
  if (!result.ok)
    return problem(result.reason === 'unknown_passkey' ? 404 : 400, result.reason, result.message);
  return ok({
    verified: true,
    user: { name: result.signedIn.user.name },
    passkey: result.signedIn.passkey,
  });
}
