import 'server-only';
import { inTransaction, type DbOrTx } from '@/lib/db';
import { actorLabel, type Actor, type RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';
import { uniqueViolation } from '@/lib/db/errors';

export type RegisterDeviceInput = { employeeId: string; serial: string; certificatePem: string };

export type RegisterDeviceResult =
  | {
      ok: true;
      device: { id: string; serial: string; fingerprint: string; subject: string; notAfter: Date };
      replaced: string | null;
    }
  | {
      ok: false;
      reason:
        | 'unknown_employee'
        | 'offboarded'
        | 'bad_certificate'
        | 'certificate_expired'
        | 'certificate_in_use';
      message: string;
    };

/**
 * Binds a hire to the laptop issued to them. Replacing a device retires the old one and revokes any
 * open link bound to it (a link only ever works on the device it was issued for).
 */
export async function registerDevice(
  db: DbOrTx,
  input: RegisterDeviceInput,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<RegisterDeviceResult> {
  const { at, actor } = context;
  const parsed = parseCertificatePem(input.certificatePem);
  if (!parsed.ok) return { ok: false, reason: 'bad_certificate', message: parsed.message };
  const certificate = parsed.certificate;
  if (certificate.notAfter <= at) {
    return {
      ok: false,
      reason: 'certificate_expired',
      message: `The certificate expired on ${certificate.notAfter.toISOString()}`,
    };
  }
  const user = await db.user.findUnique({ where: { employeeId: input.employeeId } });
  if (!user)
    return {
      ok: false,
      reason: 'unknown_employee',
      message: `No person with employee id "${input.employeeId}"`,
    };
  if (user.enrollmentState === 'offboarded') {
    return {
      ok: false,
      reason: 'offboarded',
      message: `${user.name} (${user.employeeId}) has left; a device cannot be registered`,
    };
  }
  const inUse = {
    ok: false,
    reason: 'certificate_in_use',
    message: 'This certificate is already registered to a device',
  } as const;
  if (
    await db.device.findUnique({
      where: { certFingerprint: certificate.fingerprint },
      select: { id: true },
    })
  )
    return inUse;

  try {
    return await inTransaction(db, async (tx) => {
      const previous = await tx.device.findFirst({ where: { userId: user.id, retiredAt: null } });
      if (previous) {
        await tx.device.update({ where: { id: previous.id }, data: { retiredAt: at } });
        const revoked = await tx.bridgeToken.updateMany({
          where: { deviceId: previous.id, consumedAt: null, revokedAt: null },
          data: { revokedAt: at, revokedReason: 'device_replaced' },
        });
        await tx.enrollmentSession.updateMany({
          where: { deviceId: previous.id, endedAt: null },
          data: { endedAt: at },
        });
        // A recovery was approved for that laptop only; left pending, it would block a new request for a day.
        const voided = await tx.recoveryRequest.findMany({
          where: { deviceId: previous.id, status: 'pending' },
          select: { id: true },
        });
        await tx.recoveryRequest.updateMany({
          where: { id: { in: voided.map((request) => request.id) } },
          data: { status: 'voided', decidedAt: at },
        });
        for (const request of voided) {
          await appendAudit(tx, {
            at,
            actor,
            action: 'recovery_voided',
            subject: { type: 'recovery_request', id: request.id },
            userId: user.id,
            request: context.request,
            details: { reason: 'device_replaced', serial: previous.serial },
          });
        }
        await appendAudit(tx, {
          at,
          actor,
          action: 'device_retired',
          subject: { type: 'device', id: previous.id },
          userId: user.id,
          request: context.request,
          details: {
            serial: previous.serial,
            fingerprint: previous.certFingerprint,
            linksRevoked: revoked.count,
          },
        });
      }
      const device = await tx.device.create({
        data: {
          userId: user.id,
          serial: input.serial,
          certFingerprint: certificate.fingerprint,
          certSubject: certificate.subject,
          certNotAfter: certificate.notAfter,
          registeredAt: at,
          registeredBy: actorLabel(actor),
        },
      });
      await appendAudit(tx, {
        at,
        actor,
        action: 'device_registered',
        subject: { type: 'device', id: device.id },
        userId: user.id,
        request: context.request,
        details: {
          serial: device.serial,
          fingerprint: device.certFingerprint,
          subject: device.certSubject,
        },
      });
      await applyEnrollmentEvent(tx, {
        userId: user.id,
        event: 'device_registered',
        at,
        actor,
        request: context.request,
      });
      return {
        ok: true as const,
        device: {
          id: device.id,
          serial: device.serial,
          fingerprint: device.certFingerprint,
          subject: device.certSubject,
          notAfter: device.certNotAfter,
        },
        replaced: previous?.serial ?? null,
      };
    });
  } catch (error) {
    // Two registrations of one certificate at once: the unique index decides, the loser is told why.
    if (uniqueViolation(error) === 'certFingerprint') return inUse;
    throw error;
  }
}
