import 'server-only';
import { type Db, writeTransaction } from '@/lib/db';
import type { Actor } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { registerDevice } from '@/lib/devices/register-device';
import { addHire } from '@/lib/hires/add-hire';
import type { HireInput } from '@/lib/hires/hire-input';
import { issueLink, type IssuedLink } from '@/lib/enrollment/issue-link';
import { itAdminExists } from '@/lib/staff/last-admin';

export type BootstrapResult =
  | ({ ok: true } & IssuedLink)
  | { ok: false; reason: 'admin_exists' | 'not_it_staff' | 'refused'; message: string };

/**
 * The first IT admin (DESIGN.md "People"): created with the `it` role, bound to the operator's
 * laptop certificate, given a 10-minute link. Refused once an IT admin with a passkey exists: from
 * then on staff are added by HR, or by `firstkey hire add --role` and `invite` — the server's
 * terminal is trusted like the database file it can open (README "Security"), and every such grant
 * is audited with the CLI as actor — while the console needs two people to grant `it`.
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
