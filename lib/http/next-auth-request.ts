import type { IncomingHttpHeaders } from 'node:http';
import type { Refusal } from '@/lib/http/refusal';

// next-auth 4's route (/api/auth/*) answers 500 to several requests a person or a scanner can send:
// a body it cannot parse, a callback URL it cannot parse (from the query, the body or its own
// cookie), a non-string callback URL, and a GET of the passkey callback (a Credentials provider only
// takes POST). The front door answers those with a 4xx before next-auth sees them; the rules mirror
// next-auth's own parsing (next/utils.js getBody, core/lib/assert.js, the default redirect callback).

export const NEXT_AUTH_PREFIX = '/api/auth/';
/** A passkey assertion is a few KiB (lib/staff/auth-options.ts allows 16 KiB); form-encoding triples it. */
export const MAX_NEXT_AUTH_BODY_BYTES = 64 * 1024;
/** next-auth's name for its callback-URL cookie on HTTPS (the portal is HTTPS only). */
const CALLBACK_COOKIE = '__Secure-next-auth.callback-url';

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** next-auth's own test (isValidHttpUrl): a path on this site or an http(s) URL. */
export function validCallbackUrl(url: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(url, url.startsWith('/') ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** Cookies as Next.js reads them for next-auth: last one wins, undecodable values are skipped. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  let found: string | undefined;
  for (const pair of (header ?? '').split(/; */)) {
    const at = pair.indexOf('=');
    if (at === -1 || pair.slice(0, at) !== name) continue;
    try {
      found = decodeURIComponent(pair.slice(at + 1));
    } catch {
      // Next.js drops a cookie it cannot decode; so does this.
    }
  }
  return found;
}

const badCallback = (where: string, value: unknown): Refusal => ({
  status: 400,
  code: 'bad_callback_url',
  message: `The callbackUrl ${where} must be a path on this site or an http(s) URL, not ${JSON.stringify(value)?.slice(0, 100)}`,
});

export type NextAuthHead =
  { ok: true; body: 'json' | 'form' | null } | { ok: false; refusal: Refusal };

/** Checks what next-auth reads before the body: the path, the query's and the cookie's callback URL. */
export function checkNextAuthHead(
  method: string,
  pathname: string,
  search: URLSearchParams,
  headers: IncomingHttpHeaders,
  origin: string,
): NextAuthHead {
  const [action, provider] = pathname
    .slice(NEXT_AUTH_PREFIX.length)
    .split('/')
    .map((part) => decodeURIComponent(part));
  if (action === 'callback' && provider === 'passkey' && (method === 'GET' || method === 'HEAD')) {
    return {
      ok: false,
      refusal: {
        status: 405,
        code: 'method_not_allowed',
        message: 'Signing in with a passkey is a POST from the sign-in page',
        headers: { allow: 'POST' },
      },
    };
  }
  // next-auth reads its query with Object.fromEntries: the last callbackUrl counts.
  const queryCallback = search.getAll('callbackUrl').at(-1);
  if (queryCallback && !validCallbackUrl(queryCallback, origin))
    return { ok: false, refusal: badCallback('in the query', queryCallback) };
  const cookieCallback = cookieValue(first(headers.cookie), CALLBACK_COOKIE);
  if (cookieCallback && !validCallbackUrl(cookieCallback, origin)) {
    // Clearing it lets the next attempt work: next-auth would otherwise fail every request until it expires.
    return {
      ok: false,
      refusal: {
        ...badCallback('saved in your browser', cookieCallback),
        message:
          'The sign-in return address saved in your browser was damaged and has been cleared; try again',
        headers: {
          'set-cookie': `${CALLBACK_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`,
        },
      },
    };
  }
  if (method !== 'POST') return { ok: true, body: null };
  // Exactly next-auth's choice of parser (substring matches, JSON first); other bodies it ignores.
  const type = first(headers['content-type']) ?? '';
  return {
    ok: true,
    body: type.includes('application/json')
      ? 'json'
      : type.includes('application/x-www-form-urlencoded')
        ? 'form'
        : null,
  };
}

/** Checks a body next-auth will parse; null when it can. */
export function nextAuthBodyProblem(
  kind: 'json' | 'form',
  body: Buffer,
  origin: string,
): Refusal | null {
  let fields: Record<string, unknown>;
  if (kind === 'form') {
    fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return {
        status: 400,
        code: 'invalid_request',
        message: 'Sign-in requests carry a JSON object (or form fields)',
      };
    }
    fields = parsed as Record<string, unknown>;
  }
  const callbackUrl = fields.callbackUrl;
  // next-auth ignores a falsy callbackUrl and calls .startsWith on any other.
  if (!callbackUrl) return null;
  return typeof callbackUrl === 'string' && validCallbackUrl(callbackUrl, origin)
    ? null
    : badCallback('in the body', callbackUrl);
}
