import 'server-only';
import type { AuditAction } from '@/lib/audit/actions';
import type { Db } from '@/lib/db';

// Enrollment metrics for the IT console (issue "IT console": funnel, time to passkey, secret-free
// onboarding rate, device-mismatch attempts per day) and sign-ins to each app per day.

const DEVICE_MISMATCH: AuditAction = 'device_mismatch';
const APP_SIGN_IN: AuditAction = 'oidc_sign_in';

export type Metrics = {
  funnel: { invited: number; opened: number; enrolled: number };
  timeToPasskey: { medianMinutes: number | null; p90Minutes: number | null; samples: number };
  secretFree: { enrolled: number; withoutHelp: number; rate: number | null };
  mismatchesPerDay: { day: string; count: number }[];
  /** Successful sign-ins to each registered app (OpenID Connect client), per UTC day. */
  appSignIns: {
    clientId: string;
    name: string;
    total: number;
    perDay: { day: string; count: number }[];
  }[];
};

/** The last `days` UTC days up to `at`, oldest first, each with a zero count. */
function emptyDays(at: Date, days: number): Map<string, number> {
  const perDay = new Map<string, number>();
  for (let i = days - 1; i >= 0; i -= 1)
    perDay.set(new Date(at.getTime() - i * 86_400_000).toISOString().slice(0, 10), 0);
  return perDay;
}

function countByDay(
  events: { at: Date }[],
  at: Date,
  days: number,
): { day: string; count: number }[] {
  const perDay = emptyDays(at, days);
  for (const event of events) {
    const day = event.at.toISOString().slice(0, 10);
    if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
  }
  return [...perDay].map(([day, count]) => ({ day, count }));
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function enrollmentMetrics(db: Db, at: Date, days = 14): Promise<Metrics> {
  const [invited, opened, enrolled] = await Promise.all([
    db.user.count({ where: { bridgeTokens: { some: {} } } }),
    db.user.count({ where: { bridgeTokens: { some: { openedAt: { not: null } } } } }),
    db.user.count({ where: { passkeys: { some: {} } } }),
  ]);

  // Link issued → passkey registered, per enrolled hire: first passkey against the link it came through.
  const firstPasskeys = await db.passkey.findMany({
    orderBy: { createdAt: 'asc' },
    distinct: ['userId'],
    select: { userId: true, createdAt: true },
  });
  const consumed = await db.bridgeToken.findMany({
    // A relation filter, not a list of the enrolled hires' ids: thousands of them exceed SQLite's bound-parameter limit.
    where: { consumedAt: { not: null }, user: { passkeys: { some: {} } } },
    select: { userId: true, issuedAt: true, consumedAt: true },
    orderBy: { consumedAt: 'desc' },
  });
  const linksByUser = new Map<string, typeof consumed>();
  for (const token of consumed)
    linksByUser.set(token.userId, [...(linksByUser.get(token.userId) ?? []), token]);
  const minutes: number[] = [];
  for (const passkey of firstPasskeys) {
    const link = linksByUser
      .get(passkey.userId)
      ?.find((token) => token.consumedAt! <= passkey.createdAt);
    if (link) minutes.push((passkey.createdAt.getTime() - link.issuedAt.getTime()) / 60_000);
  }
  minutes.sort((a, b) => a - b);

  // Secret-free: enrolled with the first link, no reissue, no recovery, no help-desk request.
  const enrolledUsers = await db.user.findMany({
    where: { passkeys: { some: {} } },
    select: {
      _count: { select: { bridgeTokens: true, recoveryRequests: true, attentionItems: true } },
    },
  });
  const withoutHelp = enrolledUsers.filter(
    (user) =>
      user._count.bridgeTokens === 1 &&
      user._count.recoveryRequests === 0 &&
      user._count.attentionItems === 0,
  ).length;

  const since = new Date(at.getTime() - days * 86_400_000);
  const mismatches = await db.auditEvent.findMany({
    where: { action: DEVICE_MISMATCH, at: { gt: since } },
    select: { at: true },
  });
  const signIns = await db.auditEvent.findMany({
    where: { action: APP_SIGN_IN, result: 'ok', at: { gt: since } },
    select: { at: true, subjectId: true },
  });
  const clients = await db.oidcClient.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
  });

  return {
    funnel: { invited, opened, enrolled },
    timeToPasskey: {
      medianMinutes: percentile(minutes, 50),
      p90Minutes: percentile(minutes, 90),
      samples: minutes.length,
    },
    secretFree: {
      enrolled: enrolledUsers.length,
      withoutHelp,
      rate: enrolledUsers.length ? withoutHelp / enrolledUsers.length : null,
    },
    mismatchesPerDay: countByDay(mismatches, at, days),
    appSignIns: clients.map((client) => {
      const perDay = countByDay(
        signIns.filter((event) => event.subjectId === client.id),
        at,
        days,
      );
      return {
        clientId: client.id,
        name: client.name,
        total: perDay.reduce((sum, day) => sum + day.count, 0),
        perDay,
      };
    }),
  };
}
