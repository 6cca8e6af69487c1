import 'server-only';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { NextAuthOptions } from 'next-auth';
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { z } from 'zod';
import { db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV, PEER_HEADER, readPeerHeader } from '@/lib/devices/front-door';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { verifyPasskeyAssertion } from '@/lib/passkeys/authentication';
import { AuthenticationResponseSchema } from '@/lib/passkeys/schemas';
import { sessionSecret } from '@/lib/secrets';
import { STAFF_COOKIES } from '@/lib/staff/cookies';
import { SESSION_IDLE } from '@/lib/staff/policy';
import { newSessionClaims, staffFromSession } from '@/lib/staff/session';
import { signOutSession } from '@/lib/staff/sign-out';

// next-auth 4 with one provider: a Credentials provider whose only credential is a WebAuthn assertion
// from a discoverable passkey, verified by @simplewebauthn/server. No password, no email link, no
// other provider. Sessions are JWTs (encrypted cookies) that expire after SESSION_IDLE without
// activity; lib/staff/session.ts adds the absolute lifetime, sign-out, "sign out everywhere" and fresh
// roles, and a session those rules end is not renewed either.

const AssertionCredential = z
  .string()
  .max(16 * 1024)
  .transform((text, context) => {
    try {
      return AuthenticationResponseSchema.parse(JSON.parse(text));
    } catch {
      context.addIssue({ code: 'custom', message: 'Expected a passkey assertion' });
      return z.NEVER;
    }
  });

function header(headers: unknown, name: string): string | null {
  const value = (headers as Record<string, string | string[] | undefined> | undefined)?.[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export function authOptions(): NextAuthOptions {
  return {
    secret: sessionSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_IDLE / 1000, updateAge: 0 },
    cookies: STAFF_COOKIES,
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      // What next-auth's Credentials() factory returns, written out: that factory is a CommonJS default
      // export, which the Next.js bundler and plain Node (the in-process sign-in tests) import differently.
      {
        id: 'passkey',
        name: 'Passkey',
        type: 'credentials',
        credentials: { response: { label: 'Passkey assertion', type: 'text' } },
        async authorize(credentials, req) {
          const parsed = AssertionCredential.safeParse(credentials?.response);
          if (!parsed.success) throw new Error('Expected a passkey assertion');
          const peer = readPeerHeader(
            header(req.headers, PEER_HEADER),
            process.env[FRONT_DOOR_KEY_ENV],
          );
          const result = await verifyPasskeyAssertion(
            db(),
            parsed.data as AuthenticationResponseJSON,
            {
              rp: relyingParty(),
              at: new Date(),
              request: { ip: peer.ip, userAgent: header(req.headers, 'user-agent') },
            },
          );
          if (!result.ok) throw new Error(result.message);
          const { user } = result.signedIn;
          return { id: user.id, name: user.name, epoch: user.sessionEpoch };
        },
      } satisfies CredentialsConfig,
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user)
          return {
            ...token,
            ...newSessionClaims(
              { id: user.id, epoch: (user as { epoch?: number }).epoch ?? 0 },
              new Date(),
            ),
          };
        // Renewal (/api/auth/session): next-auth 4 has no return value that ends a JWT session here; a
        // throw makes it answer "no session" and clear the cookie (next-auth/core/routes/session.js).
        if (!(await staffFromSession(token, new Date())))
          throw new Error('This staff session has ended');
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub ?? '', name: token.name ?? '' } };
      },
    },
    events: {
      // POST /api/auth/signout (components/staff/sign-out.tsx): next-auth clears the cookie; this ends
      // the session itself, so a copy of the cookie stops working too.
      async signOut({ token }) {
        await signOutSession(db(), { token, at: new Date() });
      },
    },
  };
}
