// test-databases: postgresql
// (two clients in one process cannot share a SQLite file: better-sqlite3 waits for a lock
// synchronously, so the waiting client blocks the event loop the other needs to commit; on SQLite
// the instances are the server and the CLI, one writer at a time, see lib/db/backup.test.ts)
// Two app instances on one PostgreSQL database: separate Prisma clients, separate connection pools.
// Every guarantee that state kept in the database gives must hold across them: throttle counters,
// single-use challenges, outbox leases.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { Webhook } from 'standardwebhooks';

// HR's status endpoint, played by a real HTTP server that counts each webhook id it receives.
const received = new Map<string, number>();
let answer = 204;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const id = req.headers['webhook-id'] as string;
    new Webhook(HR_STATUS).verify(body, req.headers as Record<string, string>);
    received.set(id, (received.get(id) ?? 0) + 1);
    res.writeHead(answer).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
after(() => receiver.close());
const HR_STATUS = `whsec_${crypto.createHash('sha256').update('instances').digest('base64')}`;
process.env.FIRSTKEY_HR_STATUS_URL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hr`;
process.env.FIRSTKEY_HR_STATUS_SECRET = HR_STATUS;

const { createClient, db, writeTransaction } = await import('@/lib/db');
const { verifyAuditChain } = await import('@/lib/audit/verify');
const { THROTTLE } = await import('@/lib/enrollment/policy');
const { redeemLink } = await import('@/lib/enrollment/redeem');
const { newToken } = await import('@/lib/enrollment/token');
const { addHire } = await import('@/lib/hires/add-hire');
const { consumeChallenge, storeChallenge } = await import('@/lib/passkeys/challenges');
const { passkeyAuthenticationOptions, verifyPasskeyAssertion } =
  await import('@/lib/passkeys/authentication');
const { enqueueStatusChange } = await import('@/lib/webhooks/outbox');
const { deliverDueMessages } = await import('@/lib/webhooks/worker');
const { enrolledPerson, TEST_ORIGIN } = await import('@/lib/testing/enrolled');

const instances = [
  createClient(process.env.DATABASE_URL!),
  createClient(process.env.DATABASE_URL!),
];
after(() => Promise.all(instances.map((client) => client.$disconnect())));
const instance = (i: number) => instances[i % 2]!;
const rp = { rpId: new URL(TEST_ORIGIN).hostname, origin: TEST_ORIGIN };
const request = { ip: '203.0.113.7', userAgent: 'instances-test' };

async function person(employeeId: string) {
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Person ${employeeId}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: '2026-12-01',
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(added.ok);
  return added.hire;
}

describe('two instances on one database', () => {
  test('30 failed link attempts from one laptop at once, over both instances: exactly the limit get through, the rest are throttled', async () => {
    const at = new Date();
    const peer = { fingerprint: 'ab'.repeat(32), ip: '203.0.113.7' };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        redeemLink(instance(i), { token: newToken(), peer, request, at }),
      ),
    );
    const reasons = results.map((result) => (result.ok ? 'ok' : result.reason));
    assert.deepEqual(
      {
        unknown: reasons.filter((reason) => reason === 'unknown').length,
        throttled: reasons.filter((reason) => reason === 'throttled').length,
      },
      { unknown: THROTTLE.perDevice, throttled: 30 - THROTTLE.perDevice },
    );
    assert.equal(
      await db().throttleHit.count({ where: { key: `device:${peer.fingerprint}` } }),
      THROTTLE.perDevice,
    );
    // Both instances read the same counter: the next attempt is refused on either.
    for (const client of instances) {
      const next = await redeemLink(client, { token: newToken(), peer, request, at });
      assert.ok(!next.ok && next.reason === 'throttled');
    }
  });

  test('one registration challenge answered twice at once on two instances: exactly one use succeeds', async () => {
    const hire = await person('INST1');
    for (let round = 0; round < 5; round += 1) {
      const challenge = crypto.randomBytes(32).toString('base64url');
      const at = new Date();
      await storeChallenge(db(), {
        challenge,
        purpose: 'account_registration',
        userId: hire.id,
        at,
      });
      const uses = await Promise.all(
        instances.map((client) =>
          consumeChallenge(client, {
            challenge,
            purpose: 'account_registration',
            userId: hire.id,
            at,
          }),
        ),
      );
      assert.deepEqual(uses.filter(Boolean).length, 1, `round ${round}: ${uses.join(', ')}`);
    }
  });

  test('one signed sign-in assertion sent to both instances at once, 10 times each: one sign-in, the rest refused, no error', async () => {
    const signer = await enrolledPerson({ employeeId: 'INST2' });
    const options: PublicKeyCredentialRequestOptionsJSON = await passkeyAuthenticationOptions({
      rp,
      at: new Date(),
    });
    const assertion = signer.authenticator.authenticate(options, TEST_ORIGIN);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        verifyPasskeyAssertion(instance(i), assertion, { rp, at: new Date(), request }),
      ),
    );
    const outcomes = results.map((result) => (result.ok ? 'ok' : result.reason));
    assert.deepEqual(
      {
        ok: outcomes.filter((outcome) => outcome === 'ok').length,
        challenge_invalid: outcomes.filter((outcome) => outcome === 'challenge_invalid').length,
      },
      { ok: 1, challenge_invalid: 19 },
    );
    assert.equal(
      await db().auditEvent.count({
        where: { action: 'passkey_signed_in', userId: signer.id },
      }),
      1,
    );
  });

  test('two outbox workers on two instances: every message is sent once, also when every first attempt fails', async () => {
    const hire = await person('INST3');
    const at = new Date();
    await writeTransaction(db(), async (tx) => {
      for (let i = 0; i < 40; i += 1)
        await enqueueStatusChange(tx, {
          userId: hire.id,
          employeeId: 'INST3',
          state: `test_${i}`,
          at,
        });
    });
    // With the messages of the tests above (their state changes), all waiting to be sent.
    const ids = (await db().outboxMessage.findMany({ where: { deliveredAt: null } })).map(
      (message) => message.webhookId,
    );
    assert.ok(ids.length >= 40);
    type Send = NonNullable<Parameters<typeof deliverDueMessages>[1]['send']>;
    const work = async (i: number, when: Date, send?: Send) => {
      const done = { delivered: 0, failed: 0 };
      for (;;) {
        const batch = await deliverDueMessages(instance(i), {
          owner: `worker-${i}`,
          at: when,
          send,
        });
        if (batch.delivered + batch.failed === 0) return done;
        done.delivered += batch.delivered;
        done.failed += batch.failed;
      }
    };

    // HR is down. Worker 1 reads its list of due messages, claims the first and is slow to send it;
    // meanwhile worker 0 tries all the others, which then wait for their backoff. When worker 1 goes
    // on down its (now stale) list, it must not try them again.
    answer = 503;
    let entered!: () => void;
    let release!: () => void;
    const inFirstSend = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const slow = work(1, at, async (url, init) => {
      if (first) {
        first = false;
        entered();
        await gate;
      }
      return fetch(url, init);
    });
    await inFirstSend;
    const fast = await work(0, at);
    release();
    const failedRound = [fast, await slow];
    assert.equal(failedRound[0]!.failed + failedRound[1]!.failed, ids.length);
    assert.deepEqual(
      ids.map((id) => received.get(id)),
      ids.map(() => 1),
    );
    const round = (when: Date) => Promise.all([work(0, when), work(1, when)]);
    // HR is back and the backoff has passed: each message is delivered once more, by one worker.
    answer = 204;
    const later = new Date(at.getTime() + 60 * 60_000);
    const deliveredRound = await round(later);
    assert.equal(deliveredRound[0]!.delivered + deliveredRound[1]!.delivered, ids.length);
    assert.deepEqual(
      ids.map((id) => received.get(id)),
      ids.map(() => 2),
    );
    assert.ok(
      deliveredRound.every((worker) => worker.delivered > 0),
      'both workers took part',
    );
    assert.equal(await db().outboxMessage.count({ where: { deliveredAt: null } }), 0);
    const chain = await verifyAuditChain(db());
    assert.ok(chain.ok, JSON.stringify(chain));
  });
});
