import 'server-only';
import type { Db } from '@/lib/db';
import { THROTTLE } from '@/lib/enrollment/policy';
import type { Peer } from '@/lib/devices/front-door';

// Failed link attempts are counted per client address and per device certificate, in the database
// (so the limit holds across app instances). A token has 256 bits, so this is not about guessing:
// it stops a stolen link being hammered and keeps the audit trail readable.

export function throttleKeys(peer: Peer): string[] {
  return [peer.ip ? `ip:${peer.ip}` : null, peer.fingerprint ? `device:${peer.fingerprint}` : null].filter(
    (key): key is string => key !== null,
  );
}

/** Seconds until the caller may try again, or null when not throttled. */
export async function throttledFor(db: Db, keys: string[], at: Date): Promise<number | null> {
  const since = new Date(at.getTime() - THROTTLE.window);
  let retryAfterMs = 0;
  for (const key of keys) {
    const hits = await db.throttleHit.findMany({
      where: { key, at: { gt: since } },
      orderBy: { at: 'desc' },
      take: THROTTLE.maxFailures,
      select: { at: true },
    });
    if (hits.length >= THROTTLE.maxFailures) {
      // Allowed again once the oldest of the last maxFailures hits leaves the window.
      const oldest = hits[hits.length - 1]!.at.getTime();
      retryAfterMs = Math.max(retryAfterMs, oldest + THROTTLE.window - at.getTime());
    }
  }
  return retryAfterMs > 0 ? Math.ceil(retryAfterMs / 1000) : null;
}

export async function recordFailure(db: Db, keys: string[], at: Date): Promise<void> {
  if (keys.length === 0) return;
  await db.throttleHit.createMany({ data: keys.map((key) => ({ key, at })) });
  // Old hits are worthless; trim them as we go so the table stays small.
  await db.throttleHit.deleteMany({ where: { at: { lt: new Date(at.getTime() - THROTTLE.window) } } });
}
