import 'server-only';
import { writeTransaction, type Db, type Tx } from '@/lib/db';
import { actorLabel, type RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { StaffRoleName } from '@/lib/hires/hire-input';
import { can } from '@/lib/staff/authorize';
import { independentOf } from '@/lib/staff/independence';
import { isLastItAdmin, LAST_ADMIN_MESSAGE } from '@/lib/access/last-admin';
import { ROLE_REQUEST_TTL, TWO_PERSON_ROLES } from '@/lib/staff/policy';
import type { Staff } from '@/lib/staff/session';

// Staff roles from the console. Nobody changes their own roles. Granting a role in TWO_PERSON_ROLES
// (`it`) takes two people, like privileged-role approval in Entra PIM: one IT member asks, a second
// IT member independent of them (lib/staff/independence.ts) approves. HR/SCIM data and the server's
// terminal grant directly. Revoking takes one person, except that the last IT member who can sign in
// keeps the role (lib/staff/last-admin.ts).

export type ChangeRoleResult =
  | { ok: true; roles: string[]; pendingRequestId: string | null }
  | {
      ok: false;
      reason: 'unknown_employee' | 'own_roles' | 'last_admin' | 'offboarded' | 'already_pending';
      message: string;
    };

export async function changeRole(
  db: Db,
  input: { employeeId: string; role: StaffRoleName; grant: boolean; reason: string },
  context: { actor: Staff; at: Date; request?: RequestContext },
): Promise<ChangeRoleResult> {
  const { actor, at } = context;
  const user = await db.user.findUnique({ where: { employeeId: input.employeeId } });
  if (!user)
    return {
      ok: false,
      reason: 'unknown_employee',
      message: `No person with employee id "${input.employeeId}"`,
    };
  if (user.id === actor.id)
    return { ok: false, reason: 'own_roles', message: 'Another IT member must change your roles' };
  if (user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'offboarded', message: `${user.name} has left` };
  return writeTransaction(db, async (tx) => {
    const audit = {
      at,
      actor: { type: 'user', id: actor.id } as const,
      subject: { type: 'user', id: user.id },
      userId: user.id,
      request: context.request,
    };
    if (!input.grant) {
      if (input.role === 'it' && (await isLastItAdmin(tx, user.id)))
        return { ok: false as const, reason: 'last_admin' as const, message: LAST_ADMIN_MESSAGE };
      await tx.staffRole.deleteMany({ where: { userId: user.id, role: input.role } });
      await appendAudit(tx, {
        ...audit,
        action: 'role_revoked',
        details: { role: input.role, reason: input.reason },
      });
      return { ok: true as const, roles: await rolesOf(tx, user.id), pendingRequestId: null };
    }
    const held = await tx.staffRole.findUnique({
      where: { userId_role: { userId: user.id, role: input.role } },
    });
    if (held)
      return { ok: true as const, roles: await rolesOf(tx, user.id), pendingRequestId: null };
    if (!TWO_PERSON_ROLES.has(input.role)) {
      await tx.staffRole.create({
        data: {
          userId: user.id,
          role: input.role,
          grantedAt: at,
          grantedBy: actorLabel(audit.actor),
        },
      });
      await appendAudit(tx, {
        ...audit,
        action: 'role_granted',
        details: { role: input.role, reason: input.reason },
      });
      return { ok: true as const, roles: await rolesOf(tx, user.id), pendingRequestId: null };
    }
    const pending = await tx.roleRequest.findFirst({
      where: { userId: user.id, role: input.role, status: 'pending', expiresAt: { gt: at } },
    });
    if (pending) {
      return {
        ok: false as const,
        reason: 'already_pending' as const,
        message: `A request to make ${user.name} an IT member is already waiting for approval`,
      };
    }
    const created = await tx.roleRequest.create({
      data: {
        userId: user.id,
        role: input.role,
        reason: input.reason,
        requestedById: actor.id,
        createdAt: at,
        expiresAt: new Date(at.getTime() + ROLE_REQUEST_TTL),
      },
    });
    await appendAudit(tx, {
      ...audit,
      action: 'role_requested',
      subject: { type: 'role_request', id: created.id },
      details: { role: input.role, reason: input.reason },
    });
    return { ok: true as const, roles: await rolesOf(tx, user.id), pendingRequestId: created.id };
  });
}

export type DecideRoleResult =
  | { ok: true; decision: 'approved' | 'declined' | 'withdrawn'; roles: string[] }
  | {
      ok: false;
      reason:
        | 'unknown_request'
        | 'not_allowed'
        | 'same_person'
        | 'not_independent'
        | 'not_pending'
        | 'expired'
        | 'offboarded';
      message: string;
    };

/**
 * The second IT member approves or declines a pending grant; the one who asked may withdraw it.
 * Approval needs someone other than the requester and the subject, independent of the requester.
 */
export async function decideRoleRequest(
  db: Db,
  input: { requestId: string; decision: 'approve' | 'decline' | 'withdraw' },
  context: { actor: Staff; at: Date; request?: RequestContext },
): Promise<DecideRoleResult> {
  const { actor, at } = context;
  const request = await db.roleRequest.findUnique({
    where: { id: input.requestId },
    include: { user: true, requestedBy: { select: { name: true } } },
  });
  if (!request) return { ok: false, reason: 'unknown_request', message: 'No such role request' };
  const asker = request.requestedById === actor.id;
  if (input.decision === 'withdraw' ? !asker : !can(actor, 'role.change')) {
    return {
      ok: false,
      reason: 'not_allowed',
      message:
        input.decision === 'withdraw'
          ? 'Only the person who asked can withdraw a request'
          : 'Only IT members decide role requests',
    };
  }
  if (input.decision !== 'withdraw' && (asker || request.userId === actor.id)) {
    return {
      ok: false,
      reason: 'same_person',
      message: asker
        ? 'You asked for this role; a second IT member must approve it'
        : 'Nobody decides their own role',
    };
  }
  if (request.status !== 'pending')
    return {
      ok: false,
      reason: 'not_pending',
      message: `This request was already ${request.status}`,
    };
  if (request.expiresAt <= at)
    return { ok: false, reason: 'expired', message: 'This request expired; ask again' };
  if (request.user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'offboarded', message: `${request.user.name} has left` };
  if (input.decision === 'approve') {
    const independence = await independentOf(
      db,
      [{ userId: actor.id, role: 'the approver' }],
      [{ userId: request.requestedById, role: 'the person who asked' }],
    );
    if (!independence.ok)
      return { ok: false, reason: 'not_independent', message: independence.message };
  }
  const status = ({ approve: 'approved', decline: 'declined', withdraw: 'withdrawn' } as const)[
    input.decision
  ];
  return writeTransaction(db, async (tx) => {
    const claimed = await tx.roleRequest.updateMany({
      where: { id: request.id, status: 'pending' },
      data: { status, decidedById: actor.id, decidedAt: at },
    });
    if (claimed.count !== 1)
      return {
        ok: false as const,
        reason: 'not_pending' as const,
        message: 'Someone decided this request at the same moment',
      };
    const audit = {
      at,
      actor: { type: 'user', id: actor.id } as const,
      subject: { type: 'role_request', id: request.id },
      userId: request.userId,
      request: context.request,
    };
    await appendAudit(tx, {
      ...audit,
      action: `role_request_${status}`,
      details: { role: request.role, requestedBy: request.requestedById },
    });
    if (status === 'approved') {
      await tx.staffRole.upsert({
        where: { userId_role: { userId: request.userId, role: request.role } },
        create: {
          userId: request.userId,
          role: request.role,
          grantedAt: at,
          grantedBy: `user:${request.requestedById}`,
          approvedBy: `user:${actor.id}`,
        },
        update: {},
      });
      await appendAudit(tx, {
        ...audit,
        subject: { type: 'user', id: request.userId },
        action: 'role_granted',
        details: {
          role: request.role,
          reason: request.reason,
          requestedBy: request.requestedById,
          approvedBy: actor.id,
        },
      });
    }
    return { ok: true as const, decision: status, roles: await rolesOf(tx, request.userId) };
  });
}

async function rolesOf(tx: Tx, userId: string): Promise<string[]> {
  return (await tx.staffRole.findMany({ where: { userId }, select: { role: true } })).map(
    (role) => role.role,
  );
}
