import 'server-only';
import type { AuditAction } from '@/lib/audit/actions';
import type { Db } from '@/lib/db';
import { inChunks } from '@/lib/db/in-chunks';
import { actorNames } from '@/lib/audit/actor-names';
import {
  recoveriesAwaitingApproval,
  type AwaitingApproval,
} from '@/lib/recovery/awaiting-approval';
import type { Staff } from '@/lib/staff/session';

// The IT console's attention panel: what needs a person today.
const DEVICE_MISMATCH: AuditAction = 'device_mismatch';
const HOUR = 3_600_000;

export type AttentionPanel = {
  startingSoon: { employeeId: string; name: string; startDate: string; state: string }[];
  deviceMismatches: { employeeId: string; name: string; attempts: number; lastAt: Date }[];
  linksExpiringSoon: { employeeId: string; name: string; expiresAt: Date }[];
  failedDeliveries: {
    employeeId: string | null;
    name: string | null;
    /** "Link push to the MDM", "Status update to HR". */
    channel: string;
    attempts: number;
    /** What went wrong, in words: "it answered HTTP 503", "it could not be reached". */
    problem: string | null;
  }[];
  /**
   * Open help requests, one entry per person however often they asked (a worried manager clicking
   * five times is one thing to handle): how many, the latest message and time, who asked.
   * `id` is the latest item; marking it handled handles the person's other open ones too.
   */
  helpRequests: {
    id: string;
    employeeId: string | null;
    name: string | null;
    count: number;
    latestMessage: string;
    latestAt: Date;
    askedBy: string[];
  }[];
  /** Recoveries the viewer can approve (another IT member asked). */
  approvals: AwaitingApproval[];
};

/** The outbox's channels (lib/webhooks/outbox.ts), as IT says them. */
const CHANNELS: Record<string, string> = {
  mdm_push: 'Link push to the MDM',
  hr_status: 'Status update to HR',
};

/**
 * The worker's last error (lib/webhooks/worker.ts: "HTTP 503", "… is not configured", or the HTTP
 * client's own message such as "fetch failed") in words; the raw text stays in the outbox row.
 */
export function deliveryProblem(lastError: string | null): string | null {
  if (!lastError) return null;
  if (/^HTTP \d{3}$/.test(lastError)) return `it answered ${lastError}`;
  if (/is not configured$/.test(lastError)) return 'its address is not configured';
  return 'it could not be reached';
}

function isoDate(at: Date, plusDays = 0): string {
  return new Date(at.getTime() + plusDays * 24 * HOUR).toISOString().slice(0, 10);
}

export async function attentionPanel(
  db: Db,
  at: Date,
  viewer: Pick<Staff, 'id' | 'roles'>,
  limit = 20,
): Promise<AttentionPanel> {
  const [startingSoon, mismatches, expiring, failed, helpGroups, approvals] = await Promise.all([
    db.user.findMany({
      where: {
        startDate: { gte: isoDate(at), lte: isoDate(at, 2) },
        enrollmentState: { notIn: ['enrolled', 'offboarded'] },
      },
      orderBy: { startDate: 'asc' },
      take: limit,
      select: { employeeId: true, name: true, startDate: true, enrollmentState: true },
    }),
    db.auditEvent.groupBy({
      by: ['userId'],
      where: {
        action: DEVICE_MISMATCH,
        at: { gt: new Date(at.getTime() - 24 * HOUR) },
        userId: { not: null },
      },
      _count: { _all: true },
      _max: { at: true },
      orderBy: { _max: { at: 'desc' } },
      take: limit,
    }),
    db.bridgeToken.findMany({
      where: {
        consumedAt: null,
        revokedAt: null,
        expiresAt: { gt: at, lte: new Date(at.getTime() + 12 * HOUR) },
      },
      orderBy: { expiresAt: 'asc' },
      take: limit,
      select: { expiresAt: true, user: { select: { employeeId: true, name: true } } },
    }),
    db.outboxMessage.findMany({
      where: { deliveredAt: null, OR: [{ failedAt: { not: null } }, { attempts: { gte: 3 } }] },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { channel: true, attempts: true, lastError: true, userId: true },
    }),
    db.attentionItem.groupBy({
      by: ['userId'],
      where: { resolvedAt: null },
      _count: { _all: true },
      _max: { createdAt: true },
      orderBy: { _max: { createdAt: 'desc' } },
      take: limit,
    }),
    recoveriesAwaitingApproval(db, viewer, at, limit),
  ]);
  // Per person: the latest item (its message and id) and everyone who asked, from that person's open items.
  const help = await Promise.all(
    helpGroups.map(async (group) => {
      const items = await db.attentionItem.findMany({
        where: { resolvedAt: null, userId: group.userId },
        orderBy: { createdAt: 'desc' },
        take: 50,
        select: {
          id: true,
          message: true,
          createdAt: true,
          createdBy: true,
          user: { select: { employeeId: true, name: true } },
        },
      });
      return { count: group._count._all, items };
    }),
  );
  const askers = await actorNames(
    db,
    help.flatMap((group) => group.items.map((item) => item.createdBy)),
  );
  // Audit events and outbox messages name their hire by id only (no relation to join through).
  const mismatchUsers = await inChunks(
    mismatches.map((row) => row.userId!),
    (ids) =>
      db.user.findMany({
        where: { id: { in: ids } },
        select: { id: true, employeeId: true, name: true },
      }),
  );
  const failedUsers = await inChunks(
    failed.flatMap((row) => row.userId ?? []),
    (ids) =>
      db.user.findMany({
        where: { id: { in: ids } },
        select: { id: true, employeeId: true, name: true },
      }),
  );
  const byId = new Map(mismatchUsers.map((user) => [user.id, user]));
  return {
    startingSoon: startingSoon.map((user) => ({
      employeeId: user.employeeId,
      name: user.name,
      startDate: user.startDate,
      state: user.enrollmentState,
    })),
    deviceMismatches: mismatches.flatMap((row) => {
      const user = byId.get(row.userId!);
      return user
        ? [
            {
              employeeId: user.employeeId,
              name: user.name,
              attempts: row._count._all,
              lastAt: row._max.at!,
            },
          ]
        : [];
    }),
    linksExpiringSoon: expiring.map((link) => ({
      employeeId: link.user.employeeId,
      name: link.user.name,
      expiresAt: link.expiresAt,
    })),
    failedDeliveries: failed.map((row) => {
      const user = failedUsers.find((candidate) => candidate.id === row.userId);
      return {
        employeeId: user?.employeeId ?? null,
        name: user?.name ?? null,
        channel: CHANNELS[row.channel] ?? row.channel,
        attempts: row.attempts,
        problem: deliveryProblem(row.lastError),
      };
    }),
    helpRequests: help.flatMap(({ count, items }) => {
      const latest = items[0];
      if (!latest) return [];
      return [
        {
          id: latest.id,
          employeeId: latest.user?.employeeId ?? null,
          name: latest.user?.name ?? null,
          count,
          latestMessage: latest.message,
          latestAt: latest.createdAt,
          askedBy: [...new Set(items.map((item) => askers.name(item.createdBy)))],
        },
      ];
    }),
    approvals,
  };
}
