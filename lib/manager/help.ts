import 'server-only';
import { z } from 'zod';
import { EmployeeId } from '@/lib/hires/hire-input';
import { writeTransaction, type Db } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { Staff } from '@/lib/staff/session';

/** "Ask IT for help": an attention item on the IT console, audited. Only for one's own reports. */
/** What a manager sends: which report, and what is wrong in a sentence. */
export const HelpBody = z
  .object({
    employeeId: EmployeeId,
    message: z.string().trim().min(3, 'Say briefly what is wrong').max(500),
  })
  .strict();

export async function askItForHelp(
  db: Db,
  input: { employeeId: string; message: string },
  context: { manager: Staff; at: Date; request?: RequestContext },
): Promise<{ ok: true; id: string } | { ok: false; reason: 'not_your_report'; message: string }> {
  const hire = await db.user.findUnique({
    where: { employeeId: input.employeeId },
    select: { id: true, managerId: true },
  });
  // Same answer for "no such person" and "not yours": a manager learns nothing by guessing ids.
  if (!hire || hire.managerId !== context.manager.id)
    return {
      ok: false,
      reason: 'not_your_report',
      message: 'You can ask for help only for your own reports',
    };
  return writeTransaction(db, async (tx) => {
    const item = await tx.attentionItem.create({
      data: {
        kind: 'help_request',
        userId: hire.id,
        createdBy: `user:${context.manager.id}`,
        message: input.message,
        createdAt: context.at,
      },
    });
    await appendAudit(tx, {
      at: context.at,
      actor: { type: 'user', id: context.manager.id },
      action: 'help_requested',
      subject: { type: 'attention_item', id: item.id },
      userId: hire.id,
      request: context.request,
      details: { message: input.message },
    });
    return { ok: true as const, id: item.id };
  });
}
