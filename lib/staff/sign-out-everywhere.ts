import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import { endSessions } from '@/lib/access/revocation';
import { appendAudit } from '@/lib/audit/append';
import type { RequestContext } from '@/lib/audit/actor';

/** Ends every session of a person on every browser. */
export async function signOutEverywhere(
  db: Db,
  input: { userId: string; at: Date; request?: RequestContext },
): Promise<void> {
  await writeTransaction(db, async (tx) => {
    await endSessions(tx, input.userId);
    await appendAudit(tx, {
      at: input.at,
      actor: { type: 'user', id: input.userId },
      action: 'signed_out_everywhere',
      subject: { type: 'user', id: input.userId },
      userId: input.userId,
      request: input.request,
    });
  });
}
