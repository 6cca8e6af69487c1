import { db } from '@/lib/db';
import { TokenBody } from '@/lib/enrollment/bodies';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { peekLink } from '@/lib/enrollment/peek';
import { enrollmentProblem } from '@/lib/enrollment/respond';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';

/** Whose link is this, and is this their laptop? Never consumes the link. */
export async function POST(request: Request) {
  const body = await parseJson(request, TokenBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const { peer, context } = requestOrigin(request);
  const result = await peekLink(db(), {
    token: body.data.token,
    peer,
    request: context,
    at: new Date(),
  });
  if (!result.ok) return enrollmentProblem(result.reason, result);
  return ok({
    hire: result.hire,
    deviceMatches: result.deviceMatches,
    expiresAt: result.expiresAt.toISOString(),
  });
}
