import 'server-only';
import { z } from 'zod';
import { writeTransaction, type Db } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';

/** IT marks a help request (attention item) as handled; audited on the hire's timeline. */
/** Marking an item handled takes no input beyond its id (in the path). */
export const ResolveBody = z.object({}).strict();

export async function resolveAttentionItem(
  db: Db,
  input: { itemId: string },
  context: { actorId: string; at: Date; request?: RequestContext },
): Promise<
  { ok: true } | { ok: false; reason: 'unknown_item' | 'already_resolved'; message: string }
> {
  const item = await db.attentionItem.findUnique({ where: { id: input.itemId } });
  if (!item) return { ok: false, reason: 'unknown_item', message: 'No such item' };
  return writeTransaction(db, async (tx) => {
    const resolved = await tx.attentionItem.updateMany({
      where: { id: item.id, resolvedAt: null },
      data: { resolvedAt: context.at, resolvedBy: `user:${context.actorId}` },
    });
    if (resolved.count === 0)
      return {
        ok: false as const,
        reason: 'already_resolved' as const,
        message: 'Someone already handled this',
      };
    await appendAudit(tx, {
      at: context.at,
      actor: { type: 'user', id: context.actorId },
      action: 'help_resolved',
      subject: { type: 'attention_item', id: item.id },
      userId: item.userId ?? undefined,
      request: context.request,
    });
    return { ok: true as const };
  });
}
