import 'server-only';
import type { DbOrTx } from '@/lib/db';
import type { Peer } from '@/lib/devices/front-door';
import { THROTTLE } from '@/lib/enrollment/policy';

// Failed link attempts are counted in the database (so limits hold across app instances), each charged
// to whoever caused it. A token has 256 bits, so this is not about guessing: it stops a stolen link
// being hammered and keeps the audit trail readable — without letting one person behind an office's
// NAT address lock out everyone else behind it:
//   - a request presenting the link's own device certificate is judged by that device alone, so the
//     hire's laptop is never blocked by what others on the same address do;
//   - anything else (an unknown token, no certificate, another laptop's) is charged to the client
//     address, with a far higher limit because a Monday cohort shares one, and to the certificate it
//     presented, if any.

export type ThrottleKey = { key: string; limit: number };

export function throttleKeys(peer: Peer, presentsLinkDevice: boolean): ThrottleKey[] {
  const device = peer.fingerprint
    ? [{ key: `device:${peer.fingerprint}`, limit: THROTTLE.perDevice }]
    : [];
  if (presentsLinkDevice) return device;
  return [...(peer.ip ? [{ key: `ip:${peer.ip}`, limit: THROTTLE.perAddress }] : []), ...device];
}

/** Seconds until the caller may try again, or null when not throttled. */
export async function throttledFor(
  db: DbOrTx,
  keys: ThrottleKey[],
  at: Date,
): Promise<number | null> {
  const since = new Date(at.getTime() - THROTTLE.window);
  let retryAfterMs = 0;
  for (const { key, limit } of keys) {
    // Counted with one raw statement first — every peek and redeem asks, and a Prisma model query
    // costs about five times the CPU (lib/audit/append.ts) — and read only when at the limit.
    const [counted] = await db.$queryRaw<{ hits: number | bigint }[]>`
      SELECT COUNT(*) AS "hits" FROM (
        SELECT 1 FROM "ThrottleHit" WHERE "key" = ${key} AND "at" > ${since} LIMIT ${limit}
      ) AS "recent"`;
    if (Number(counted?.hits ?? 0) < limit) continue;
    const hits = await db.throttleHit.findMany({
      where: { key, at: { gt: since } },
      orderBy: { at: 'desc' },
      take: limit,
      select: { at: true },
    });
    if (hits.length >= limit) {
      // Allowed again once the oldest of the last `limit` hits leaves the window.
      const oldest = hits[hits.length - 1]!.at.getTime();
      retryAfterMs = Math.max(retryAfterMs, oldest + THROTTLE.window - at.getTime());
    }
  }
  return retryAfterMs > 0 ? Math.ceil(retryAfterMs / 1000) : null;
}

export async function recordFailure(db: DbOrTx, keys: ThrottleKey[], at: Date): Promise<void> {
  if (keys.length === 0) return;
  await db.throttleHit.createMany({ data: keys.map(({ key }) => ({ key, at })) });
  // Old hits are worthless; trim them as we go so the table stays small.
  await db.throttleHit.deleteMany({
    where: { at: { lt: new Date(at.getTime() - THROTTLE.window) } },
  });
}
