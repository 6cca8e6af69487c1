import 'server-only';
import { writeTransaction, type Db, type Tx } from '@/lib/db';
import { refusalOf, Rollback } from '@/lib/db/rollback';
import type { Actor } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { issueLinkIfReady } from '@/lib/enrollment/auto-link';
import { registerDevice, type RegisterDeviceResult } from '@/lib/hires/register-device';
import type { MdmAssignmentBody } from '@/lib/mdm/assignment-schema';

// The MDM assigns a laptop to a person (POST /api/mdm/devices). Applied like an HR event: one
// transaction together with its idempotency record (`webhook-id`), so a retried delivery changes
// nothing; an assignment older (by webhook-timestamp) than the last one applied for that person is
// recorded and ignored, so a late retry never puts back a laptop the MDM has since replaced. The
// laptop is registered by the console's own rule (registerDevice: a replaced laptop's open links and
// enrollment sessions end, a recovery bound to it is voided), then the person gets their link if they
// are ready for one (issueLinkIfReady). A refusal stores nothing, so the MDM's retry applies once the
// cause is gone (say, SCIM creating the person).

const MDM: Actor = { type: 'mdm' };

export type MdmAssignmentOutcome = 'registered' | 'replaced' | 'unchanged' | 'ignored_stale';

export type MdmAssignmentResult =
  | { ok: true; duplicate: true }
  | {
      ok: true;
      duplicate: false;
      employeeId: string;
      outcome: MdmAssignmentOutcome;
      linkIssued: boolean;
    }
  | {
      ok: false;
      reason: Exclude<RegisterDeviceResult, { ok: true }>['reason'] | 'person_mismatch';
      message: string;
    };

export async function assignDevice(
  db: Db,
  delivery: {
    webhookId: string;
    occurredAt: Date;
    assignment: MdmAssignmentBody;
    origin: string;
  },
  at: Date,
): Promise<MdmAssignmentResult> {
  const { assignment, occurredAt, webhookId } = delivery;
  const parsed = parseCertificatePem(assignment.certificatePem);
  if (!parsed.ok)
    return { ok: false, reason: 'bad_certificate', message: `certificatePem: ${parsed.message}` };
  try {
    return await writeTransaction(db, async (tx) => {
      if (
        await tx.mdmInboundEvent.findUnique({ where: { webhookId }, select: { webhookId: true } })
      )
        return { ok: true as const, duplicate: true as const };
      const person = await namedPerson(tx, assignment);
      const employeeId = person.employeeId;
      const later = await tx.mdmInboundEvent.findFirst({
        where: { employeeId, occurredAt: { gt: occurredAt }, result: { not: 'ignored_stale' } },
        select: { webhookId: true },
      });
      let outcome: MdmAssignmentOutcome;
      let linkIssued = false;
      if (later) {
        outcome = 'ignored_stale';
      } else {
        const current = await tx.device.findFirst({
          where: { userId: person.id, retiredAt: null },
          select: { certFingerprint: true },
        });
        if (current?.certFingerprint === parsed.certificate.fingerprint) {
          outcome = 'unchanged';
        } else {
          const registered = await registerDevice(
            tx,
            { employeeId, serial: assignment.serial, certificatePem: assignment.certificatePem },
            { actor: MDM, at },
          );
          if (!registered.ok) throw new Rollback(registered.reason, registered.message);
          outcome = registered.replaced === null ? 'registered' : 'replaced';
        }
        const link = await issueLinkIfReady(
          tx,
          { employeeId },
          { actor: MDM, at, origin: delivery.origin, reason: 'mdm_assignment' },
        );
        linkIssued = link.issued;
      }
      await tx.mdmInboundEvent.create({
        data: {
          webhookId,
          employeeId,
          serial: assignment.serial,
          receivedAt: at,
          occurredAt,
          result: outcome,
          details: JSON.stringify({ linkIssued }),
        },
      });
      await appendAudit(tx, {
        at,
        actor: MDM,
        action: 'mdm_device_assigned',
        subject: { type: 'mdm_event', id: webhookId },
        userId: person.id,
        details: {
          outcome,
          serial: assignment.serial,
          fingerprint: parsed.certificate.fingerprint,
          occurredAt: occurredAt.toISOString(),
          linkIssued,
        },
      });
      return { ok: true as const, duplicate: false as const, employeeId, outcome, linkIssued };
    });
  } catch (error) {
    return refusalOf<Extract<MdmAssignmentResult, { ok: false }>['reason']>(error);
  }
}

/** The person the assignment names; both names, when given, must be the same person's. */
async function namedPerson(
  tx: Tx,
  assignment: MdmAssignmentBody,
): Promise<{ id: string; employeeId: string }> {
  const { employeeId, email } = assignment;
  const person = await tx.user.findUnique({
    where: employeeId !== undefined ? { employeeId } : { email: email! },
    select: { id: true, employeeId: true, email: true },
  });
  if (!person) {
    const named = employeeId !== undefined ? `employee id "${employeeId}"` : `email "${email}"`;
    throw new Rollback(
      'unknown_employee',
      `No person with ${named}; nothing was stored. Add the person first (HR, SCIM or the IT console), then deliver the assignment again`,
    );
  }
  if (employeeId !== undefined && email !== undefined && person.email !== email)
    throw new Rollback(
      'person_mismatch',
      `employeeId "${employeeId}" and email "${email}" name different people; nothing was stored`,
    );
  return person;
}
