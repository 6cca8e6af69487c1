import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { setEnrollmentState } from '@/lib/enrollment/states';
import { isLastItAdmin, LAST_ADMIN_MESSAGE } from '@/lib/staff/last-admin';

export type RevokePasskeyResult = { ok: true } | { ok: false; reason: 'unknown_passkey' | 'already_revoked' | 'last_admin'; message: string };

/** Removes a passkey (IT action). A hire left with none is no longer `enrolled`: they need recovery. */
export async function revokePasskey(
  db: Db,
  input: { passkeyId: string; reason: string },
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<RevokePasskeyResult> {
  const passkey = await db.passkey.findUnique({ where: { id: input.passkeyId }, include: { user: { include: { devices: { where: { retiredAt: null } } } } } });
  if (!passkey) return { ok: false, reason: 'unknown_passkey', message: 'No such passkey' };
  return writeTransaction(db, async (tx) => {
    // Their own last passkey included: the last IT member who can sign in keeps one.
    const others = await tx.passkey.count({ where: { userId: passkey.userId, revokedAt: null, id: { not: passkey.id } } });
    if (others === 0 && (await isLastItAdmin(tx, passkey.userId))) return { ok: false as const, reason: 'last_admin' as const, message: LAST_ADMIN_MESSAGE };
    const revoked = await tx.passkey.updateMany({ where: { id: passkey.id, revokedAt: null }, data: { revokedAt: context.at, revokedReason: input.reason } });
    if (revoked.count === 0) return { ok: false as const, reason: 'already_revoked' as const, message: 'This passkey was already removed' };
    // A revoked passkey may be on a stolen laptop with a console session open: end every session.
    await tx.user.update({ where: { id: passkey.userId }, data: { sessionEpoch: { increment: 1 } } });
    await appendAudit(tx, {
      at: context.at,
      actor: context.actor,
      action: 'passkey_revoked',
      subject: { type: 'passkey', id: passkey.id },
      userId: passkey.userId,
      request: context.request,
      details: { reason: input.reason, provider: passkey.name },
    });
    const remaining = await tx.passkey.count({ where: { userId: passkey.userId, revokedAt: null } });
    if (remaining === 0 && passkey.user.enrollmentState === 'enrolled') {
      await setEnrollmentState(tx, {
        userId: passkey.userId,
        to: passkey.user.devices.length > 0 ? 'ready' : 'awaiting_device',
        at: context.at,
        actor: context.actor,
        request: context.request,
        reason: 'last_passkey_revoked',
      });
    }
    return { ok: true as const };
  });
}
