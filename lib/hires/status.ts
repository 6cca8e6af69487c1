import 'server-only';
import type { Db } from '@/lib/db';

export type HireStatus = {
  employeeId: string;
  name: string;
  email: string;
  startDate: string;
  department: string | null;
  managerEmployeeId: string | null;
  roles: string[];
  state: string;
  stateChangedAt: string;
  device: { serial: string; fingerprint: string; registeredAt: string } | null;
};

/** What `firstkey status` prints: one hire, or every hire ordered by start date. */
export async function hireStatuses(
  db: Db,
  filter: { employeeId?: string } = {},
): Promise<HireStatus[]> {
  const users = await db.user.findMany({
    where: filter.employeeId ? { employeeId: filter.employeeId } : {},
    orderBy: [{ startDate: 'asc' }, { employeeId: 'asc' }],
    include: {
      manager: { select: { employeeId: true } },
      roles: { select: { role: true } },
      devices: { where: { retiredAt: null }, take: 1 },
    },
  });
  return users.map((user) => {
    const device = user.devices[0];
    return {
      employeeId: user.employeeId,
      name: user.name,
      email: user.email,
      startDate: user.startDate,
      department: user.department,
      managerEmployeeId: user.manager?.employeeId ?? null,
      roles: user.roles.map((role) => role.role).sort(),
      state: user.enrollmentState,
      stateChangedAt: user.stateChangedAt.toISOString(),
      device: device
        ? {
            serial: device.serial,
            fingerprint: device.certFingerprint,
            registeredAt: device.registeredAt.toISOString(),
          }
        : null,
    };
  });
}
