import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { db } from '@/lib/db';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { enrollmentProblem } from '@/lib/enrollment/respond';
import { clearedEnrollmentCookie, currentEnrollmentSession } from '@/lib/enrollment/session';
import { ENROLLMENT_PROBLEM_STATUS } from '@/lib/enrollment/messages';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';
import { registerPasskey } from '@/lib/passkeys/registration';
import { readyFacts } from '@/lib/enrollment/ready';
import { VerifyRegistrationBody } from '@/lib/passkeys/schemas';

/** Verifies the new passkey; on success the hire is enrolled and the enrollment session ends. */
export async function POST(request: Request) {
  const body = await parseJson(request, VerifyRegistrationBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const at = new Date();
  const { peer, context } = requestOrigin(request);
  const session = await currentEnrollmentSession(db(), { headers: request.headers, peer, at });
  if (!session.ok) return enrollmentProblem(session.reason, session);
  const result = await registerPasskey(
    db(),
    session.session,
    body.data.response as RegistrationResponseJSON,
    { rp: relyingParty(), at, request: context },
  );
  // The policy's refusal names its rule, and a failed verification says in plain words what to do
  // (lib/passkeys/plain-refusal.ts): both are the person's sentence as they are.
  if (!result.ok)
    return result.reason === 'passkey_not_allowed' || result.reason === 'verification_failed'
      ? problem(ENROLLMENT_PROBLEM_STATUS[result.reason], result.reason, result.message)
      : enrollmentProblem(result.reason);
  return ok(
    {
      verified: true,
      passkey: {
        provider: result.passkey.provider,
        backedUp: result.passkey.backedUp,
        deviceType: result.passkey.deviceType,
      },
      next: await readyFacts(db(), session.session),
    },
    {
      'set-cookie': clearedEnrollmentCookie(),
    },
  );
}
