import 'server-only';
import type { Tx } from '@/lib/db';
import { actorLabel, type Actor, type RequestContext } from '@/lib/audit/actor';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { issueLinkIfReady } from '@/lib/enrollment/auto-link';
import { addHire } from '@/lib/hires/add-hire';
import { registerDevice } from '@/lib/hires/register-device';

// The one way in for a joiner, and for a change to a person, from a system of record: HR's
// joiner/change events (lib/hr/events.ts) and SCIM provisioning (lib/scim/users.ts). Both describe
// the whole person; this brings Firstkey to what the record says — creating the hire or updating
// them, registering the laptop the record names, and issuing a link when the hire is ready for one.
// Leavers go through `offboard` (lib/hires/offboard.ts), the other shared path.

/** A person as a system of record describes them. */
export type PersonRecord = {
  employeeId: string;
  name: string;
  email: string;
  startDate: string;
  /** A manager Firstkey does not know (yet) is left unset, as the record may arrive first. */
  managerEmployeeId?: string | null;
  department?: string | null;
  /** BCP 47 tag; null clears it, absent keeps what Firstkey has (HR sends null when it has none). */
  preferredLanguage?: string | null;
  device?: { serial: string; certificatePem: string } | null;
};

export type JoinerResult =
  | { ok: true; userId: string; created: boolean; linkIssued: boolean }
  | {
      ok: false;
      reason: 'duplicate_email' | 'duplicate_employee_id' | 'device_refused';
      message: string;
    };

/**
 * Creates or updates the person `record.employeeId` names, inside the caller's transaction (which
 * holds the audit event of the delivery). The caller has already refused records about leavers.
 */
export async function applyPersonRecord(
  tx: Tx,
  record: PersonRecord,
  context: { actor: Actor; at: Date; origin: string; reason: string; request?: RequestContext },
): Promise<JoinerResult> {
  const { employeeId } = record;
  const { actor, at } = context;
  const existing = await tx.user.findUnique({ where: { employeeId }, select: { id: true } });
  // Checked before any write: on PostgreSQL a unique violation would abort the whole transaction.
  const clash = await tx.user.findFirst({
    where: { email: record.email, ...(existing ? { id: { not: existing.id } } : {}) },
    select: { employeeId: true },
  });
  if (clash)
    return {
      ok: false,
      reason: 'duplicate_email',
      message: `email "${record.email}" belongs to ${clash.employeeId}`,
    };
  const managerEmployeeId = await knownManager(tx, record.managerEmployeeId);
  let userId: string;
  if (!existing) {
    const added = await addHire(
      tx,
      {
        employeeId,
        name: record.name,
        email: record.email,
        startDate: record.startDate,
        managerEmployeeId,
        department: record.department ?? undefined,
        preferredLanguage: record.preferredLanguage ?? undefined,
      },
      { actor, at, request: context.request },
    );
    if (!added.ok)
      return {
        ok: false,
        reason: added.reason === 'duplicate_email' ? 'duplicate_email' : 'duplicate_employee_id',
        message: added.message,
      };
    userId = added.hire.id;
  } else {
    userId = existing.id;
    await updatePerson(tx, userId, record, managerEmployeeId, { actor, at });
  }

  if (record.device) {
    const current = await tx.device.findFirst({ where: { userId, retiredAt: null } });
    const parsed = parseCertificatePem(record.device.certificatePem);
    if (parsed.ok && current?.certFingerprint !== parsed.certificate.fingerprint) {
      const registered = await registerDevice(
        tx,
        { employeeId, serial: record.device.serial, certificatePem: record.device.certificatePem },
        { actor, at, request: context.request },
      );
      if (!registered.ok)
        return {
          ok: false,
          reason: 'device_refused',
          message: `data.device: ${registered.message}`,
        };
    }
  }
  // A person the record makes ready gets a link pushed to their laptop by the MDM (lib/enrollment/auto-link.ts).
  const link = await issueLinkIfReady(
    tx,
    { employeeId },
    {
      actor,
      at,
      origin: context.origin,
      reason: context.reason,
      reissueAfterClosedLink: true,
    },
  );
  const linkIssued = link.issued;
  return { ok: true, userId, created: !existing, linkIssued };
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

async function updatePerson(
  tx: Tx,
  userId: string,
  record: PersonRecord,
  managerEmployeeId: string | undefined,
  context: { actor: Actor; at: Date },
): Promise<void> {
  const manager = managerEmployeeId
    ? await tx.user.findUnique({ where: { employeeId: managerEmployeeId }, select: { id: true } })
    : null;
  await tx.user.update({
    where: { id: userId },
    data: {
      name: record.name,
      email: record.email,
      startDate: record.startDate,
      department: record.department ?? null,
      ...(record.preferredLanguage !== undefined
        ? { preferredLanguage: record.preferredLanguage }
        : {}),
      managerId: manager?.id ?? null,
      // Provenance for the two-person rule (lib/staff/independence.ts): HR and SCIM are trusted sources.
      managerSetBy: actorLabel(context.actor),
      updatedAt: context.at,
    },
  });
}
