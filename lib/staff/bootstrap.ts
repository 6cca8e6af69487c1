import 'server-only';
import { type Db, writeTransaction } from '@/lib/db';
import { refusalOf, Rollback } from '@/lib/db/rollback';
import type { Actor } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import type { HireInput } from '@/lib/hires/hire-input';
import { issueLink, type IssuedLink } from '@/lib/enrollment/issue-link';
import { itAdminExists } from '@/lib/access/last-admin';

type BootstrapRefusal = 'admin_exists' | 'not_it_staff' | 'refused';

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
  const parsed = parseCertificatePem(input.certificatePem);
  if (!parsed.ok) return { ok: false, reason: 'refused', message: parsed.message };
  // One transaction: two terminals bootstrapping at once cannot both mint an admin, and a refusal
  // half-way (the certificate is in use, say) leaves no half-made admin behind.
  try {
    return await writeTransaction(db, async (tx) => {
      if (await itAdminExists(tx))
        throw new Rollback<BootstrapRefusal>(
          'admin_exists',
          'An IT admin already exists; add staff from the IT console',
        );
      const include = { roles: true, devices: { where: { retiredAt: null } } } as const;
      let user = await tx.user.findUnique({
        where: { employeeId: input.hire.employeeId },
        include,
      });
      if (!user) {
        const added = await addHire(
          tx,
          { ...input.hire, startDate: at.toISOString().slice(0, 10), role: 'it' },
          { actor, at },
        );
        if (!added.ok) throw new Rollback<BootstrapRefusal>('refused', added.message);
        user = await tx.user.findUniqueOrThrow({ where: { id: added.hire.id }, include });
      } else if (!user.roles.some((role) => role.role === 'it')) {
        throw new Rollback<BootstrapRefusal>(
          'not_it_staff',
          `${user.name} (${user.employeeId}) exists but is not IT staff; choose another employee id`,
        );
      }
      if (user.devices[0]?.certFingerprint !== parsed.certificate.fingerprint) {
        const device = await registerDevice(
          tx,
          {
            employeeId: user.employeeId,
            serial: 'bootstrap',
            certificatePem: input.certificatePem,
          },
          { actor, at },
        );
        if (!device.ok) throw new Rollback<BootstrapRefusal>('refused', device.message);
      }
      const link = await issueLink(
        tx,
        { employeeId: user.employeeId, purpose: 'bootstrap' },
        { actor, at, origin: context.origin },
      );
      if (!link.ok) throw new Rollback<BootstrapRefusal>('refused', link.message);
      await appendAudit(tx, {
        at,
        actor,
        action: 'admin_bootstrapped',
        subject: { type: 'user', id: user.id },
        userId: user.id,
        details: { employeeId: user.employeeId },
      });
      return link;
    });
  } catch (error) {
    return refusalOf<BootstrapRefusal>(error);
  }
}
