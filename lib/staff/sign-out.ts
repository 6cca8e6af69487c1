import 'server-only';
import type { JWT } from 'next-auth/jwt';
import { appendAudit } from '@/lib/audit/append';
import { writeTransaction, type Db } from '@/lib/db';
import { uniqueViolation } from '@/lib/db/errors';
import { SESSION_ABSOLUTE } from '@/lib/staff/policy';
import { sessionClaims } from '@/lib/staff/session';

export type SignOutResult = { ok: true } | { ok: false; reason: 'not_a_session' | 'already_ended' };

/**
 * Ends one staff session on the server when its person signs out on that browser. The session is a
 * stateless JWT, so clearing the cookie alone would leave any copy of it working (and renewable) for
 * up to 12 hours; its id goes on the ended-session list, which staffFromSession consults. A row is
 * kept only until the session's absolute end, after which the cookie is refused anyway: rows past
 * that are purged here.
 */
export async function signOutSession(
  db: Db,
  input: { token: JWT | null; at: Date },
): Promise<SignOutResult> {
  const claims = sessionClaims(input.token);
  if (!claims) return { ok: false, reason: 'not_a_session' };
  const { at } = input;
  try {
    await writeTransaction(db, async (tx) => {
      await tx.staffSessionEnd.create({
        data: {
          sessionId: claims.sid,
          userId: claims.sub,
          endedAt: at,
          expiresAt: new Date(claims.signedInAt + SESSION_ABSOLUTE),
        },
      });
      await tx.staffSessionEnd.deleteMany({ where: { expiresAt: { lt: at } } });
      await appendAudit(tx, {
        at,
        actor: { type: 'user', id: claims.sub },
        action: 'signed_out',
        subject: { type: 'user', id: claims.sub },
        userId: claims.sub,
      });
    });
  } catch (error) {
    if (uniqueViolation(error) === 'sessionId') return { ok: false, reason: 'already_ended' };
    throw error;
  }
  return { ok: true };
}
