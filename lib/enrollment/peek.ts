import 'server-only';
import { type Db, writeTransaction } from '@/lib/db';
import { appendAudit } from '@/lib/audit/append';
import { attemptLink, type LinkAttempt } from '@/lib/enrollment/link-attempt';
import type { LinkFailure } from '@/lib/enrollment/link-outcome';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';

export type PeekResult =
  | {
      ok: true;
      hire: { name: string; preferredLanguage: string | null };
      deviceMatches: true;
      expiresAt: Date;
    }
  | LinkFailure;

/**
 * Tells the enrollment page whose link this is, before anything happens. Never consumes the link.
 * Only the right device learns the hire's name and language tag (so the page can switch to it); the first such look moves the hire to `opened`.
 */
export async function peekLink(db: Db, attempt: LinkAttempt): Promise<PeekResult> {
  const result = await attemptLink(db, attempt, 'peek');
  if (!result.ok) return result;
  const { link } = result;
  if (!link.openedAt) {
    await writeTransaction(db, async (tx) => {
      // Raw: a Prisma model query costs about five times the CPU of the statement (lib/audit/append.ts).
      const first = await tx.$executeRaw`
        UPDATE "BridgeToken" SET "openedAt" = ${attempt.at} WHERE "id" = ${link.id} AND "openedAt" IS NULL`;
      if (first === 0) return;
      await appendAudit(tx, {
        at: attempt.at,
        actor: { type: 'user', id: link.userId },
        action: 'link_opened',
        subject: { type: 'bridge_token', id: link.id },
        userId: link.userId,
        request: attempt.request,
      });
      await applyEnrollmentEvent(tx, {
        userId: link.userId,
        event: 'link_opened',
        at: attempt.at,
        actor: { type: 'user', id: link.userId },
        request: attempt.request,
      });
    });
  }
  return {
    ok: true,
    hire: { name: link.user.name, preferredLanguage: link.user.preferredLanguage },
    deviceMatches: true,
    expiresAt: link.expiresAt,
  };
}
