import 'server-only';
import type { Db } from '@/lib/db';
import type { Peer } from '@/lib/devices/front-door';
import { sameFingerprint } from '@/lib/devices/fingerprint';
import type { LinkFailure } from '@/lib/enrollment/link-outcome';
import { hashSecret } from '@/lib/crypto';

/** A link with what deciding on it needs: its device's binding and its person's name and state. */
export type UsableLink = {
  id: string;
  userId: string;
  deviceId: string;
  purpose: string;
  issuedAt: Date;
  notBefore: Date;
  expiresAt: Date;
  openedAt: Date | null;
  consumedAt: Date | null;
  revokedAt: Date | null;
  recoveryRequestId: string | null;
  device: { id: string; serial: string; certFingerprint: string; retiredAt: Date | null };
  user: {
    id: string;
    name: string;
    employeeId: string;
    enrollmentState: string;
    /** BCP 47 tag: the language the hire's pages speak once the link is known (peek). */
    preferredLanguage: string | null;
  };
};

type LinkRow = Omit<UsableLink, 'device' | 'user'> & {
  deviceSerial: string;
  deviceCertFingerprint: string;
  deviceRetiredAt: Date | null;
  userName: string;
  userEmployeeId: string;
  userEnrollmentState: string;
  userPreferredLanguage: string | null;
};

/**
 * One raw statement with its joins: every peek and redeem starts here, and a Prisma model query with
 * two relations costs about ten times the CPU of this (lib/audit/append.ts).
 */
async function loadLink(db: Db, tokenHash: string): Promise<UsableLink | null> {
  const [row] = await db.$queryRaw<LinkRow[]>`
    SELECT b."id", b."userId", b."deviceId", b."purpose", b."issuedAt", b."notBefore", b."expiresAt",
      b."openedAt", b."consumedAt", b."revokedAt", b."recoveryRequestId",
      d."serial" AS "deviceSerial", d."certFingerprint" AS "deviceCertFingerprint",
      d."retiredAt" AS "deviceRetiredAt",
      u."name" AS "userName", u."employeeId" AS "userEmployeeId",
      u."enrollmentState" AS "userEnrollmentState", u."preferredLanguage" AS "userPreferredLanguage"
    FROM "BridgeToken" b
    JOIN "Device" d ON d."id" = b."deviceId"
    JOIN "User" u ON u."id" = b."userId"
    WHERE b."tokenHash" = ${tokenHash}`;
  if (!row) return null;
  const {
    deviceSerial,
    deviceCertFingerprint,
    deviceRetiredAt,
    userName,
    userEmployeeId,
    userEnrollmentState,
    userPreferredLanguage,
    ...link
  } = row;
  return {
    ...link,
    device: {
      id: row.deviceId,
      serial: deviceSerial,
      certFingerprint: deviceCertFingerprint,
      retiredAt: deviceRetiredAt,
    },
    user: {
      id: row.userId,
      name: userName,
      employeeId: userEmployeeId,
      enrollmentState: userEnrollmentState,
      preferredLanguage: userPreferredLanguage,
    },
  };
}

/**
 * Looks a token up and decides whether this device may use it now. Order matters: a link that is no
 * longer usable says so to anyone (no secret in "expired"), but only the right device learns whose it is.
 */
export async function findUsableLink(
  db: Db,
  token: string,
  peer: Peer,
  at: Date,
): Promise<{ ok: true; link: UsableLink } | (LinkFailure & { link?: UsableLink })> {
  return findUsableLinkByHash(db, hashSecret(token), peer, at);
}

/** The same, for a link known by its stored hash (an enrollment session names its link that way). */
export async function findUsableLinkByHash(
  db: Db,
  tokenHash: string,
  peer: Peer,
  at: Date,
): Promise<{ ok: true; link: UsableLink } | (LinkFailure & { link?: UsableLink })> {
  const link = await loadLink(db, tokenHash);
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.revokedAt || link.device.retiredAt || link.user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'revoked', link };
  if (link.consumedAt) {
    // Its own owner, back on their laptop with a passkey that works: not a stolen link, just done.
    const owner =
      peer.fingerprint !== null &&
      sameFingerprint(peer.fingerprint, link.device.certFingerprint) &&
      (await db.passkey.count({ where: { userId: link.userId, revokedAt: null } })) > 0;
    return { ok: false, reason: owner ? 'already_enrolled' : 'used', link };
  }
  if (link.expiresAt <= at) return { ok: false, reason: 'expired', link };
  if (!peer.fingerprint) return { ok: false, reason: 'no_certificate', link };
  if (!sameFingerprint(peer.fingerprint, link.device.certFingerprint))
    return { ok: false, reason: 'wrong_device', link };
  if (link.notBefore > at)
    return { ok: false, reason: 'not_yet_valid', validFrom: link.notBefore, link };
  return { ok: true, link };
}
