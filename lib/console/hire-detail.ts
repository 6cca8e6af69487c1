import 'server-only';
import type { Db } from '@/lib/db';
import { linkRefusal } from '@/lib/enrollment/issue-link';
import { isOpenLink } from '@/lib/enrollment/open-link';
import { waitingHandover } from '@/lib/recovery/handover';
import { recoveryRequestRefusal } from '@/lib/recovery/recovery';
import { providerName } from '@/lib/passkeys/providers';
import { actorNames } from '@/lib/audit/actor-names';

/** An audit detail that names a person by user id: `requestedBy`, `approvedBy`, `decidedBy`, … */
const personKey = (key: string) => key.endsWith('By');

/** An action the page may offer, and if not, the sentence the action itself would answer. */
export type Offer = { allowed: boolean; why: string | null };

function offer(refusal: { message: string } | null): Offer {
  return { allowed: refusal === null, why: refusal?.message ?? null };
}

/**
 * Everything the IT console's hire page shows to `viewer`, including the full audit timeline and
 * which actions to offer — decided by the same functions that perform them.
 */
export async function hireDetail(
  db: Db,
  employeeId: string,
  context: { at: Date; viewer: { id: string } },
) {
  const { at } = context;
  const user = await db.user.findUnique({
    where: { employeeId },
    include: {
      manager: { select: { name: true, employeeId: true } },
      roles: { select: { role: true } },
      devices: { orderBy: { registeredAt: 'desc' } },
      passkeys: { orderBy: { createdAt: 'asc' } },
      bridgeTokens: { orderBy: { issuedAt: 'desc' }, take: 10 },
      recoveryRequests: {
        where: { status: 'pending', expiresAt: { gt: at } },
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
  const timeline = await db.auditEvent.findMany({
    where: { userId: user.id },
    orderBy: { seq: 'desc' },
    take: 500,
  });
  const devices = user.devices.filter((device) => !device.retiredAt);
  const details = timeline.map((event) => JSON.parse(event.details) as Record<string, unknown>);
  // Details that name a person do so by user id ("requestedBy"): shown by name, like the actors.
  const people = await actorNames(
    db,
    [
      ...timeline,
      ...devices.map((device) => device.registeredBy),
      ...user.bridgeTokens.map((link) => link.issuedBy),
    ],
    details.flatMap((entry) =>
      Object.entries(entry).flatMap(([key, value]) =>
        personKey(key) && typeof value === 'string' ? [value] : [],
      ),
    ),
  );
  const allowed = {
    issueLink: offer(
      linkRefusal({ ...user, devices, everHadPasskey: user.passkeys.length > 0 }, 'enrollment'),
    ),
    requestRecovery: offer(
      await recoveryRequestRefusal(db, { ...user, devices }, context.viewer, at),
    ),
  };
  return {
    user,
    device: devices[0]
      ? { ...devices[0], registeredByName: people.name(devices[0].registeredBy) }
      : null,
    allowed,
    passkeys: user.passkeys.map((passkey) => ({
      ...passkey,
      provider: passkey.name ?? providerName(passkey.aaguid),
    })),
    links: user.bridgeTokens.map((link) => ({ ...link, issuedByName: people.name(link.issuedBy) })),
    hasOpenLink: user.bridgeTokens.some((link) => isOpenLink(link, at)),
    pendingRecoveries: user.recoveryRequests,
    pendingRoleRequests: user.roleRequests,
    /** An approved recovery link the viewer asked for, waiting for them to hand over (no URL here). */
    recoveryHandover: await waitingHandover(db, { userId: user.id, requester: context.viewer }, at),
    timeline: timeline.map((event, index) => ({
      ...event,
      actor: people.name(event),
      details: Object.fromEntries(
        Object.entries(details[index]!).map(([key, value]) => [
          key,
          personKey(key) && typeof value === 'string' ? people.name(`user:${value}`) : value,
        ]),
      ),
    })),
  };
}
