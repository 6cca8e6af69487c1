import 'server-only';
import { type Db, writeTransaction } from '@/lib/db';
import type { Actor } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { registerDevice } from '@/lib/devices/register-device';
import { addHire } from '@/lib/hires/add-hire';
import type { HireInput } from '@/lib/hires/hire-input';
import { issueLink, type IssuedLink } from '@/lib/enrollment/issue-link';

export type BootstrapResult =
  | ({ ok: true } & IssuedLink)
  | { ok: false; reason: 'admin_exists' | 'not_it_staff' | 'refused'; message: string };

/** True once any IT member holds a working passkey: from then on, staff are added from the console. */
export async function itAdminExists(db: Db): Promise<boolean> {
  const admin = await db.user.findFirst({
    where: { roles: { some: { role: 'it' } }, enrollmentState: { not: 'offboarded' }, passkeys: { some: { revokedAt: null } } },
    select: { id: true },
  });
  return admin !== null;
}

/**
 * The first IT admin (DESIGN.md "People"): created with the `it` role, bound to the operator's
 * laptop certificate, given a 10-minute link. The only time an operator handles a link; refused once
 * an IT admin with a passkey exists, so a terminal can never mint a second admin behind IT's back.
 */
export async function bootstrapAdmin(
  db: Db,
  input: { hire: Pick<HireInput, 'employeeId' | 'name' | 'email'>; certificatePem: string },
  context: { at: Date; origin: string },
): Promise<BootstrapResult> {
  const actor: Actor = { type: 'cli' };
  const { at } = context;
  if (await itAdminExists(db)) {
    return { ok: false, reason: 'admin_exists', message: 'An IT admin already exists; add staff from the IT console' };
  }
  const parsed = parseCertificatePem(input.certificatePem);
  if (!parsed.ok) return { ok: false, reason: 'refused', message: parsed.message };

  let user = await db.user.findUnique({ where: { employeeId: input.hire.employeeId }, include: { roles: true, devices: { where: { retiredAt: null } } } });
  if (!user) {
    const added = await addHire(
      db,
      { ...input.hire, startDate: at.toISOString().slice(0, 10), role: 'it' },
      { actor, at },
    );
    if (!added.ok) return { ok: false, reason: 'refused', message: added.message };
    user = await db.user.findUniqueOrThrow({ where: { id: added.hire.id }, include: { roles: true, devices: { where: { retiredAt: null } } } });
  } else if (!user.roles.some((role) => role.role === 'it')) {
    return { ok: false, reason: 'not_it_staff', message: `${user.name} (${user.employeeId}) exists but is not IT staff; choose another employee id` };
  }
  if (user.devices[0]?.certFingerprint !== parsed.certificate.fingerprint) {
    const device = await registerDevice(
      db,
      { employeeId: user.employeeId, serial: 'bootstrap', certificatePem: input.certificatePem },
      { actor, at },
    );
    if (!device.ok) return { ok: false, reason: 'refused', message: device.message };
  }
  const link = await issueLink(db, { employeeId: user.employeeId, purpose: 'bootstrap' }, { actor, at, origin: context.origin });
  if (!link.ok) return { ok: false, reason: 'refused', message: link.message };
  await writeTransaction(db, async (tx) =>
    appendAudit(tx, { at, actor, action: 'admin_bootstrapped', subject: { type: 'user', id: user.id }, userId: user.id, details: { employeeId: user.employeeId } }),
  );
  return link;
}
