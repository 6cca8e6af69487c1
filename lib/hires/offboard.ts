import 'server-only';
import type { Tx } from '@/lib/db';
import { endSessions, revokePasskeys, type RevokePasskeysResult } from '@/lib/access/revocation';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';

/**
 * A leaver: every way in is closed in one transaction — passkeys revoked, staff sessions ended, open
 * links revoked, enrollment sessions ended, devices retired, pending recoveries declined. Refused
 * (nothing changes) when it would leave nobody who can run the console.
 */
export async function offboard(
  tx: Tx,
  input: { userId: string; at: Date; actor: Actor; reason: string; request?: RequestContext },
): Promise<Exclude<RevokePasskeysResult, { ok: true }> | { ok: true }> {
  const { userId, at } = input;
  const passkeys = await revokePasskeys(tx, { ...input, leaving: true });
  if (!passkeys.ok) return passkeys;
  await endSessions(tx, userId);
  const links = await tx.bridgeToken.updateMany({
    where: { userId, consumedAt: null, revokedAt: null },
    data: { revokedAt: at, revokedReason: 'offboarded' },
  });
  const sessions = await tx.enrollmentSession.updateMany({
    where: { userId, endedAt: null },
    data: { endedAt: at },
  });
  const devices = await tx.device.updateMany({
    where: { userId, retiredAt: null },
    data: { retiredAt: at },
  });
  await tx.recoveryRequest.updateMany({
    where: { userId, status: 'pending' },
    data: { status: 'declined', decidedAt: at },
  });
  await tx.user.update({ where: { id: userId }, data: { offboardedAt: at } });
  await appendAudit(tx, {
    at,
    actor: input.actor,
    action: 'offboarded',
    subject: { type: 'user', id: userId },
    userId,
    request: input.request,
    details: {
      reason: input.reason,
      linksRevoked: links.count,
      sessionsEnded: sessions.count,
      passkeysRevoked: passkeys.revoked,
      devicesRetired: devices.count,
    },
  });
  await applyEnrollmentEvent(tx, {
    userId,
    event: 'offboarded',
    at,
    actor: input.actor,
    request: input.request,
    reason: input.reason,
  });
  return { ok: true };
}
