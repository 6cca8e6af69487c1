import { db } from '@/lib/db';
import { askForNewLink } from '@/lib/enrollment/ask-for-link';
import { NewLinkBody } from '@/lib/enrollment/bodies';
import { ENROLLMENT_COOKIE } from '@/lib/enrollment/session';
import { readCookie } from '@/lib/http/cookies';
import { NEW_LINK_STATUS, newLinkMessage } from '@/lib/enrollment/messages';
import { MAX_BODY_BYTES } from '@/lib/enrollment/policy';
import { ok, problem } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { requestOrigin } from '@/lib/http/request-context';

/**
 * "Ask IT for a new link" from a failure page: an attention item on the IT console. The page sends the
 * link when it has it; after a reload it has only the enrollment session's cookie, which names the link.
 */
export async function POST(request: Request) {
  const body = await parseJson(request, NewLinkBody, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const { peer, context } = requestOrigin(request);
  const result = await askForNewLink(db(), {
    token: body.data.token,
    sessionSecret: readCookie(request.headers, ENROLLMENT_COOKIE),
    peer,
    request: context,
    at: new Date(),
  });
  // English for programs and logs; the page shows the answer's sentence in the hire's language by its code.
  const status = NEW_LINK_STATUS[result.answer];
  const message = newLinkMessage(result.answer);
  if (!result.ok)
    return problem(status, result.answer, message, { retryAfterSeconds: result.retryAfterSeconds });
  return ok({ answer: result.answer, reference: result.reference, message });
}
