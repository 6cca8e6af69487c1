import 'server-only';
import type { Db } from '@/lib/db';
import type { Staff } from '@/lib/staff/session';

/** A pending recovery that `viewer` is one of the people who can approve. */
export type AwaitingApproval = {
  id: string;
  employeeId: string;
  name: string;
  reason: string;
  requestedBy: string;
  revokePasskeys: boolean;
  createdAt: Date;
  expiresAt: Date;
};

/**
 * The recoveries waiting for `viewer`'s approval, oldest first: any IT member's request for an IT
 * viewer, a request for their own reports for a manager — never one they asked for themselves (the
 * same rule as `can(…, 'recovery.approve')` and decideRecovery's `same_person`). Independence of
 * the two people is checked when they approve, with its reason.
 */
export async function recoveriesAwaitingApproval(
  db: Db,
  viewer: Pick<Staff, 'id' | 'roles'>,
  at: Date,
  limit = 20,
): Promise<AwaitingApproval[]> {
  const isIt = viewer.roles.includes('it');
  if (!isIt && !viewer.roles.includes('manager')) return [];
  const rows = await db.recoveryRequest.findMany({
    where: {
      status: 'pending',
      expiresAt: { gt: at },
      requestedById: { not: viewer.id },
      userId: { not: viewer.id },
      ...(isIt ? {} : { user: { managerId: viewer.id } }),
    },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: {
      id: true,
      reason: true,
      revokePasskeys: true,
      createdAt: true,
      expiresAt: true,
      user: { select: { employeeId: true, name: true } },
      requestedBy: { select: { name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    employeeId: row.user.employeeId,
    name: row.user.name,
    reason: row.reason,
    requestedBy: row.requestedBy.name,
    revokePasskeys: row.revokePasskeys,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  }));
}

/** The banner over an approver's screen: "1 recovery needs your approval", "3 recoveries need …". */
export function approvalsWaitingTitle(count: number): string {
  return count === 1 ? '1 recovery needs your approval' : `${count} recoveries need your approval`;
}

/**
 * What approving does, said next to the approve button: "Approving revokes Ada Lovelace’s lost
 * passkeys and issues a new link that Ari Asker (IT) hands over." Follows decideRecovery and
 * routeRecoveryLink: revoke (or only end sessions), issue, then the MDM or the requester hands over.
 */
export function approvalConsequence(input: {
  name: string;
  revokePasskeys: boolean;
  requestedBy: string;
  pushedToMdm: boolean;
}): string {
  const first = input.revokePasskeys
    ? `revokes ${input.name}\u2019s lost passkeys`
    : `signs ${input.name} out everywhere (their passkeys stay)`;
  const handover = input.pushedToMdm
    ? 'that the MDM pushes to their laptop'
    : `that ${input.requestedBy} (IT) hands over`;
  return `Approving ${first} and issues a new link ${handover}.`;
}
