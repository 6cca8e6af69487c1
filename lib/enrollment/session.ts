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
