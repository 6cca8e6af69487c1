import 'server-only';
import type { Tx } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { enqueueStatusChange } from '@/lib/webhooks/outbox';

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

const ALIVE = ENROLLMENT_STATES.filter((state) => state !== 'offboarded');
const NOT_ENROLLED = ALIVE.filter((state) => state !== 'enrolled');

/**
 * Every state change, in one table: what happened → the states it moves a person out of → where to.
 * A person in any other state stays where they are (an enrolled person whose laptop is replaced stays
 * enrolled; a link issued to them — a recovery that kept their passkeys — too). Only an explicit
 * reactivation by a system of record (SCIM `active: true`, lib/hires/reactivate.ts) leaves
 * `offboarded`, and it revives nothing: the person starts again without a laptop or a link.
 */
export const TRANSITIONS = {
  device_registered: { from: NOT_ENROLLED, to: 'ready' },
  link_issued: { from: NOT_ENROLLED, to: 'invited' },
  link_opened: { from: ['invited'], to: 'opened' },
  link_redeemed: { from: ALIVE, to: 'enrolling' },
  link_expired: { from: ['invited', 'opened'], to: 'expired' },
  link_revoked: { from: ['invited', 'opened', 'enrolling'], to: 'revoked' },
  passkey_registered: { from: ALIVE, to: 'enrolled' },
  /** The last active passkey is gone (removed by IT or by a recovery): the person needs a new link. */
  passkeys_gone: { from: ['enrolled'], to: 'ready', toWithoutDevice: 'awaiting_device' },
  offboarded: { from: ALIVE, to: 'offboarded' },
  reactivated: { from: ['offboarded'], to: 'awaiting_device' },
} as const satisfies Record<
  string,
  { from: readonly EnrollmentState[]; to: EnrollmentState; toWithoutDevice?: EnrollmentState }
>;

export type EnrollmentEvent = keyof typeof TRANSITIONS;

/** Events that only take access away: for someone who already left they change nothing. */
const TAKES_ACCESS_AWAY: ReadonlySet<EnrollmentEvent> = new Set([
  'link_expired',
  'link_revoked',
  'passkeys_gone',
  'offboarded',
]);

/**
 * Applies `event` to a person inside the caller's transaction, as TRANSITIONS says, and records the
 * transition in the audit trail — and HR's status webhook in the outbox — in that same transaction.
 * Returns the state the person is in afterwards.
 */
export async function applyEnrollmentEvent(
  tx: Tx,
  change: {
    userId: string;
    event: EnrollmentEvent;
    at: Date;
    actor: Actor;
    request?: RequestContext;
    reason?: string;
  },
): Promise<EnrollmentState> {
  // Raw statements for the read and the write: every enrollment step passes here, and a Prisma model
  // query costs about five times the CPU of the same statement sent raw (lib/audit/append.ts).
  const [user] = await tx.$queryRaw<{ enrollmentState: string; employeeId: string }[]>`
    SELECT "enrollmentState", "employeeId" FROM "User" WHERE "id" = ${change.userId}`;
  if (!user) throw new Error(`No person ${change.userId} to apply ${change.event} to`);
  const from = user.enrollmentState as EnrollmentState;
  const rule: {
    from: readonly EnrollmentState[];
    to: EnrollmentState;
    toWithoutDevice?: EnrollmentState;
  } = TRANSITIONS[change.event];
  if (!rule.from.includes(from)) {
    // Any other event reaching a leaver is a transaction racing with the leaver: it must fail, not resurrect them.
    if (from === 'offboarded' && !TAKES_ACCESS_AWAY.has(change.event))
      throw new Error(`Refusing to move an offboarded person (${change.event})`);
    return from;
  }
  const hasDevice = rule.toWithoutDevice
    ? (await tx.device.count({ where: { userId: change.userId, retiredAt: null } })) > 0
    : true;
  const to = hasDevice ? rule.to : rule.toWithoutDevice!;
  if (to === from) return from;
  // updatedAt as Prisma's @updatedAt sets it: the time of the write.
  await tx.$executeRaw`
    UPDATE "User" SET "enrollmentState" = ${to}, "stateChangedAt" = ${change.at}, "updatedAt" = ${new Date()}
    WHERE "id" = ${change.userId}`;
  await appendAudit(tx, {
    at: change.at,
    actor: change.actor,
    action: 'state_changed',
    subject: { type: 'user', id: change.userId },
    userId: change.userId,
    request: change.request,
    details: { from, to, reason: change.reason ?? change.event },
  });
  await enqueueStatusChange(tx, {
    userId: change.userId,
    employeeId: user.employeeId,
    state: to,
    at: change.at,
  });
  return to;
}
