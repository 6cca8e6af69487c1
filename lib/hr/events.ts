import 'server-only';
import { writeTransaction, type Db, type Tx } from '@/lib/db';
import { refusalOf, Rollback } from '@/lib/db/rollback';
import type { Actor } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { registerDevice } from '@/lib/hires/register-device';
import { issueLinkIfReady } from '@/lib/enrollment/auto-link';
import { addHire } from '@/lib/hires/add-hire';
import { offboard } from '@/lib/hires/offboard';
import type { HrEventBody, HrPerson } from '@/lib/hr/event-schema';

// HR joiner / change / leaver events (DESIGN.md "HR integration"). Each delivery is applied in one
// transaction together with its idempotency record, so a retried delivery (same webhook-id) changes
// nothing. Ordering is by HR's own timestamp, deterministically:
//   - a duplicate joiner, or a change before its joiner, brings the hire to the state the data describes;
//   - a joiner or change older than the last event applied for that person is ignored (recorded as stale);
//   - a joiner or change older than a recorded leaver is ignored: leavers are final.

const HR: Actor = { type: 'hr' };
const LATER_KINDS: Record<HrEventBody['type'], string[]> = {
  joiner: ['change', 'leaver'],
  change: ['leaver'],
  leaver: [],
};

export type HrEventResult =
  | { ok: true; duplicate: true }
  | { ok: true; duplicate: false; outcome: string; linkIssued: boolean }
  | { ok: false; reason: 'refused' | 'invalid_certificate'; message: string };

export async function applyHrEvent(
  db: Db,
  delivery: { webhookId: string; occurredAt: Date; event: HrEventBody; origin: string },
  at: Date,
): Promise<HrEventResult> {
  const { event, occurredAt } = delivery;
  const employeeId = event.data.employeeId;
  if ('device' in event.data && event.data.device) {
    const parsed = parseCertificatePem(event.data.device.certificatePem);
    if (!parsed.ok)
      return {
        ok: false,
        reason: 'invalid_certificate',
        message: `data.device.certificatePem: ${parsed.message}`,
      };
  }
  try {
    return await writeTransaction(db, async (tx) => {
      if (
        await tx.hrInboundEvent.findUnique({
          where: { webhookId: delivery.webhookId },
          select: { webhookId: true },
        })
      ) {
        return { ok: true as const, duplicate: true as const };
      }
      const result = await apply(tx, event, occurredAt, at, delivery.origin);
      await tx.hrInboundEvent.create({
        data: {
          webhookId: delivery.webhookId,
          type: event.type,
          employeeId,
          receivedAt: at,
          occurredAt,
          result: result.outcome,
          details: JSON.stringify({ linkIssued: result.linkIssued }),
        },
      });
      const user = await tx.user.findUnique({ where: { employeeId }, select: { id: true } });
      await appendAudit(tx, {
        at,
        actor: HR,
        action: `hr_${event.type}`,
        subject: { type: 'hr_event', id: delivery.webhookId },
        userId: user?.id,
        details: {
          outcome: result.outcome,
          occurredAt: occurredAt.toISOString(),
          linkIssued: result.linkIssued,
        },
      });
      return { ok: true as const, duplicate: false as const, ...result };
    });
  } catch (error) {
    return refusalOf<'refused'>(error);
  }
}

