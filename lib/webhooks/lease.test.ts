import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

// Leases in real time (the one outbox test that cannot take `at` as a parameter: the bug it guards
// against lives between the wall clock and the time a pass started).
process.env.FIRSTKEY_HR_STATUS_URL = 'http://127.0.0.1:9/hr';
process.env.FIRSTKEY_HR_STATUS_SECRET = `whsec_${Buffer.from('lease-test-secret-0123456789').toString('base64')}`;
process.env.FIRSTKEY_OUTBOX_LEASE_SECONDS = '2';
const { db } = await import('@/lib/db');
const { deliverDueMessages } = await import('@/lib/webhooks/worker');

test('a message claimed late in a slow pass keeps a whole lease: another instance never sends it at the same time', async () => {
  const first = new Date();
  for (const [index, id] of ['msg_lease_1', 'msg_lease_2'].entries()) {
    await db().outboxMessage.create({
      data: {
        webhookId: id,
        channel: 'hr_status',
        payload: '{}',
        createdAt: new Date(first.getTime() - 10_000 + index),
        nextAttemptAt: first,
      },
    });
  }
  const sent: string[] = [];
  const sender = (delays: number[]) => async (_url: string, init: RequestInit) => {
    sent.push((init.headers as Record<string, string>)['webhook-id']!);
    await sleep(delays.shift() ?? 0);
    return { status: 204 };
  };
  // Instance A: the first send outlasts the 2 s lease, so it claims the second message 2.5 s into
  // its pass; instance B looks 0.3 s later, while A is still sending it.
  const a = deliverDueMessages(db(), { owner: 'a', send: sender([2_500, 1_500]) });
  await sleep(2_800);
  const b = await deliverDueMessages(db(), { owner: 'b', send: sender([]) });
  assert.deepEqual(await a, { delivered: 2, failed: 0 });
  assert.deepEqual(b, { delivered: 0, failed: 0 });
  assert.deepEqual(sent, ['msg_lease_1', 'msg_lease_2']);
});
