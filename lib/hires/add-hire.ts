import 'server-only';
import { inTransaction, type DbOrTx } from '@/lib/db';
import { actorLabel, type Actor, type RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { HireInput } from '@/lib/hires/hire-input';
import { uniqueViolation } from '@/lib/db/errors';

export type AddHireResult =
  | { ok: true; hire: { id: string; employeeId: string } }
  | { ok: false; reason: 'duplicate_employee_id' | 'duplicate_email' | 'unknown_manager'; message: string };

/** Creates a hire (state `awaiting_device`) and, with `role`, grants them a staff role. */
export async function addHire(
  db: DbOrTx,
  input: HireInput,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<AddHireResult> {
  const { at, actor } = context;
  const duplicateId = { ok: false, reason: 'duplicate_employee_id', message: `A person with employee id "${input.employeeId}" already exists` } as const;
  if (await db.user.findUnique({ where: { employeeId: input.employeeId }, select: { id: true } })) return duplicateId;
  let managerId: string | null = null;
  if (input.managerEmployeeId) {
    const manager = await db.user.findUnique({ where: { employeeId: input.managerEmployeeId }, select: { id: true } });
    if (!manager) {
      return { ok: false, reason: 'unknown_manager', message: `No person with employee id "${input.managerEmployeeId}" to be the manager` };
    }
    managerId = manager.id;
  }
  try {
    const hire = await inTransaction(db, async (tx) => {
      const user = await tx.user.create({
        data: {
          employeeId: input.employeeId,
          name: input.name,
          email: input.email,
          startDate: input.startDate,
          department: input.department ?? null,
          managerId,
          managerSetBy: managerId ? actorLabel(actor) : null,
          createdBy: actorLabel(actor),
          createdAt: at,
          stateChangedAt: at,
        },
      });
      await appendAudit(tx, {
        at,
        actor,
        action: 'hire_added',
        subject: { type: 'user', id: user.id },
        userId: user.id,
        request: context.request,
        details: { employeeId: user.employeeId, startDate: user.startDate, managerEmployeeId: input.managerEmployeeId ?? null },
      });
      if (input.role) {
        await tx.staffRole.create({ data: { userId: user.id, role: input.role, grantedAt: at, grantedBy: actorLabel(actor) } });
        await appendAudit(tx, {
          at,
          actor,
          action: 'role_granted',
          subject: { type: 'user', id: user.id },
          userId: user.id,
          request: context.request,
          details: { role: input.role },
        });
      }
      return user;
    });
    return { ok: true, hire: { id: hire.id, employeeId: hire.employeeId } };
  } catch (error) {
    const field = uniqueViolation(error);
    if (field === 'employeeId') return duplicateId;
    if (field === 'email') return { ok: false, reason: 'duplicate_email', message: `A person with email "${input.email}" already exists` };
    throw error;
  }
}
