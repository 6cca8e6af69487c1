import 'server-only';
import type { DbOrTx } from '@/lib/db';

// The console must always have someone to run it: an IT member who can still sign in. Every way a
// person loses that — losing the `it` role, their last passkey (revoked by IT, by themselves, by a
// recovery) or leaving — asks here first. (Were it to happen anyway, `firstkey admin bootstrap` on
// the server's terminal opens the door again, because it works whenever this set is empty.)

/** Who can run the console now: the `it` role, not offboarded, at least one active passkey. */
export const ACTIVE_IT_ADMIN = {
  roles: { some: { role: 'it' } },
  enrollmentState: { not: 'offboarded' },
  passkeys: { some: { revokedAt: null } },
} as const;

export async function itAdminExists(db: DbOrTx): Promise<boolean> {
  return (await db.user.findFirst({ where: ACTIVE_IT_ADMIN, select: { id: true } })) !== null;
}

/** True when `userId` is the only person left who can run the console. */
export async function isLastItAdmin(db: DbOrTx, userId: string): Promise<boolean> {
  const admins = await db.user.findMany({ where: ACTIVE_IT_ADMIN, select: { id: true }, take: 2 });
  return admins.length === 1 && admins[0]!.id === userId;
}

export const LAST_ADMIN_MESSAGE =
  'This is the last IT member who can sign in; give the IT role to someone else first';
