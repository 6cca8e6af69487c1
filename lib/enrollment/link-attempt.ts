import 'server-only';
import { type Db, writeTransaction } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { Peer } from '@/lib/devices/front-door';
import { sameFingerprint } from '@/lib/devices/fingerprint';
import { findUsableLink, type UsableLink } from '@/lib/enrollment/find-link';
import { COUNTS_AS_FAILED_ATTEMPT, type LinkFailure } from '@/lib/enrollment/link-outcome';
import { referenceOf } from '@/lib/enrollment/reference';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';
import { recordFailure, throttledFor, throttleKeys } from '@/lib/enrollment/throttle';

export type LinkAttempt = { token: string; peer: Peer; request: RequestContext; at: Date };

/**
 * The common front half of peek and redeem: throttling, lookup, device check, and the bookkeeping of
 * a failure (audit event, throttle hit, a lapsed link moving the hire to `expired`).
 */
export async function attemptLink(
  db: Db,
  attempt: LinkAttempt,
  step: 'peek' | 'redeem',
): Promise<{ ok: true; link: UsableLink } | LinkFailure> {
  const { peer, request, at } = attempt;
  // Looked up first so that a failure is charged to whoever caused it (throttle.ts); a throttled caller
  // still learns nothing about the link.
  const found = await findUsableLink(db, attempt.token, peer, at);
  const link = found.link;
  const ownLaptop = Boolean(
    link && peer.fingerprint && sameFingerprint(peer.fingerprint, link.device.certFingerprint),
  );
  const keys = throttleKeys(peer, ownLaptop);
  const retryAfterSeconds = await throttledFor(db, keys, at);
  if (retryAfterSeconds !== null) return { ok: false, reason: 'throttled', retryAfterSeconds };
  if (found.ok) return found;

  // A failure is counted in the write transaction that audits it, and the count is checked again
  // there: write transactions run one at a time on every instance, so of a burst of concurrent
  // failures only as many as the limit allows are answered and counted, the rest are throttled.
  const throttledNow = await writeTransaction(db, async (tx) => {
    if (COUNTS_AS_FAILED_ATTEMPT.has(found.reason)) {
      const retryAfter = await throttledFor(tx, keys, at);
      if (retryAfter !== null) return retryAfter;
      await recordFailure(tx, keys, at);
    }
    const mismatch = found.reason === 'wrong_device' || found.reason === 'no_certificate';
    await appendAudit(tx, {
      at,
      actor: { type: 'anonymous' },
      action: mismatch ? 'device_mismatch' : `link_${step}_refused`,
      subject: link ? { type: 'bridge_token', id: link.id } : undefined,
      userId: link?.userId,
      request,
      result: 'denied',
      details: {
        reason: found.reason,
        step,
        // What was seen and what was expected — fingerprints identify devices, they are not secrets.
        presentedFingerprint: peer.fingerprint,
        expectedDeviceSerial: mismatch && link ? link.device.serial : null,
      },
    });
    if (found.reason === 'expired' && link) {
      // Only the newest link speaks for the person: an old one expiring changes nothing.
      const newest = await tx.bridgeToken.findFirst({
        where: { userId: link.userId },
        orderBy: { issuedAt: 'desc' },
        select: { id: true },
      });
      if (newest?.id === link.id)
        await applyEnrollmentEvent(tx, {
          userId: link.userId,
          event: 'link_expired',
          at,
          actor: { type: 'system' },
          request,
        });
    }
    return null;
  });
  if (throttledNow !== null)
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttledNow };
  return {
    ok: false,
    reason: found.reason,
    validFrom: found.validFrom,
    reference: link ? referenceOf(link.id) : undefined,
    // The hire's own laptop may learn their language, as it learns their name (peek.ts).
    ...(ownLaptop && link?.user.preferredLanguage ? { language: link.user.preferredLanguage } : {}),
  };
}
