import 'server-only';
import crypto from 'node:crypto';
import type { Tx } from '@/lib/db';
import { env } from '@/lib/env';
import { seal } from '@/lib/webhooks/seal';

// Outbound webhooks are written to the outbox in the same transaction as the change they report, so
// a change and its notification exist together or not at all; lib/webhooks/worker.ts delivers them.

export type OutboxChannel = 'hr_status' | 'mdm_push';

async function enqueue(
  tx: Tx,
  input: { channel: OutboxChannel; body: unknown; userId: string; sealed: boolean; at: Date },
): Promise<void> {
  const payload = JSON.stringify(input.body);
  await tx.outboxMessage.create({
    data: {
      webhookId: `msg_${crypto.randomUUID()}`,
      channel: input.channel,
      payload: input.sealed ? seal(payload) : payload,
      sealed: input.sealed,
      userId: input.userId,
      createdAt: input.at,
      nextAttemptAt: input.at,
    },
  });
}

/** HR hears about every state change: `{ type: "enrollment.status", data: { employeeId, state, at } }`. */
export async function enqueueStatusChange(
  tx: Tx,
  change: { userId: string; employeeId: string; state: string; at: Date },
): Promise<void> {
  if (!env().hrStatus) return;
  await enqueue(tx, {
    channel: 'hr_status',
    body: {
      type: 'enrollment.status',
      data: { employeeId: change.employeeId, state: change.state, at: change.at.toISOString() },
    },
    userId: change.userId,
    sealed: false,
    at: change.at,
  });
}

/**
 * HR hears about every passkey a person adds or removes themselves, so the person can be told through
 * a channel an attacker holding their session does not control (NIST SP 800-63B-4 §4.1: notify the
 * subscriber of every authenticator bound to their account):
 * `{ type: "person.passkey_added" | "person.passkey_removed", data: { employeeId, passkeyId, provider, at } }`.
 */
export async function enqueuePasskeyChange(
  tx: Tx,
  change: {
    type: 'person.passkey_added' | 'person.passkey_removed';
    userId: string;
    employeeId: string;
    passkeyId: string;
    provider: string | null;
    at: Date;
  },
): Promise<void> {
  if (!env().hrStatus) return;
  await enqueue(tx, {
    channel: 'hr_status',
    body: {
      type: change.type,
      data: {
        employeeId: change.employeeId,
        passkeyId: change.passkeyId,
        provider: change.provider,
        at: change.at.toISOString(),
      },
    },
    userId: change.userId,
    sealed: false,
    at: change.at,
  });
}

/** The MDM shows the link on the hire's laptop. The body holds the link, so it is stored sealed. */
export async function enqueueLinkPush(
  tx: Tx,
  link: {
    userId: string;
    employeeId: string;
    deviceSerial: string;
    url: string;
    notBefore: Date;
    expiresAt: Date;
    at: Date;
  },
): Promise<boolean> {
  if (!env().mdmPush) return false;
  await enqueue(tx, {
    channel: 'mdm_push',
    body: {
      type: 'enrollment.link',
      data: {
        employeeId: link.employeeId,
        deviceSerial: link.deviceSerial,
        url: link.url,
        notBefore: link.notBefore.toISOString(),
        expiresAt: link.expiresAt.toISOString(),
      },
    },
    userId: link.userId,
    sealed: true,
    at: link.at,
  });
  return true;
}
