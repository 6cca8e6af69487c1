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

/** An enrollment session with its device's binding, its person and the link it was opened with. */
export type ActiveEnrollmentSession = {
  id: string;
  userId: string;
  deviceId: string;
  bridgeTokenId: string;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  device: { id: string; serial: string; certFingerprint: string; retiredAt: Date | null };
  user: { id: string; name: string; email: string; employeeId: string; enrollmentState: string };
  bridgeToken: { id: string; purpose: string; recoveryRequestId: string | null };
};

type SessionRow = Omit<ActiveEnrollmentSession, 'device' | 'user' | 'bridgeToken'> & {
  deviceSerial: string;
  deviceCertFingerprint: string;
  deviceRetiredAt: Date | null;
  userName: string;
  userEmail: string;
  userEmployeeId: string;
  userEnrollmentState: string;
  linkPurpose: string;
  linkRecoveryRequestId: string | null;
};

/**
 * One raw statement with its joins: the passkey steps of every enrollment start here, and a Prisma
 * model query with three relations costs about ten times the CPU of this (lib/audit/append.ts).
 */
async function loadSession(db: Db, secret: string): Promise<ActiveEnrollmentSession | null> {
  const [row] = await db.$queryRaw<SessionRow[]>`
    SELECT s."id", s."userId", s."deviceId", s."bridgeTokenId", s."createdAt", s."expiresAt",
      s."endedAt",
      d."serial" AS "deviceSerial", d."certFingerprint" AS "deviceCertFingerprint",
      d."retiredAt" AS "deviceRetiredAt",
      u."name" AS "userName", u."email" AS "userEmail", u."employeeId" AS "userEmployeeId",
      u."enrollmentState" AS "userEnrollmentState",
      b."purpose" AS "linkPurpose", b."recoveryRequestId" AS "linkRecoveryRequestId"
    FROM "EnrollmentSession" s
    JOIN "Device" d ON d."id" = s."deviceId"
    JOIN "User" u ON u."id" = s."userId"
    JOIN "BridgeToken" b ON b."id" = s."bridgeTokenId"
    WHERE s."secretHash" = ${hashSecret(secret)}`;
  if (!row) return null;
  return {
    id: row.id,
    userId: row.userId,
    deviceId: row.deviceId,
    bridgeTokenId: row.bridgeTokenId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    endedAt: row.endedAt,
    device: {
      id: row.deviceId,
      serial: row.deviceSerial,
      certFingerprint: row.deviceCertFingerprint,
      retiredAt: row.deviceRetiredAt,
    },
    user: {
      id: row.userId,
      name: row.userName,
      email: row.userEmail,
      employeeId: row.userEmployeeId,
      enrollmentState: row.userEnrollmentState,
    },
    bridgeToken: {
      id: row.bridgeTokenId,
      purpose: row.linkPurpose,
      recoveryRequestId: row.linkRecoveryRequestId,
    },
  };
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
