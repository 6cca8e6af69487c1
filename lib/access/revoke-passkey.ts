import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { revokePasskeys } from '@/lib/access/revocation';

export type RevokePasskeyResult =
  | { ok: true }
  | { ok: false; reason: 'unknown_passkey' | 'already_revoked' | 'last_admin'; message: string };

/** Removes one passkey (IT action; lib/access/revocation.ts owns what follows). */
export async function revokePasskey(
  db: Db,
  input: { passkeyId: string; reason: string },
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<RevokePasskeyResult> {
  const passkey = await db.passkey.findUnique({
    where: { id: input.passkeyId },
    select: { id: true, userId: true },
  });
  if (!passkey) return { ok: false, reason: 'unknown_passkey', message: 'No such passkey' };
  return writeTransaction(db, async (tx) => {
    const result = await revokePasskeys(tx, {
      userId: passkey.userId,
      passkeyIds: [passkey.id],
      reason: input.reason,
      ...context,
    });
    if (!result.ok) return result;
    if (result.revoked === 0)
      return {
        ok: false as const,
        reason: 'already_revoked' as const,
        message: 'This passkey was already removed',
      };
    return { ok: true as const };
  });
}
