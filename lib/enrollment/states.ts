import 'server-only';
import type { Tx } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { enqueueStatusChange } from '@/lib/hr/outbox';

// DESIGN.md "States of a hire's enrollment":
// awaiting_device → ready → invited → opened → enrolling → enrolled, with side states
// expired, revoked and offboarded. A device mismatch is an event, not a state.
export const ENROLLMENT_STATES = [
  'awaiting_device',
  'ready',
  'invited',
  'opened',
  'enrolling',
  'enrolled',
  'expired',
  'revoked',
  'offboarded',
] as const;

export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

export function isEnrollmentState(value: string): value is EnrollmentState {
  return (ENROLLMENT_STATES as readonly string[]).includes(value);
}

/**
 * Moves a hire to a new state inside the caller's transaction and records the transition in the
 * audit trail — and HR's status webhook in the outbox — in that same transaction. A no-op when the hire is already in that state.
 */
export async function setEnrollmentState(
  tx: Tx,
  change: { userId: string; to: EnrollmentState; at: Date; actor: Actor; request?: RequestContext; reason: string },
): Promise<void> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: change.userId }, select: { enrollmentState: true, employeeId: true } });
  if (user.enrollmentState === change.to) return;
  // Offboarding is final: a transaction racing with a leaver must fail, not resurrect the person.
  if (user.enrollmentState === 'offboarded') throw new Error(`Refusing to move an offboarded person to ${change.to} (${change.reason})`);
  await tx.user.update({ where: { id: change.userId }, data: { enrollmentState: change.to, stateChangedAt: change.at } });
  await appendAudit(tx, {
    at: change.at,
    actor: change.actor,
    action: 'state_changed',
    subject: { type: 'user', id: change.userId },
    userId: change.userId,
    request: change.request,
    details: { from: user.enrollmentState, to: change.to, reason: change.reason },
  });
  await enqueueStatusChange(tx, { userId: change.userId, employeeId: user.employeeId, state: change.to, at: change.at });
}
