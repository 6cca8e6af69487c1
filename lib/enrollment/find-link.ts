import 'server-only';
import type { Db } from '@/lib/db';
import type { Peer } from '@/lib/devices/front-door';
import { sameFingerprint } from '@/lib/devices/fingerprint';
import type { LinkFailure } from '@/lib/enrollment/link-outcome';
import { hashSecret } from '@/lib/crypto';

export type UsableLink = NonNullable<Awaited<ReturnType<typeof loadLink>>>;

function loadLink(db: Db, tokenHash: string) {
  return db.bridgeToken.findUnique({
    where: { tokenHash },
    include: {
      device: true,
      user: {
        select: {
          id: true,
          name: true,
          preferredLanguage: true,
          employeeId: true,
          enrollmentState: true,
          _count: { select: { passkeys: { where: { revokedAt: null } } } },
        },
      },
    },
  });
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
      link.user._count.passkeys > 0;
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
