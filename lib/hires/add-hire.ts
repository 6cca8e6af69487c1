import 'server-only';
import crypto from 'node:crypto';
import { inTransaction, type DbOrTx, type Tx } from '@/lib/db';
import { inChunks } from '@/lib/db/in-chunks';
import { insertRows } from '@/lib/db/insert-rows';
import { actorLabel, type Actor, type RequestContext } from '@/lib/audit/actor';
import { appendAudit, appendAuditEvents, type AuditInput } from '@/lib/audit/append';
import type { HireInput } from '@/lib/hires/hire-input';
import { uniqueViolation } from '@/lib/db/errors';

export type AddHireResult =
  | { ok: true; hire: { id: string; employeeId: string } }
  | {
      ok: false;
      reason: 'duplicate_employee_id' | 'duplicate_email' | 'unknown_manager';
      message: string;
    };

/** Creates a hire (state `awaiting_device`) and, with `role`, grants them a staff role. */
export async function addHire(
  db: DbOrTx,
  input: HireInput,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<AddHireResult> {
  const { at, actor } = context;
  const duplicateId = {
    ok: false,
    reason: 'duplicate_employee_id',
    message: `A person with employee id "${input.employeeId}" already exists`,
  } as const;
  if (await db.user.findUnique({ where: { employeeId: input.employeeId }, select: { id: true } }))
    return duplicateId;
  let managerId: string | null = null;
  if (input.managerEmployeeId) {
    const manager = await db.user.findUnique({
      where: { employeeId: input.managerEmployeeId },
      select: { id: true },
    });
    if (!manager) {
      return {
        ok: false,
        reason: 'unknown_manager',
        message: `No person with employee id "${input.managerEmployeeId}" to be the manager`,
      };
    }
    managerId = manager.id;
  }
  try {
    const hire = await inTransaction(db, async (tx) => {
      const user = await tx.user.create({ data: newHireRow(input, managerId, context) });
      await appendAudit(tx, hireAddedEvent(user, input, context));
      if (input.role) {
        await tx.staffRole.create({
          data: { userId: user.id, role: input.role, grantedAt: at, grantedBy: actorLabel(actor) },
        });
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
    if (field === 'email')
      return {
        ok: false,
        reason: 'duplicate_email',
        message: `A person with email "${input.email}" already exists`,
      };
    throw error;
  }
}

/**
 * Creates many hires with multi-row inserts (CSV import), with the same rows and `hire_added` events
 * as addHire: one at a time, 10,000 of them held the write lock for most of a minute. The caller has
 * already refused duplicates and unknown managers inside the same transaction; a manager may be one
 * of `inputs`, earlier in the list. Roles are never granted in bulk.
 */
export async function addHires(
  tx: Tx,
  inputs: Omit<HireInput, 'role'>[],
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<{ id: string; employeeId: string }[]> {
  const ids = new Map<string, string>(
    inputs.map((input) => [input.employeeId, crypto.randomUUID()]),
  );
  const outside = [
    ...new Set(
      inputs.flatMap((input) =>
        input.managerEmployeeId && !ids.has(input.managerEmployeeId)
          ? [input.managerEmployeeId]
          : [],
      ),
    ),
  ];
  const managers = await inChunks(outside, (chunk) =>
    tx.user.findMany({
      where: { employeeId: { in: chunk } },
      select: { id: true, employeeId: true },
    }),
  );
  for (const manager of managers) ids.set(manager.employeeId, manager.id);
  const hires = inputs.map((input) => {
    const managerId = input.managerEmployeeId ? ids.get(input.managerEmployeeId) : null;
    if (managerId === undefined)
      throw new Error(
        `addHires: manager "${input.managerEmployeeId}" of "${input.employeeId}" was not checked by the caller`,
      );
    return { id: ids.get(input.employeeId)!, ...newHireRow(input, managerId, context) };
  });
  await insertRows(tx, 'User', hires);
  await appendAuditEvents(
    tx,
    hires.map((hire, index) => hireAddedEvent(hire, inputs[index]!, context)),
  );
  return hires.map((hire) => ({ id: hire.id, employeeId: hire.employeeId }));
}

function newHireRow(
  input: Omit<HireInput, 'role'>,
  managerId: string | null,
  context: { actor: Actor; at: Date },
) {
  const { actor, at } = context;
  return {
    employeeId: input.employeeId,
    name: input.name,
    email: input.email,
    startDate: input.startDate,
    department: input.department ?? null,
    preferredLanguage: input.preferredLanguage ?? null,
    managerId,
    // Provenance for the two-person rule (lib/staff/independence.ts).
    managerSetBy: managerId ? actorLabel(actor) : null,
    createdBy: actorLabel(actor),
    createdAt: at,
    stateChangedAt: at,
    updatedAt: at,
  };
}

function hireAddedEvent(
  user: { id: string; employeeId: string; startDate: string },
  input: Omit<HireInput, 'role'>,
  context: { actor: Actor; at: Date; request?: RequestContext },
): AuditInput {
  return {
    at: context.at,
    actor: context.actor,
    action: 'hire_added',
    subject: { type: 'user', id: user.id },
    userId: user.id,
    request: context.request,
    details: {
      employeeId: user.employeeId,
      startDate: user.startDate,
      managerEmployeeId: input.managerEmployeeId ?? null,
    },
  };
}
