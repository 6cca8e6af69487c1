import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { StaffRoleName } from '@/lib/hires/hire-input';
import type { Staff } from '@/lib/staff/session';

export type ChangeRoleResult =
  | { ok: true; roles: string[] }
  | { ok: false; reason: 'unknown_employee' | 'own_roles' | 'last_admin' | 'offboarded'; message: string };

/**
 * Grants or revokes a staff role. Nobody changes their own roles (a second IT member must), and the
 * last IT member with a passkey cannot be demoted — the console would have no one left to run it.
 */
export async function changeRole(
  db: Db,
  input: { employeeId: string; role: StaffRoleName; grant: boolean; reason: string },
  context: { actor: Staff; at: Date; request?: RequestContext },
): Promise<ChangeRoleResult> {
  const user = await db.user.findUnique({ where: { employeeId: input.employeeId } });
  if (!user) return { ok: false, reason: 'unknown_employee', message: `No person with employee id "${input.employeeId}"` };
  if (user.id === context.actor.id) return { ok: false, reason: 'own_roles', message: 'Another IT member must change your roles' };
  if (user.enrollmentState === 'offboarded') return { ok: false, reason: 'offboarded', message: `${user.name} has left` };
  return writeTransaction(db, async (tx) => {
    if (!input.grant && input.role === 'it') {
      const others = await tx.user.count({
        where: { id: { not: user.id }, roles: { some: { role: 'it' } }, enrollmentState: { not: 'offboarded' }, passkeys: { some: { revokedAt: null } } },
      });
      if (others === 0) return { ok: false as const, reason: 'last_admin' as const, message: 'This is the last IT member with a passkey; grant the role to someone else first' };
    }
    if (input.grant) {
      await tx.staffRole.upsert({
        where: { userId_role: { userId: user.id, role: input.role } },
        create: { userId: user.id, role: input.role, grantedAt: context.at, grantedBy: `user:${context.actor.id}` },
        update: {},
      });
    } else {
      await tx.staffRole.deleteMany({ where: { userId: user.id, role: input.role } });
    }
    await appendAudit(tx, {
      at: context.at,
      actor: { type: 'user', id: context.actor.id },
      action: input.grant ? 'role_granted' : 'role_revoked',
      subject: { type: 'user', id: user.id },
      userId: user.id,
      request: context.request,
      details: { role: input.role, reason: input.reason },
    });
    const roles = await tx.staffRole.findMany({ where: { userId: user.id }, select: { role: true } });
    return { ok: true as const, roles: roles.map((role) => role.role) };
  });
}
