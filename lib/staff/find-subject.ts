import 'server-only';
import type { Db } from '@/lib/db';
import type { Subject } from '@/lib/staff/authorize';

/** The hire a staff action names by employee id, in the shape authorization needs. */
export async function findSubject(
  db: Db,
  employeeId: string,
): Promise<(Subject & { employeeId: string; name: string }) | null> {
  const user = await db.user.findUnique({
    where: { employeeId },
    select: { id: true, managerId: true, employeeId: true, name: true },
  });
  return user
    ? { userId: user.id, managerId: user.managerId, employeeId: user.employeeId, name: user.name }
    : null;
}
