import { db } from '@/lib/db';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { enrollmentProblem } from '@/lib/enrollment/respond';
import { currentEnrollmentSession, secondsLeft } from '@/lib/enrollment/session';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';
import { passkeyRegistrationOptions } from '@/lib/passkeys/registration';
import { EmptyBody } from '@/lib/passkeys/schemas';

/** Registration options for the hire of the open enrollment session, on their device. */
export async function POST(request: Request) {
  const body = await parseJson(request, EmptyBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const at = new Date();
  const { peer } = requestOrigin(request);
  const session = await currentEnrollmentSession(db(), { headers: request.headers, peer, at });
  if (!session.ok) return enrollmentProblem(session.reason, session);
  const options = await passkeyRegistrationOptions(db(), session.session, {
    rp: relyingParty(),
    at,
  });
  // Beside the options, how long the session has left: the page counts down from the server's clock.
  return ok({ ...options, sessionSecondsLeft: secondsLeft(session.session, at) });
}
