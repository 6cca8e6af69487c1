import { db } from '@/lib/db';
import { TokenBody } from '@/lib/enrollment/bodies';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { redeemLink } from '@/lib/enrollment/redeem';
import { enrollmentProblem } from '@/lib/enrollment/respond';
import { enrollmentCookie } from '@/lib/enrollment/session';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';

/** Uses up the link and opens the 10-minute enrollment session (a `__Host-` cookie). */
export async function POST(request: Request) {
  const body = await parseJson(request, TokenBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const { peer, context } = requestOrigin(request);
  const result = await redeemLink(db(), {
    token: body.data.token,
    peer,
    request: context,
    at: new Date(),
  });
  if (!result.ok)
    return enrollmentProblem(result.reason, {
      retryAfterSeconds: result.retryAfterSeconds,
      validFrom: result.validFrom,
    });
  return ok(
    { hire: result.hire, sessionExpiresAt: result.expiresAt.toISOString() },
    { 'set-cookie': enrollmentCookie(result.sessionSecret) },
  );
}
