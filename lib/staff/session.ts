import 'server-only';
import crypto from 'node:crypto';
import { decode, type JWT } from 'next-auth/jwt';
import { z } from 'zod';
import { db } from '@/lib/db';
import { sessionSecret } from '@/lib/secrets';
import { FRESH_ASSERTION, SESSION_ABSOLUTE } from '@/lib/staff/policy';
import type { StaffRoleName } from '@/lib/hires/hire-input';

export type Staff = {
  id: string;
  name: string;
  employeeId: string;
  roles: StaffRoleName[];
  signedInAt: Date;
  assertedAt: Date;
};

/** What Firstkey puts in a staff session's JWT at sign-in (next-auth adds exp, iat, jti). */
const SessionClaims = z.object({
  sub: z.string().min(1),
  /** The session's id: kept across renewals, so signing out can end this one session (lib/staff/sign-out.ts). */
  sid: z.string().min(1),
  signedInAt: z.number(),
  assertedAt: z.number().optional(),
  epoch: z.number().int(),
  exp: z.number().optional(),
});

export type SessionClaims = z.infer<typeof SessionClaims>;

/** The claims of a new session for a person who just proved presence with their passkey. */
export function newSessionClaims(user: { id: string; epoch: number }, at: Date): SessionClaims {
  return {
    sub: user.id,
    sid: crypto.randomUUID(),
    signedInAt: at.getTime(),
    assertedAt: at.getTime(),
    epoch: user.epoch,
  };
}

/** The claims of a decoded session JWT, or null when they are not ours (e.g. a session from before `sid`). */
export function sessionClaims(token: JWT | null): SessionClaims | null {
  const parsed = SessionClaims.safeParse(token);
  return parsed.success ? parsed.data : null;
}

/**
 * The signed-in person behind a session cookie, or null. Beyond next-auth's own checks (signature,
 * encryption, the 30-minute idle expiry) it enforces the rules of staffFromSession.
 */
export async function staffFromSessionCookie(
  cookie: string | undefined,
  at: Date,
): Promise<Staff | null> {
  if (!cookie) return null;
  let token;
  try {
    token = await decode({ token: cookie, secret: sessionSecret() });
  } catch {
    return null;
  }
  return staffFromSession(token, at);
}

/**
 * The person of a decoded session, or null when the session may no longer be used: past its 12-hour
 * absolute lifetime, signed out on its browser (the ended-session list, one primary-key lookup),
 * ended by "sign out everywhere" (the epoch) or by offboarding. Roles are read from the database, so a
 * revoked role takes effect on the next request rather than at the next sign-in.
 */
export async function staffFromSession(token: JWT | null, at: Date): Promise<Staff | null> {
  const claims = sessionClaims(token);
  if (!claims) return null;
  if (claims.exp !== undefined && claims.exp * 1000 <= at.getTime()) return null;
  if (at.getTime() - claims.signedInAt >= SESSION_ABSOLUTE) return null;
  const [user, ended] = await Promise.all([
    db().user.findUnique({
      where: { id: claims.sub },
      include: { roles: { select: { role: true } } },
    }),
    db().staffSessionEnd.findUnique({
      where: { sessionId: claims.sid },
      select: { sessionId: true },
    }),
  ]);
  if (ended || !user || user.enrollmentState === 'offboarded' || user.sessionEpoch !== claims.epoch)
    return null;
  return {
    id: user.id,
    name: user.name,
    employeeId: user.employeeId,
    roles: user.roles.map((role) => role.role as StaffRoleName),
    signedInAt: new Date(claims.signedInAt),
    assertedAt: new Date(claims.assertedAt ?? claims.signedInAt),
  };
}

/** Sensitive actions need a passkey assertion from the last 5 minutes. */
export function hasFreshAssertion(staff: Staff, at: Date): boolean {
  return at.getTime() - staff.assertedAt.getTime() < FRESH_ASSERTION;
}
