import { db } from '@/lib/db';
import { TokenBody } from '@/lib/enrollment/bodies';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { redeemLink } from '@/lib/enrollment/redeem';
import { enrollmentProblem } from '@/lib/enrollment/respond';
import { enrollmentCookie, secondsLeft } from '@/lib/enrollment/session';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';

/** Uses up the link and opens the 10-minute enrollment session (a `__Host-` cookie). */
export async function POST(request: Request) {
  const body = await parseJson(request, TokenBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const { peer, context } = requestOrigin(request);
  const at = new Date();
  const result = await redeemLink(db(), { token: body.data.token, peer, request: context, at });
  if (!result.ok) return enrollmentProblem(result.reason, result);
  return ok(
    {
      hire: result.hire,
      sessionExpiresAt: result.expiresAt.toISOString(),
      sessionSecondsLeft: secondsLeft(result, at),
    },
    { 'set-cookie': enrollmentCookie(result.sessionSecret) },
  );
}
