// A staff session cookie as sign-in makes one (newSessionClaims, next-auth's encode), for tests that
// start from a signed-in person. Sign-in itself is tested through next-auth (lib/testing/next-auth.ts).
import { encode } from 'next-auth/jwt';
import { sessionSecret } from '@/lib/secrets';
import { SESSION_IDLE } from '@/lib/staff/policy';
import { SESSION_COOKIE } from '@/lib/staff/cookies';
import { newSessionClaims } from '@/lib/staff/session';

export type SessionOptions = {
  signedInAt?: number;
  epoch?: number;
  maxAge?: number;
  secret?: string;
};

/** The cookie's value: signed in (and asserted) at `signedInAt`, in `epoch`, with its own session id. */
export async function staffSessionToken(
  userId: string,
  options: SessionOptions = {},
): Promise<string> {
  const claims = newSessionClaims(
    { id: userId, epoch: options.epoch ?? 0 },
    new Date(options.signedInAt ?? Date.now()),
  );
  return encode({
    token: { ...claims, name: 'Test person' },
    secret: options.secret ?? sessionSecret(),
    maxAge: options.maxAge ?? SESSION_IDLE / 1000,
  });
}

/** The same as a Cookie header. */
export async function staffSessionCookie(
  userId: string,
  options: SessionOptions = {},
): Promise<string> {
  return `${SESSION_COOKIE}=${await staffSessionToken(userId, options)}`;
}
