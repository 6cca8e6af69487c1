import 'server-only';
import { writeTransaction, type Db, type DbOrTx } from '@/lib/db';
import { refusalOf, Rollback } from '@/lib/db/rollback';
import type { RequestContext } from '@/lib/audit/actor';
import { endSessions, revokePasskeys } from '@/lib/access/revocation';
import { appendAudit } from '@/lib/audit/append';
import { issueLink } from '@/lib/enrollment/issue-link';
import { routeRecoveryLink, type Handover } from '@/lib/recovery/handover';
import { RECOVERY_REQUEST_TTL } from '@/lib/recovery/policy';
import { can } from '@/lib/staff/authorize';
import { independentOf, userOfLabel } from '@/lib/staff/independence';
import type { Staff } from '@/lib/staff/session';

// Recovery after a lost passkey or laptop (DESIGN.md): a new device-bound link that needs two people.
// One IT member asks; a second person — another IT member or the hire's manager — approves with a
// fresh passkey assertion (checked by the route). Only the approval issues the link, in the same
// transaction, and the link goes to the MDM or back to the requester (lib/recovery/handover.ts),
// never to the approver; no single person, and no single help-desk call, can mint a credential:
//   - the laptop the link is bound to must not have been registered by the requester's circle
//     (lib/staff/independence.ts): whoever swapped in a laptop they hold cannot also ask;
//   - the approver's circle — and, when they approve as the manager, the circle of whoever made them
//     the manager — must not meet the requester's.

export type RequestRecoveryResult =
  | { ok: true; requestId: string }
  | {
      ok: false;
      reason:
        | 'unknown_employee'
        | 'offboarded'
        | 'no_device'
        | 'already_pending'
        | 'own_recovery'
        | 'device_not_independent';
      message: string;
    };

export type RecoveryRequestRefusal = Extract<RequestRecoveryResult, { ok: false }>;

/**
 * Why `requester` cannot ask for a recovery of `user` now, or null when they can. The console asks it
 * too, so it offers the request only when the action would be accepted.
 */
export async function recoveryRequestRefusal(
  db: DbOrTx,
  user: {
    id: string;
    name: string;
    enrollmentState: string;
    devices: { serial: string; registeredBy: string }[];
  },
  requester: { id: string },
  at: Date,
): Promise<RecoveryRequestRefusal | null> {
  if (user.id === requester.id)
    return {
      ok: false,
      reason: 'own_recovery',
      message: 'You cannot request a recovery for yourself; ask another IT member',
    };
  if (user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'offboarded', message: `${user.name} has left` };
  const device = user.devices[0];
  if (!device)
    return {
      ok: false,
      reason: 'no_device',
      message: `Register the laptop ${user.name} will use first; the recovery link is bound to it`,
    };
  const registrant = userOfLabel(device.registeredBy);
  if (registrant) {
    const independence = await independentOf(
      db,
      [{ userId: registrant, role: 'who registered the laptop' }],
      [{ userId: requester.id, role: 'the person asking' }],
    );
    if (!independence.ok) {
      return {
        ok: false,
        reason: 'device_not_independent',
        message: `You cannot ask for a recovery onto laptop ${device.serial}: ${independence.message} Another IT member must ask.`,
      };
    }
  }
  if (
    await db.recoveryRequest.findFirst({
      where: { userId: user.id, status: 'pending', expiresAt: { gt: at } },
      select: { id: true },
    })
  ) {
    return {
      ok: false,
      reason: 'already_pending',
      message: 'A recovery request for this person is already waiting for approval',
    };
  }
  return null;
}

export async function requestRecovery(
  db: Db,
  input: { employeeId: string; reason: string; revokePasskeys: boolean },
  context: { requester: Staff; at: Date; request?: RequestContext },
): Promise<RequestRecoveryResult> {
  const { at, requester } = context;
  const user = await db.user.findUnique({
    where: { employeeId: input.employeeId },
    include: { devices: { where: { retiredAt: null }, take: 1 } },
  });
  if (!user)
    return {
      ok: false,
      reason: 'unknown_employee',
      message: `No person with employee id "${input.employeeId}"`,
    };
  const before = await recoveryRequestRefusal(db, user, requester, at);
  if (before) return before;
  const device = user.devices[0]!;
  return writeTransaction(db, async (tx) => {
    // Again inside the transaction: two requests at once must not both be created.
    const pending = await recoveryRequestRefusal(tx, user, requester, at);
    if (pending) return pending;
    const created = await tx.recoveryRequest.create({
      data: {
        userId: user.id,
        requestedById: requester.id,
        reason: input.reason,
        deviceId: device.id,
        revokePasskeys: input.revokePasskeys,
        createdAt: at,
        expiresAt: new Date(at.getTime() + RECOVERY_REQUEST_TTL),
      },
    });
    await appendAudit(tx, {
      at,
      actor: { type: 'user', id: requester.id },
      action: 'recovery_requested',
      subject: { type: 'recovery_request', id: created.id },
      userId: user.id,
      request: context.request,
      details: { reason: input.reason, revokePasskeys: input.revokePasskeys },
    });
    return { ok: true as const, requestId: created.id };
  });
}

/** What can stop an approval half-way, rolling it back. */
type RecoveryConflict = 'not_pending' | 'link_refused' | 'last_admin';

