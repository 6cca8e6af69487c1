import 'server-only';
import { decode } from 'next-auth/jwt';
import { db } from '@/lib/db';
import { sessionSecret } from '@/lib/secrets';
import { FRESH_ASSERTION, SESSION_ABSOLUTE } from '@/lib/staff/policy';
import type { StaffRoleName } from '@/lib/hires/hire-input';

/** next-auth's cookie name on HTTPS (the `__Secure-` prefix makes browsers refuse it over HTTP). */
export const SESSION_COOKIE = '__Secure-next-auth.session-token';

export type Staff = {
  id: string;
  name: string;
  employeeId: string;
  roles: StaffRoleName[];
  signedInAt: Date;
  assertedAt: Date;
};

/**
 * The signed-in person behind a session cookie, or null. Beyond next-auth's own checks (signature,
 * encryption, the 30-minute idle expiry) it enforces the 12-hour absolute lifetime, "sign out
 * everywhere" (the epoch), offboarding, and reads roles from the database, so a revoked role takes
 * effect on the next request rather than at the next sign-in.
 */
export async function staffFromSessionCookie(cookie: string | undefined, at: Date): Promise<Staff | null> {
  if (!cookie) return null;
  let token;
  try {
    token = await decode({ token: cookie, secret: sessionSecret() });
  } catch {
    return null;
  }
  if (!token?.sub || typeof token.signedInAt !== 'number' || typeof token.epoch !== 'number') return null;
  if (typeof token.exp === 'number' && token.exp * 1000 <= at.getTime()) return null;
  if (at.getTime() - token.signedInAt >= SESSION_ABSOLUTE) return null;
  const user = await db().user.findUnique({ where: { id: token.sub }, include: { roles: { select: { role: true } } } });
  if (!user || user.enrollmentState === 'offboarded' || user.sessionEpoch !== token.epoch) return null;
  return {
    id: user.id,
    name: user.name,
    employeeId: user.employeeId,
    roles: user.roles.map((role) => role.role as StaffRoleName),
    signedInAt: new Date(token.signedInAt),
    assertedAt: new Date(token.assertedAt ?? token.signedInAt),
  };
}

/** Sensitive actions need a passkey assertion from the last 5 minutes. */
export function hasFreshAssertion(staff: Staff, at: Date): boolean {
  return at.getTime() - staff.assertedAt.getTime() < FRESH_ASSERTION;
}
