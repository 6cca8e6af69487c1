import 'server-only';
import type { Db } from '@/lib/db';
import type { Peer } from '@/lib/devices/front-door';
import { sameFingerprint } from '@/lib/devices/fingerprint';
import { ENROLLMENT_SESSION_TTL } from '@/lib/enrollment/policy';
import { hashSecret } from '@/lib/crypto';
import { TOKEN_PATTERN } from '@/lib/enrollment/token-shape';
import { readCookie } from '@/lib/http/cookies';

// The enrollment session: the 10-minute window after a link is redeemed, during which the passkey
// ceremony runs (and may be retried). Its secret lives only in a `__Host-` cookie: Secure, no Domain,
// Path=/ — so no subdomain can set or read it — HttpOnly and SameSite=Strict.

export const ENROLLMENT_COOKIE = '__Host-firstkey-enrollment';

export function enrollmentCookie(secret: string): string {
  return `${ENROLLMENT_COOKIE}=${secret}; Path=/; Max-Age=${ENROLLMENT_SESSION_TTL / 1000}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedEnrollmentCookie(): string {
  return `${ENROLLMENT_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

export type SessionProblem =
  'no_session' | 'session_expired' | 'session_ended' | 'wrong_device' | 'no_certificate';

export type ActiveEnrollmentSession = NonNullable<Awaited<ReturnType<typeof loadSession>>>;

function loadSession(db: Db, secret: string) {
  return db.enrollmentSession.findUnique({
    where: { secretHash: hashSecret(secret) },
    include: {
      device: true,
      user: {
        select: { id: true, name: true, email: true, employeeId: true, enrollmentState: true },
      },
      bridgeToken: { select: { id: true, purpose: true, recoveryRequestId: true } },
    },
  });
}

/** The caller's enrollment session, if it is open and the same device is still on the other end. */
export async function currentEnrollmentSession(
  db: Db,
  input: { headers: Headers; peer: Peer; at: Date },
): Promise<{ ok: true; session: ActiveEnrollmentSession } | { ok: false; reason: SessionProblem }> {
  const secret = readCookie(input.headers, ENROLLMENT_COOKIE);
  if (!secret || !TOKEN_PATTERN.test(secret)) return { ok: false, reason: 'no_session' };
  const session = await loadSession(db, secret);
  if (!session) return { ok: false, reason: 'no_session' };
  if (session.endedAt || session.device.retiredAt || session.user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'session_ended' };
  if (session.expiresAt <= input.at) return { ok: false, reason: 'session_expired' };
  if (!input.peer.fingerprint) return { ok: false, reason: 'no_certificate' };
  if (!sameFingerprint(input.peer.fingerprint, session.device.certFingerprint))
    return { ok: false, reason: 'wrong_device' };
  return { ok: true, session };
}
