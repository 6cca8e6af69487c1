import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import { appendAudit } from '@/lib/audit/append';
import { OUTBOX } from '@/lib/webhooks/policy';
import { env } from '@/lib/env';
import { unseal } from '@/lib/webhooks/seal';
import { signWebhook } from '@/lib/webhooks/signature';

export type Send = (url: string, init: RequestInit) => Promise<{ status: number }>;

/** Delay before attempt n+1 after n failures: exponential, capped, with jitter in [50 %, 100 %]. */
export function retryDelayMs(failures: number, random = Math.random): number {
  const ceiling = Math.min(OUTBOX.maxDelayMs, OUTBOX.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

function destination(channel: string) {
  const config = env();
  return channel === 'hr_status' ? config.hrStatus : channel === 'mdm_push' ? config.mdmPush : null;
}

/**
 * Delivers the messages that are due. Each is first leased with a conditional UPDATE (so with several
 * instances exactly one claims it), then POSTed, signed, with a stable `webhook-id` for the receiver
 * to de-duplicate: delivery is at-least-once. State lives only in the database, so it survives restarts.
 */
export async function deliverDueMessages(
  db: Db,
  options: { owner: string; at?: Date; send?: Send },
): Promise<{ delivered: number; failed: number }> {
  const at = options.at ?? new Date();
  const leaseMs = env().outboxLeaseMs;
  // An attempt ends well inside its lease, so no other instance takes the message over mid-send.
  const timeoutMs = Math.min(OUTBOX.requestTimeoutMs, leaseMs / 2);
  const send: Send =
    options.send ??
    ((url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }));
  const due = await db.outboxMessage.findMany({
    where: {
      deliveredAt: null,
      nextAttemptAt: { lte: at },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: at } }],
    },
    orderBy: { createdAt: 'asc' },
    take: OUTBOX.batch,
  });
  let delivered = 0;
  let failed = 0;
  for (const message of due) {
    // The lease runs from the claim, not from the start of the pass: sending the batch's earlier
    // messages may take longer than a lease, and a lease that lapsed before its send began would let
    // another instance send the same message at the same time.
    const claimedAt = options.at ?? new Date();
    const claimed = await db.outboxMessage.updateMany({
      // Due is checked again: another instance may have tried it since our list was read, and
      // then it waits for its backoff.
      where: {
        id: message.id,
        deliveredAt: null,
        nextAttemptAt: { lte: claimedAt },
        OR: [{ leaseUntil: null }, { leaseUntil: { lt: claimedAt } }],
      },
      data: { leaseOwner: options.owner, leaseUntil: new Date(claimedAt.getTime() + leaseMs) },
    });
    if (claimed.count !== 1) continue;
    const target = destination(message.channel);
    let error: string | null = null;
    if (!target) {
      error = `${message.channel} is not configured`;
    } else {
      const body = message.sealed ? unseal(message.payload) : message.payload;
      try {
        const response = await send(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signWebhook(target.secret, message.webhookId, new Date(), body),
          },
          body,
        });
        if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
      } catch (cause) {
        error = (cause as Error).message;
      }
    }
    const attempts = message.attempts + 1;
    await writeTransaction(db, async (tx) => {
      await tx.outboxMessage.update({
        where: { id: message.id },
        data: error
          ? {
              attempts,
              lastError: error.slice(0, 300),
              nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempts)),
              failedAt: attempts >= OUTBOX.flagAfterAttempts ? (message.failedAt ?? at) : null,
              leaseOwner: null,
              leaseUntil: null,
            }
          : {
              attempts,
              deliveredAt: new Date(),
              lastError: null,
              failedAt: null,
              leaseOwner: null,
              leaseUntil: null,
            },
      });
      if (message.userId) {
        await appendAudit(tx, {
          at,
          actor: { type: 'system' },
          action: error ? 'delivery_failed' : 'delivery_succeeded',
          subject: { type: 'outbox_message', id: message.id },
          userId: message.userId,
          result: error ? 'failed' : 'ok',
          details: {
            channel: message.channel,
            webhookId: message.webhookId,
            attempt: attempts,
            error,
          },
        });
      }
    });
    if (error) failed += 1;
    else delivered += 1;
  }
  return { delivered, failed };
}
