import 'server-only';
import type { Tx } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { setEnrollmentState } from '@/lib/enrollment/states';

/**
 * A leaver: every way in is closed in one transaction — open links revoked, enrollment sessions ended,
 * passkeys revoked, staff sessions ended (epoch), devices retired, pending recoveries declined.
 */
export async function offboard(tx: Tx, input: { userId: string; at: Date; actor: Actor; reason: string; request?: RequestContext }): Promise<void> {
  const { userId, at } = input;
  const links = await tx.bridgeToken.updateMany({ where: { userId, consumedAt: null, revokedAt: null }, data: { revokedAt: at, revokedReason: 'offboarded' } });
  const sessions = await tx.enrollmentSession.updateMany({ where: { userId, endedAt: null }, data: { endedAt: at } });
  const passkeys = await tx.passkey.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at, revokedReason: 'offboarded' } });
  const devices = await tx.device.updateMany({ where: { userId, retiredAt: null }, data: { retiredAt: at } });
  await tx.recoveryRequest.updateMany({ where: { userId, status: 'pending' }, data: { status: 'declined', decidedAt: at } });
  await tx.user.update({ where: { id: userId }, data: { offboardedAt: at, sessionEpoch: { increment: 1 } } });
  await appendAudit(tx, {
    at,
    actor: input.actor,
    action: 'offboarded',
    subject: { type: 'user', id: userId },
    userId,
    request: input.request,
    details: { reason: input.reason, linksRevoked: links.count, sessionsEnded: sessions.count, passkeysRevoked: passkeys.count, devicesRetired: devices.count },
  });
  await setEnrollmentState(tx, { userId, to: 'offboarded', at, actor: input.actor, request: input.request, reason: input.reason });
}
