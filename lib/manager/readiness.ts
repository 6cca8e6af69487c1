import 'server-only';
import type { Db } from '@/lib/db';
import { isOpenLink } from '@/lib/enrollment/open-link';

// A manager's view of their direct reports' day-one readiness (issue "Managers' day-one readiness").

/**
 * ready / at risk / blocked as asked, plus on track: an open link with more than 3 days to go is
 * neither ready nor at risk, and calling it "at risk" would cry wolf.
 */
export type Verdict = 'ready' | 'on_track' | 'at_risk' | 'blocked';
export type Checklist = {
  deviceRegistered: boolean;
  linkIssued: boolean;
  linkOpened: boolean;
  passkeyEnrolled: boolean;
  backupPasskey: boolean;
};
export type ReportReadiness = {
  userId: string;
  employeeId: string;
  name: string;
  startDate: string;
  daysToStart: number;
  state: string;
  checklist: Checklist;
  verdict: Verdict;
  reason: string;
  pendingRecovery: {
    id: string;
    reason: string;
    requestedBy: string;
    revokePasskeys: boolean;
  } | null;
};

/** Who needs the manager first: blocked, then at risk, then on track, then ready. */
const VERDICT_ORDER: Record<Verdict, number> = { blocked: 0, at_risk: 1, on_track: 2, ready: 3 };

const DAY = 86_400_000;
/** Not enrolled this close to the start date (or later) is worth a manager's attention. */
const AT_RISK_WITHIN_DAYS = 3;

export function daysUntil(startDate: string, at: Date): number {
  const today = Date.parse(`${at.toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.round((Date.parse(`${startDate}T00:00:00Z`) - today) / DAY);
}

/** The verdict and its reason, from the checklist and the state — one rule, tested on its own. */
export function verdictFor(input: {
  checklist: Checklist;
  state: string;
  daysToStart: number;
  openLink: boolean;
}): { verdict: Verdict; reason: string } {
  const { checklist, state, daysToStart, openLink } = input;
  if (checklist.passkeyEnrolled) {
    return {
      verdict: 'ready',
      reason: checklist.backupPasskey
        ? 'Passkey enrolled, with a backup'
        : 'Passkey enrolled; no backup passkey yet',
    };
  }
  if (!checklist.deviceRegistered)
    return { verdict: 'blocked', reason: 'No laptop registered yet: IT must register the device' };
  if (!openLink && ['expired', 'revoked', 'ready'].includes(state)) {
    return {
      verdict: 'blocked',
      reason:
        state === 'ready'
          ? 'No enrollment link issued yet'
          : `The enrollment link was ${state}; IT must issue a new one`,
    };
  }
  const when =
    daysToStart < 0
      ? `started ${-daysToStart} day${daysToStart === -1 ? '' : 's'} ago`
      : daysToStart === 0
        ? 'starts today'
        : `starts in ${daysToStart} day${daysToStart === 1 ? '' : 's'}`;
  const step =
    state === 'enrolling'
      ? 'is creating a passkey'
      : checklist.linkOpened
        ? 'opened the link but has no passkey yet'
        : 'has not opened the link yet';
  return {
    verdict: daysToStart <= AT_RISK_WITHIN_DAYS ? 'at_risk' : 'on_track',
    reason: `${step}; ${when}`,
  };
}

/** A manager's reports, blocked first, then at risk (VERDICT_ORDER): what may need them is on top. */
export async function managerReports(
  db: Db,
  managerId: string,
  at: Date,
): Promise<ReportReadiness[]> {
  const horizon = new Date(at.getTime() + 30 * DAY).toISOString().slice(0, 10);
  const users = await db.user.findMany({
    where: {
      managerId,
      enrollmentState: { not: 'offboarded' },
      OR: [
        { startDate: { lte: horizon, gte: at.toISOString().slice(0, 10) } },
        { enrollmentState: { not: 'enrolled' } },
      ],
    },
    orderBy: [{ startDate: 'asc' }, { name: 'asc' }],
    include: {
      devices: { where: { retiredAt: null }, select: { id: true } },
      bridgeTokens: {
        select: { openedAt: true, consumedAt: true, revokedAt: true, expiresAt: true },
      },
      passkeys: { where: { revokedAt: null }, select: { deviceType: true, backedUp: true } },
      recoveryRequests: {
        where: { status: 'pending', expiresAt: { gt: at } },
        include: { requestedBy: { select: { name: true } } },
        take: 1,
      },
    },
  });
  const reports: ReportReadiness[] = users.map((user) => {
    const openLink = user.bridgeTokens.some((token) => isOpenLink(token, at));
    const checklist: Checklist = {
      deviceRegistered: user.devices.length > 0,
      linkIssued: user.bridgeTokens.length > 0,
      linkOpened: user.bridgeTokens.some((token) => token.openedAt !== null),
      passkeyEnrolled: user.passkeys.length > 0,
      backupPasskey:
        user.passkeys.length > 1 ||
        user.passkeys.some((passkey) => passkey.deviceType === 'multiDevice' && passkey.backedUp),
    };
    const daysToStart = daysUntil(user.startDate, at);
    const recovery = user.recoveryRequests[0];
    return {
      userId: user.id,
      employeeId: user.employeeId,
      name: user.name,
      startDate: user.startDate,
      daysToStart,
      state: user.enrollmentState,
      checklist,
      ...verdictFor({ checklist, state: user.enrollmentState, daysToStart, openLink }),
      pendingRecovery: recovery
        ? {
            id: recovery.id,
            reason: recovery.reason,
            requestedBy: recovery.requestedBy.name,
            revokePasskeys: recovery.revokePasskeys,
          }
        : null,
    };
  });
  // Array.prototype.sort is stable: within a verdict, the database's order (start date, name) stays.
  return reports.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict]);
}
