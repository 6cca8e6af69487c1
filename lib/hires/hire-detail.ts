import 'server-only';
import type { Db } from '@/lib/db';
import { isOpenLink } from '@/lib/enrollment/open-link';
import { providerName } from '@/lib/passkeys/providers';

/** Everything the IT console's hire page shows, including the full audit timeline. */
export async function hireDetail(db: Db, employeeId: string, at: Date) {
  const user = await db.user.findUnique({
    where: { employeeId },
    include: {
      manager: { select: { name: true, employeeId: true } },
      roles: { select: { role: true } },
      devices: { orderBy: { registeredAt: 'desc' } },
      passkeys: { orderBy: { createdAt: 'asc' } },
      bridgeTokens: { orderBy: { issuedAt: 'desc' }, take: 10 },
      recoveryRequests: {
        where: { status: 'pending', expiresAt: { gt: new Date() } },
        include: { requestedBy: { select: { id: true, name: true } } },
        orderBy: { createdAt: 'desc' },
      },
      roleRequests: {
        where: { status: 'pending', expiresAt: { gt: at } },
        include: { requestedBy: { select: { id: true, name: true } } },
        orderBy: { createdAt: 'desc' },
      },
    },
  });
  if (!user) return null;
  const timeline = await db.auditEvent.findMany({ where: { userId: user.id }, orderBy: { seq: 'desc' }, take: 500 });
  return {
    user,
    device: user.devices.find((device) => !device.retiredAt) ?? null,
    passkeys: user.passkeys.map((passkey) => ({ ...passkey, provider: passkey.name ?? providerName(passkey.aaguid) })),
    links: user.bridgeTokens,
    hasOpenLink: user.bridgeTokens.some((link) => isOpenLink(link, at)),
    pendingRecoveries: user.recoveryRequests,
    pendingRoleRequests: user.roleRequests,
    timeline: timeline.map((event) => ({ ...event, details: JSON.parse(event.details) as Record<string, unknown> })),
  };
}
