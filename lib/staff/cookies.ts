import type { CookiesOptions } from 'next-auth';

// next-auth's cookies for staff sessions (its `cookies` option), tighter than its defaults:
// - `__Host-`: the browser accepts the cookie only with Secure, Path=/ and no Domain, so no other host
//   under our domain can set, overwrite or shadow it (RFC 6265bis §4.1.3.2).
// - SameSite=Strict: no request started by another site carries it, top-level navigations included.
//   Sign-in, renewal and sign-out are same-origin fetches from our own pages, so they are unaffected;
//   someone following a link from another site to a staff page is asked for their passkey again.
// No imports beyond types: the end-to-end tests read the session cookie's name from here.

export const SESSION_COOKIE = '__Host-next-auth.session-token';

const hostOnlyStrict = { httpOnly: true, sameSite: 'strict', path: '/', secure: true } as const;

export const STAFF_COOKIES: Partial<CookiesOptions> = {
  sessionToken: { name: SESSION_COOKIE, options: hostOnlyStrict },
  callbackUrl: { name: '__Host-next-auth.callback-url', options: hostOnlyStrict },
  csrfToken: { name: '__Host-next-auth.csrf-token', options: hostOnlyStrict },
};
