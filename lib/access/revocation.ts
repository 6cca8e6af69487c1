import 'server-only';
import type { Tx } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';
import { isLastItAdmin, LAST_ADMIN_MESSAGE } from '@/lib/access/last-admin';
import { endProviderSessions } from '@/lib/oidc/end-sessions';

// The one way a person loses access, whoever asks for it: IT removing a passkey, a recovery revoking
// the lost ones, a leaver, "sign out everywhere".

type Change = { userId: string; at: Date; actor: Actor; request?: RequestContext; reason: string };

/**
 * Ends every session of a person: their staff sessions on every browser (sessions carry the epoch
 * they began in, so bumping it refuses them all on their next request), and their sign-ins to every
 * app through the OpenID Connect provider (sessions, grants, codes, access and refresh tokens).
 * Callers audit why.
 */
export async function endSessions(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { sessionEpoch: { increment: 1 } } });
  await endProviderSessions(tx, userId);
}

export type RevokePasskeysResult =
  { ok: true; revoked: number } | { ok: false; reason: 'last_admin'; message: string };

/**
 * Revokes some (`passkeyIds`) or all of a person's active passkeys, ends their sessions (a revoked
 * passkey may sit on a stolen laptop with a console session open), and — when none is left — moves
 * them out of `enrolled`, so they need a new link. Refused when it would leave nobody who can run the
 * console (lib/staff/last-admin.ts). Audited as one event by the caller's actor. `leaving`: the
 * caller is offboarding the person and moves them to `offboarded` itself.
 */
export async function revokePasskeys(
  tx: Tx,
  change: Change & { passkeyIds?: string[]; leaving?: boolean },
): Promise<RevokePasskeysResult> {
  const { userId, at, actor, request, reason } = change;
  const active = {
    userId,
    revokedAt: null,
    ...(change.passkeyIds ? { id: { in: change.passkeyIds } } : {}),
  };
  const remaining = change.passkeyIds
    ? await tx.passkey.count({
        where: { userId, revokedAt: null, id: { notIn: change.passkeyIds } },
      })
    : 0;
  if (remaining === 0 && (await isLastItAdmin(tx, userId)))
    return { ok: false, reason: 'last_admin', message: LAST_ADMIN_MESSAGE };
  const targets = await tx.passkey.findMany({ where: active, select: { id: true, name: true } });
  if (targets.length === 0) return { ok: true, revoked: 0 };
  await tx.passkey.updateMany({
    where: { id: { in: targets.map((passkey) => passkey.id) } },
    data: { revokedAt: at, revokedReason: reason },
  });
  await endSessions(tx, userId);
  const single = change.passkeyIds?.length === 1 ? targets[0] : undefined;
  await appendAudit(tx, {
    at,
    actor,
    action: single ? 'passkey_revoked' : 'passkeys_revoked',
    subject: single ? { type: 'passkey', id: single.id } : { type: 'user', id: userId },
    userId,
    request,
    details: single ? { reason, provider: single.name } : { reason, count: targets.length },
  });
  if (remaining === 0 && !change.leaving)
    await applyEnrollmentEvent(tx, {
      userId,
      event: 'passkeys_gone',
      at,
      actor,
      request,
      reason: 'last_passkey_revoked',
    });
  return { ok: true, revoked: targets.length };
}