async function apply(
  tx: Tx,
  event: HrEventBody,
  occurredAt: Date,
  at: Date,
  origin: string,
): Promise<{ outcome: string; linkIssued: boolean }> {
  const employeeId = event.data.employeeId;
  // webhook-timestamp has one-second resolution: on a tie, the later kind of event wins
  // (joiner < change < leaver), so a joiner and a change sent in the same second end the same way in
  // either arrival order. Two changes in the same second fall back to arrival order.
  const later = await tx.hrInboundEvent.findFirst({
    where: {
      employeeId,
      result: { not: 'ignored_stale' },
      OR: [
        { occurredAt: { gt: occurredAt } },
        { occurredAt, type: { in: LATER_KINDS[event.type] } },
      ],
    },
    select: { type: true },
  });
  const leaver = await tx.hrInboundEvent.findFirst({
    where: { employeeId, type: 'leaver', occurredAt: { gte: occurredAt } },
    select: { webhookId: true },
  });
  const user = await tx.user.findUnique({ where: { employeeId } });

  if (event.type === 'leaver') {
    if (!user) return { outcome: 'leaver_before_joiner', linkIssued: false };
    if (user.enrollmentState === 'offboarded')
      return { outcome: 'already_offboarded', linkIssued: false };
    const left = await offboard(tx, { userId: user.id, at, actor: HR, reason: 'hr_leaver' });
    // Refused and not recorded, so HR's retry applies it once someone else can run the console.
    if (!left.ok) throw new Rollback('refused', `${user.employeeId}: ${left.message}`);
    return {
      outcome:
        user.enrollmentState === 'enrolled'
          ? 'offboarded_after_enrollment'
          : 'offboarded_before_enrollment',
      linkIssued: false,
    };
  }
  if (leaver) return { outcome: 'ignored_after_leaver', linkIssued: false };
  if (user?.enrollmentState === 'offboarded')
    return { outcome: 'ignored_offboarded', linkIssued: false };
  if (later) return { outcome: 'ignored_stale', linkIssued: false };

  const person = event.data;
  let outcome: string;
  if (!user) {
    const added = await addHire(
      tx,
      hireInput(person, await knownManager(tx, person.managerEmployeeId)),
      { actor: HR, at },
    );
    if (!added.ok) throw new Rollback('refused', added.message);
    outcome = event.type === 'joiner' ? 'created' : 'created_from_change_before_joiner';
  } else {
    await updatePerson(tx, user.id, person, at);
    outcome = event.type === 'joiner' ? 'updated_from_duplicate_joiner' : 'updated';
  }

  if (person.device) {
    const current = await tx.device.findFirst({ where: { user: { employeeId }, retiredAt: null } });
    const parsed = parseCertificatePem(person.device.certificatePem);
    if (parsed.ok && current?.certFingerprint !== parsed.certificate.fingerprint) {
      const registered = await registerDevice(
        tx,
        { employeeId, serial: person.device.serial, certificatePem: person.device.certificatePem },
        { actor: HR, at },
      );
      if (!registered.ok) throw new Rollback('refused', `data.device: ${registered.message}`);
    }
  }
  // A person with a laptop and a start date in the window gets a link, pushed to the laptop by the MDM.
  const link = await issueLinkIfReady(
    tx,
    { employeeId },
    { actor: HR, at, origin, reason: `hr_${event.type}`, reissueAfterClosedLink: true },
  );
  const linkIssued = link.issued;
  return { outcome, linkIssued };
}

function hireInput(person: HrPerson, managerEmployeeId: string | undefined) {
  return {
    employeeId: person.employeeId,
    name: person.name,
    email: person.email,
    startDate: person.startDate,
    managerEmployeeId,
    department: person.department ?? undefined,
  };
}

async function knownManager(
  tx: Tx,
  managerEmployeeId: string | null | undefined,
): Promise<string | undefined> {
  if (!managerEmployeeId) return undefined;
  return (
    await tx.user.findUnique({
      where: { employeeId: managerEmployeeId },
      select: { employeeId: true },
    })
  )?.employeeId;
}

async function updatePerson(tx: Tx, userId: string, person: HrPerson, at: Date): Promise<void> {
  const manager = person.managerEmployeeId
    ? await tx.user.findUnique({
        where: { employeeId: person.managerEmployeeId },
        select: { id: true },
      })
    : null;
  const clash = await tx.user.findFirst({
    where: { email: person.email, id: { not: userId } },
    select: { employeeId: true },
  });
  if (clash)
    throw new Rollback('refused', `email "${person.email}" belongs to ${clash.employeeId}`);
  await tx.user.update({
    where: { id: userId },
    data: {
      name: person.name,
      email: person.email,
      startDate: person.startDate,
      department: person.department ?? null,
      managerId: manager?.id ?? null,
      managerSetBy: 'hr',
      updatedAt: at,
    },
  });
}
