import 'server-only';
import { z } from 'zod';
import { writeTransaction, type Db } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';

/** Marking an item handled takes no input beyond its id (in the path). */
export const ResolveBody = z.object({}).strict();

/**
 * IT marks a help request (attention item) as handled; audited on the hire's timeline. The panel
 * shows one entry per person, so handling it handles every open item for that person: each is
 * audited.
 */
export async function resolveAttentionItem(
  db: Db,
  input: { itemId: string },
  context: { actorId: string; at: Date; request?: RequestContext },
): Promise<
  | { ok: true; resolved: number }
  | { ok: false; reason: 'unknown_item' | 'already_resolved'; message: string }
> {
  const item = await db.attentionItem.findUnique({ where: { id: input.itemId } });
  if (!item) return { ok: false, reason: 'unknown_item', message: 'No such item' };
  return writeTransaction(db, async (tx) => {
    const data = { resolvedAt: context.at, resolvedBy: `user:${context.actorId}` };
    const resolved = await tx.attentionItem.updateMany({
      where: { id: item.id, resolvedAt: null },
      data,
    });
    if (resolved.count === 0)
      return {
        ok: false as const,
        reason: 'already_resolved' as const,
        message: 'Someone already handled this',
      };
    const others = await tx.attentionItem.findMany({
      where: { userId: item.userId, resolvedAt: null, id: { not: item.id } },
      select: { id: true },
    });
    for (const other of others)
      await tx.attentionItem.updateMany({ where: { id: other.id, resolvedAt: null }, data });
    for (const id of [item.id, ...others.map((other) => other.id)])
      await appendAudit(tx, {
        at: context.at,
        actor: { type: 'user', id: context.actorId },
        action: 'help_resolved',
        subject: { type: 'attention_item', id },
        userId: item.userId ?? undefined,
        request: context.request,
      });
    return { ok: true as const, resolved: 1 + others.length };
  });
}
