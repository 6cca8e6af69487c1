import 'server-only';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV, PEER_HEADER, readPeerHeader } from '@/lib/devices/front-door';
import { relyingParty } from '@/lib/enrollment/relying-party';
import { verifyPasskeyAssertion } from '@/lib/passkeys/authentication';
import { AuthenticationResponseSchema } from '@/lib/passkeys/schemas';
import { sessionSecret } from '@/lib/secrets';
import { SESSION_IDLE } from '@/lib/staff/policy';

// next-auth 4 with one provider: a Credentials provider whose only credential is a WebAuthn assertion
// from a discoverable passkey, verified by @simplewebauthn/server. No password, no email link, no
// other provider. Sessions are JWTs (encrypted cookies) that expire after SESSION_IDLE without
// activity; lib/staff/session.ts adds the absolute lifetime, "sign out everywhere" and fresh roles.

const AssertionCredential = z.string().max(16 * 1024).transform((text, context) => {
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
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        id: 'passkey',
        name: 'Passkey',
        credentials: { response: { label: 'Passkey assertion', type: 'text' } },
        async authorize(credentials, req) {
          const parsed = AssertionCredential.safeParse(credentials?.response);
          if (!parsed.success) throw new Error('Expected a passkey assertion');
          const peer = readPeerHeader(header(req.headers, PEER_HEADER), process.env[FRONT_DOOR_KEY_ENV]);
          const result = await verifyPasskeyAssertion(db(), parsed.data as AuthenticationResponseJSON, {
            rp: relyingParty(),
            at: new Date(),
            request: { ip: peer.ip, userAgent: header(req.headers, 'user-agent') },
          });
          if (!result.ok) throw new Error(result.message);
          const { user } = result.signedIn;
          return { id: user.id, name: user.name, epoch: user.sessionEpoch };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          const now = Date.now();
          token.sub = user.id;
          token.signedInAt = now;
          token.assertedAt = now;
          token.epoch = (user as { epoch?: number }).epoch ?? 0;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub ?? '', name: token.name ?? '' } };
      },
    },
  };
}
