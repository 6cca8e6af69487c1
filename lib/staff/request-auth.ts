import 'server-only';
import type { RequestContext } from '@/lib/audit/actor';
import { readCookie } from '@/lib/http/cookies';
import { env } from '@/lib/env';
import { problem } from '@/lib/http/problem';
import { requestOrigin } from '@/lib/http/request-context';
import { can, SENSITIVE, type StaffAction, type Subject } from '@/lib/staff/authorize';
import { SESSION_COOKIE } from '@/lib/staff/cookies';
import { hasFreshAssertion, staffFromSessionCookie, type Staff } from '@/lib/staff/session';

export type AuthorizedRequest =
  { ok: true; staff: Staff; context: RequestContext; at: Date } | { ok: false; response: Response };

/**
 * For staff route handlers: who is asking, and may they? Refuses cross-site requests (a request that
 * changes anything must carry our Origin: browsers send it on every such request, and a missing one
 * is refused rather than left to SameSite — Lucia's CSRF guidance), anonymous callers (401), missing roles (403) and — for sensitive actions — a passkey
 * assertion older than 5 minutes (403 `stale_assertion`, which the console answers with a passkey prompt).
 */
export async function authorizeRequest(
  request: Request,
  action: StaffAction,
  options: { subject?: Subject } = {},
): Promise<AuthorizedRequest> {
  const at = new Date();
  const origin = request.headers.get('origin');
  const changesState = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
  if ((origin || changesState) && origin !== env().origin) {
    const seen = origin ? `not ${origin}` : 'and this one named no origin';
    return {
      ok: false,
      response: problem(403, 'cross_site', `Requests must come from ${env().origin}, ${seen}`),
    };
  }
  const staff = await staffFromSessionCookie(
    readCookie(request.headers, SESSION_COOKIE) ?? undefined,
    at,
  );
  if (!staff)
    return {
      ok: false,
      response: problem(401, 'signed_out', 'Sign in with your passkey to continue.'),
    };
  if (!can(staff, action, options.subject)) {
    return {
      ok: false,
      response: problem(403, 'forbidden', 'Your role does not allow this action.'),
    };
  }
  if (SENSITIVE.has(action) && !hasFreshAssertion(staff, at)) {
    return {
      ok: false,
      response: problem(
        403,
        'stale_assertion',
        'Confirm it\u2019s you with your passkey, then try again.',
      ),
    };
  }
  return { ok: true, staff, context: requestOrigin(request).context, at };
}