export type DecideRecoveryResult =
  | { ok: true; decision: 'approved'; handover: Handover }
  | { ok: true; decision: 'declined' | 'withdrawn' }
  | {
      ok: false;
      reason:
        | 'unknown_request'
        | 'not_pending'
        | 'expired'
        | 'same_person'
        | 'not_allowed'
        | 'not_independent'
        | 'last_admin'
        | 'link_refused'
        | 'device_changed';
      message: string;
    };

/**
 * The second person approves or declines a pending recovery; the one who asked may withdraw it (so a
 * request overtaken by events never blocks a fresh one for a day).
 */
export async function decideRecovery(
  db: Db,
  input: { requestId: string; decision: 'approve' | 'decline' | 'withdraw'; origin: string },
  context: { approver: Staff; at: Date; request?: RequestContext },
): Promise<DecideRecoveryResult> {
  const { approver, at } = context;
  const recovery = await db.recoveryRequest.findUnique({
    where: { id: input.requestId },
    include: { user: true, requestedBy: { select: { name: true } } },
  });
  if (!recovery)
    return { ok: false, reason: 'unknown_request', message: 'No such recovery request' };
  const asker = recovery.requestedById === approver.id;
  if (input.decision === 'withdraw') {
    if (!asker)
      return {
        ok: false,
        reason: 'not_allowed',
        message: 'Only the person who asked can withdraw a recovery request',
      };
  } else if (
    !can(approver, 'recovery.approve', {
      userId: recovery.userId,
      managerId: recovery.user.managerId,
    })
  ) {
    return {
      ok: false,
      reason: 'not_allowed',
      message: 'Only another IT member or the person\u2019s manager can decide this request',
    };
  } else if (asker) {
    return {
      ok: false,
      reason: 'same_person',
      message: 'You asked for this recovery; a second person must approve it',
    };
  }
  if (recovery.status === 'voided') return DEVICE_CHANGED;
  if (recovery.status !== 'pending')
    return {
      ok: false,
      reason: 'not_pending',
      message: `This request was already ${recovery.status}`,
    };
  if (recovery.expiresAt <= at)
    return { ok: false, reason: 'expired', message: 'This request expired; ask for a new one' };
  if (input.decision === 'approve') {
    const refused = await approvalRefusal(db, recovery, approver);
    if (refused) return refused;
  }

  const actor = { type: 'user', id: approver.id } as const;
  try {
    return await writeTransaction(db, async (tx) => {
      const status = ({ approve: 'approved', decline: 'declined', withdraw: 'withdrawn' } as const)[
        input.decision
      ];
      const claimed = await tx.recoveryRequest.updateMany({
        where: { id: recovery.id, status: 'pending' },
        data: { status, decidedById: approver.id, decidedAt: at },
      });
      if (claimed.count !== 1)
        throw new Rollback<RecoveryConflict>(
          'not_pending',
          'Someone decided this request at the same moment',
        );
      await appendAudit(tx, {
        at,
        actor,
        action: `recovery_${status}`,
        subject: { type: 'recovery_request', id: recovery.id },
        userId: recovery.userId,
        request: context.request,
        details: { requestedBy: recovery.requestedById },
      });
      if (status !== 'approved') return { ok: true as const, decision: status };
      if (recovery.revokePasskeys) {
        const revoked = await revokePasskeys(tx, {
          userId: recovery.userId,
          at,
          actor,
          request: context.request,
          reason: 'recovery',
        });
        if (!revoked.ok) throw new Rollback<RecoveryConflict>(revoked.reason, revoked.message);
      } else {
        // Kept passkeys or not, whoever holds the lost laptop may hold sessions on it: end them all.
        await endSessions(tx, recovery.userId);
      }
      const link = await issueLink(
        tx,
        {
          employeeId: recovery.user.employeeId,
          purpose: 'recovery',
          recoveryRequestId: recovery.id,
          reason: `recovery: ${recovery.reason}`,
        },
        { actor, at, origin: input.origin, request: context.request },
      );
      if (!link.ok) throw new Rollback<RecoveryConflict>('link_refused', link.message);
      const handover = await routeRecoveryLink(tx, link, recovery, at);
      return { ok: true as const, decision: 'approved' as const, handover };
    });
  } catch (error) {
    return refusalOf<RecoveryConflict>(error);
  }
}

const DEVICE_CHANGED = {
  ok: false,
  reason: 'device_changed',
  message:
    'The laptop changed after this request was made, which voided it; ask for a new request for the current laptop',
} as const;

/** Why this approver may not approve this recovery now, or null when they may. */
async function approvalRefusal(
  db: Db,
  recovery: {
    userId: string;
    requestedById: string;
    deviceId: string | null;
    user: { managerId: string | null; managerSetBy: string | null };
  },
  approver: Staff,
): Promise<Extract<DecideRecoveryResult, { ok: false }> | null> {
  const device = await db.device.findFirst({
    where: { userId: recovery.userId, retiredAt: null },
    select: { id: true },
  });
  if (!device || device.id !== recovery.deviceId) return DEVICE_CHANGED;
  // Approving as the manager rests on the manager relation too: whoever set it joins the approver's side.
  const viaManager = !approver.roles.includes('it')
    ? userOfLabel(recovery.user.managerSetBy)
    : null;
  const independence = await independentOf(
    db,
    [
      { userId: approver.id, role: 'the approver' },
      ...(viaManager ? [{ userId: viaManager, role: 'who made the approver the manager' }] : []),
    ],
    [{ userId: recovery.requestedById, role: 'the person who asked' }],
  );
  if (!independence.ok)
    return { ok: false, reason: 'not_independent', message: independence.message };
  return null;
}
