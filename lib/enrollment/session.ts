import 'server-only';
import type { Db } from '@/lib/db';
import type { Peer } from '@/lib/devices/front-door';
import { sameFingerprint } from '@/lib/devices/fingerprint';
import { ENROLLMENT_SESSION_TTL } from '@/lib/enrollment/policy';
import { hashSecret } from '@/lib/crypto';
import { TOKEN_PATTERN } from '@/lib/enrollment/token-shape';
import { readCookie } from '@/lib/http/cookies';
import { referenceOf } from '@/lib/enrollment/reference';

// The enrollment session: the 10-minute window after a link is redeemed, during which the passkey
// ceremony runs (and may be retried). Its secret lives only in a `__Host-` cookie: Secure, no Domain,
// Path=/ — so no subdomain can set or read it — HttpOnly and SameSite=Strict.

export const ENROLLMENT_COOKIE = '__Host-firstkey-enrollment';

/**
 * The cookie outlives the session by an hour: the server, not the browser, decides that the session
 * has lapsed, so a hire who comes back late is told "your enrollment window has closed" (and when it
 * opened), not "start from your link". A lapsed session's secret opens nothing.
 */
const COOKIE_MAX_AGE_SECONDS = ENROLLMENT_SESSION_TTL / 1000 + 3600;

export function enrollmentCookie(secret: string): string {
  return `${ENROLLMENT_COOKIE}=${secret}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; HttpOnly; Secure; SameSite=Strict`;
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

export type SessionFailure = {
  ok: false;
  reason: SessionProblem;
  /** The reference code of the link that opened the session (reference.ts). */
  reference?: string;
  /** When the session opened: its 10 minutes count from then. */
  openedAt?: Date;
};

/** The caller's enrollment session, if it is open and the same device is still on the other end. */
export async function currentEnrollmentSession(
  db: Db,
  input: { headers: Headers; peer: Peer; at: Date },
): Promise<{ ok: true; session: ActiveEnrollmentSession } | SessionFailure> {
  const secret = readCookie(input.headers, ENROLLMENT_COOKIE);
  if (!secret || !TOKEN_PATTERN.test(secret)) return { ok: false, reason: 'no_session' };
  const session = await loadSession(db, secret);
  if (!session) return { ok: false, reason: 'no_session' };
  const known = { reference: referenceOf(session.bridgeToken.id), openedAt: session.createdAt };
  if (session.endedAt || session.device.retiredAt || session.user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'session_ended', ...known };
  if (session.expiresAt <= input.at) return { ok: false, reason: 'session_expired', ...known };
  if (!input.peer.fingerprint) return { ok: false, reason: 'no_certificate', ...known };
  if (!sameFingerprint(input.peer.fingerprint, session.device.certFingerprint))
    return { ok: false, reason: 'wrong_device', ...known };
  return { ok: true, session };
}

/** Whole seconds the session has left at `at`: the page counts down from the server's clock. */
export function secondsLeft(session: { expiresAt: Date }, at: Date): number {
  return Math.max(0, Math.floor((session.expiresAt.getTime() - at.getTime()) / 1000));
}
