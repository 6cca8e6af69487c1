import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { Webhook } from 'standardwebhooks';

// HR and the MDM, played by a real HTTP server on 127.0.0.1 that records what it receives.
type Received = { channel: string; headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
let hrDown = false;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const channel = req.url === '/hr' ? 'hr' : 'mdm';
    if (channel === 'hr' && hrDown) {
      res.writeHead(503).end();
      return;
    }
    received.push({ channel, headers: req.headers, body });
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const port = (receiver.address() as AddressInfo).port;
after(() => receiver.close());

const secret = (seed: string) =>
  `whsec_${crypto.createHash('sha256').update(seed).digest('base64')}`;
const HR_IN = [secret('hr-in-current'), secret('hr-in-next')];
const HR_STATUS = secret('hr-status');
const MDM = secret('mdm');
process.env.FIRSTKEY_HR_WEBHOOK_SECRET = HR_IN.join(' ');
process.env.FIRSTKEY_HR_STATUS_URL = `http://127.0.0.1:${port}/hr`;
process.env.FIRSTKEY_HR_STATUS_SECRET = HR_STATUS;
process.env.FIRSTKEY_MDM_PUSH_URL = `http://127.0.0.1:${port}/mdm`;
process.env.FIRSTKEY_MDM_PUSH_SECRET = MDM;

const { POST: hrEvents } = await import('@/app/api/hr/events/route');
const { POST: redeem } = await import('@/app/api/enroll/redeem/route');
const { POST: registrationOptions } = await import('@/app/api/enroll/passkey/options/route');
const { POST: registrationVerify } = await import('@/app/api/enroll/passkey/verify/route');
const { POST: authenticationOptions } =
  await import('@/app/api/passkeys/authenticate/options/route');
const { POST: authenticationVerify } = await import('@/app/api/passkeys/authenticate/verify/route');
const { db } = await import('@/lib/db');
const { deliverDueMessages } = await import('@/lib/webhooks/worker');
const { OUTBOX } = await import('@/lib/webhooks/policy');
const { apiRequest, cookieFrom } = await import('@/lib/testing/api');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { SoftAuthenticator } = await import('@/lib/testing/soft-authenticator');

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

function hrRequest(
  body: unknown,
  options: {
    id?: string;
    at?: Date;
    signWith?: string;
    headers?: Record<string, string>;
    raw?: string;
  } = {},
) {
  const text = options.raw ?? JSON.stringify(body);
  const id = options.id ?? `evt_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.signWith ?? HR_IN[0]!).sign(id, at, text),
    ...options.headers,
  };
  return {
    id,
    request: new Request('https://localhost:3443/api/hr/events', {
      method: 'POST',
      headers,
      body: text,
    }),
  };
}

async function send(body: unknown, options: Parameters<typeof hrRequest>[1] = {}) {
  const { id, request } = hrRequest(body, options);
  const response = await hrEvents(request);
  return {
    id,
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
  };
}

async function joiner(overrides: Record<string, unknown> = {}, withDevice = true) {
  sequence += 1;
  const employeeId = `HR${sequence}`;
  const laptop = await deviceCertificate(employeeId);
  const data = {
    employeeId,
    name: `Hire ${sequence}`,
    email: `hr${sequence}@example.com`,
    startDate: today,
    ...(withDevice ? { device: { serial: `SN-${employeeId}`, certificatePem: laptop.pem } } : {}),
    ...overrides,
  };
  return { employeeId, laptop, data };
}

const user = (employeeId: string) => db().user.findUnique({ where: { employeeId } });
const drain = (at = new Date()) => deliverDueMessages(db(), { owner: 'test', at });

function verified(message: Received, key: string) {
  return new Webhook(key).verify(message.body, message.headers as Record<string, string>) as {
    type: string;
    data: Record<string, string>;
  };
}

async function enroll(url: string, laptop: { fingerprint: string }) {
  const caller = { fingerprint: laptop.fingerprint, ip: `198.51.100.${200 + sequence}` };
  const redeemed = await redeem(
    apiRequest('/api/enroll/redeem', caller, { body: { token: new URL(url).hash.slice(1) } }),
  );
  assert.equal(redeemed.status, 200);
  const session = { ...caller, cookie: cookieFrom(redeemed) };
  const authenticator = new SoftAuthenticator({ userVerification: true });
  const creation = (await (
    await registrationOptions(apiRequest('/x', session, { body: {} }))
  ).json()) as PublicKeyCredentialCreationOptionsJSON;
  const verifiedResponse = await registrationVerify(
    apiRequest('/x', session, {
      body: { response: authenticator.register(creation, 'https://localhost:3443') },
    }),
  );
  assert.equal(verifiedResponse.status, 200);
  return authenticator;
}

describe('HR joiner → MDM link → enrollment → HR status', () => {
  test('a signed joiner creates the hire, issues a link, delivers it to the MDM; after enrolling, HR hears `enrolled`', async () => {
    const hire = await joiner();
    const response = await send({ type: 'joiner', data: hire.data });
    assert.deepEqual(response.body, { duplicate: false, outcome: 'created', linkIssued: true });
    assert.equal((await user(hire.employeeId))?.enrollmentState, 'invited');

    // The link is in the outbox only sealed: no usable token at rest.
    const queued = await db().outboxMessage.findFirstOrThrow({
      where: { channel: 'mdm_push', userId: (await user(hire.employeeId))!.id },
    });
    assert.ok(queued.sealed && !queued.payload.includes('/enroll#'));

    await drain();
    const push = received
      .filter((message) => message.channel === 'mdm')
      .map((message) => verified(message, MDM))
      .find((body) => body.data.employeeId === hire.employeeId);
    assert.ok(push);
    assert.equal(push.type, 'enrollment.link');
    assert.equal(push.data.deviceSerial, `SN-${hire.employeeId}`);
    assert.match(push.data.url!, /^https:\/\/localhost:3443\/enroll#[A-Za-z0-9_-]{43}$/);

    await enroll(push.data.url!, hire.laptop);
    await drain();
    const statuses = received
      .filter((message) => message.channel === 'hr')
      .map((message) => verified(message, HR_STATUS))
      .filter((body) => body.data.employeeId === hire.employeeId);
    assert.deepEqual(
      statuses.map((body) => body.data.state),
      ['ready', 'invited', 'enrolling', 'enrolled'],
    );
    const last = statuses.at(-1)!;
    assert.deepEqual(Object.keys(last).sort(), ['data', 'type']);
    assert.equal(last.type, 'enrollment.status');
    assert.deepEqual(Object.keys(last.data).sort(), ['at', 'employeeId', 'state']);
    const timeline = await db().auditEvent.findMany({
      where: { userId: (await user(hire.employeeId))!.id, action: 'delivery_succeeded' },
    });
    assert.ok(timeline.length >= 5);
  });
});

describe('inbound webhook security', () => {
  test('bad signature, missing headers, stale timestamp, malformed body, unknown type: the right 4xx and nothing stored', async () => {
    const hire = await joiner();
    const before = { users: await db().user.count(), events: await db().hrInboundEvent.count() };
    const body = { type: 'joiner', data: hire.data };
    const cases: [Parameters<typeof hrRequest>[1], number, RegExp][] = [
      [{ signWith: secret('someone-else') }, 401, /No matching signature/],
      [{ headers: { 'webhook-signature': '' } }, 401, /Missing header: webhook-signature/],
      [
        { headers: { 'webhook-id': '', 'webhook-timestamp': '' } },
        401,
        /Missing headers: webhook-id, webhook-timestamp/,
      ],
      [{ at: new Date(Date.now() - 6 * 60_000) }, 401, /too old/],
      [{ at: new Date(Date.now() + 6 * 60_000) }, 401, /too new/],
      [{ raw: '{"type": "joiner", ' }, 400, /not valid JSON/],
      [{ raw: JSON.stringify({ type: 'rehire', data: hire.data }) }, 400, /type/],
      [
        {
          raw: JSON.stringify({ type: 'joiner', data: { ...hire.data, startDate: '2026-02-30' } }),
        },
        400,
        /data.startDate: Not a calendar date/,
      ],
      [
        { raw: JSON.stringify({ type: 'joiner', data: { ...hire.data, salary: 1 } }) },
        400,
        /salary/,
      ],
    ];
    for (const [options, status, message] of cases) {
      const response = await send(body, options);
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.match(response.body.error!.message, message);
    }
    // A body changed after signing.
    const { request } = hrRequest(body);
    const tampered = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: JSON.stringify({ ...body, data: { ...hire.data, name: 'Mallory' } }),
    });
    assert.equal((await hrEvents(tampered)).status, 401);
    assert.deepEqual(
      { users: await db().user.count(), events: await db().hrInboundEvent.count() },
      before,
    );
  });

  test('a webhook-timestamp with trailing junk is refused even with a valid signature, and stores nothing', async () => {
    // The signature covers id.timestamp.body with the timestamp as the standardwebhooks package reads it
    // (parseInt: "1764000000e2" → 1764000000), so this one verifies with the real secret; the junk is
    // what a replayer appends. Read as Number, "abc" was NaN (a 500) and "e2" an event 5,000 years ahead
    // that made every later change for that person stale.
    const hire = await joiner({}, false);
    const at = new Date();
    const seconds = String(Math.floor(at.getTime() / 1000));
    const before = { users: await db().user.count(), events: await db().hrInboundEvent.count() };
    for (const timestamp of [
      `${seconds}abc`,
      `${seconds}e2`,
      `${seconds}.0`,
      `+${seconds}`,
      '1'.repeat(13),
    ]) {
      const response = await send(
        { type: 'joiner', data: hire.data },
        { at, headers: { 'webhook-timestamp': timestamp } },
      );
      assert.equal(response.status, 401, `${timestamp}: ${JSON.stringify(response.body)}`);
      assert.equal(
        response.body.error!.message,
        `webhook-timestamp must be whole seconds since 1970 (1 to 12 digits), got ${JSON.stringify(timestamp)}`,
      );
    }
    assert.deepEqual(
      { users: await db().user.count(), events: await db().hrInboundEvent.count() },
      before,
    );
    // HR's own deliveries for that person still apply in order.
    assert.equal((await send({ type: 'joiner', data: hire.data }, { at })).body.outcome, 'created');
    assert.equal(
      (
        await send(
          { type: 'change', data: { ...hire.data, name: 'Renamed' } },
          { at: new Date(at.getTime() + 1_000) },
        )
      ).body.outcome,
      'updated',
    );
    const stored = await db().hrInboundEvent.findFirstOrThrow({
      where: { employeeId: hire.employeeId, type: 'joiner' },
    });
    assert.equal(stored.occurredAt.getTime(), Number(seconds) * 1000);
  });

  test('the next secret is accepted during rotation', async () => {
    const hire = await joiner({}, false);
    assert.equal(
      (await send({ type: 'joiner', data: hire.data }, { signWith: HR_IN[1] })).status,
      200,
    );
  });

  test('a replayed or duplicated delivery changes nothing: one hire, one link', async () => {
    const hire = await joiner();
    const first = await send({ type: 'joiner', data: hire.data });
    const replay = await send({ type: 'joiner', data: hire.data }, { id: first.id });
    assert.deepEqual(replay.body, { duplicate: true });
    assert.equal(await db().user.count({ where: { employeeId: hire.employeeId } }), 1);
    assert.equal(
      await db().bridgeToken.count({ where: { user: { employeeId: hire.employeeId } } }),
      1,
    );
    // The same joiner again under a new id (HR re-sent it): still one hire and one open link.
    const again = await send({ type: 'joiner', data: hire.data });
    assert.equal(again.body.outcome, 'updated_from_duplicate_joiner');
    assert.equal(
      await db().bridgeToken.count({
        where: { user: { employeeId: hire.employeeId }, revokedAt: null },
      }),
      1,
    );
  });
});

describe('the language a person reads their pages in', () => {
  test('a joiner may carry preferredLanguage; a change updates or clears it; a malformed tag is a 400 that stores nothing', async () => {
    const hire = await joiner({ preferredLanguage: 'de' }, false);
    assert.equal((await send({ type: 'joiner', data: hire.data })).status, 200);
    assert.equal((await user(hire.employeeId))?.preferredLanguage, 'de');
    const changed = { ...hire.data, preferredLanguage: 'fr-CA' };
    assert.equal((await send({ type: 'change', data: changed })).status, 200);
    assert.equal((await user(hire.employeeId))?.preferredLanguage, 'fr-CA');
    assert.equal((await send({ type: 'change', data: hire.data })).status, 200);
    assert.equal((await user(hire.employeeId))?.preferredLanguage, 'de');
    const without: Record<string, unknown> = { ...changed };
    delete without.preferredLanguage;
    assert.equal((await send({ type: 'change', data: without })).status, 200);
    assert.equal((await user(hire.employeeId))?.preferredLanguage, null);

    const other = await joiner({ preferredLanguage: 'German; DROP TABLE' }, false);
    const refused = await send({ type: 'joiner', data: other.data });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error!.message, /data.preferredLanguage: Expected a language tag/);
    assert.equal(await user(other.employeeId), null);
  });
});

describe('ordering', () => {
  test('a change before its joiner creates the hire; the late joiner is ignored as stale', async () => {
    const hire = await joiner({}, false);
    const change = await send({ type: 'change', data: { ...hire.data, name: 'Changed Name' } });
    assert.equal(change.body.outcome, 'created_from_change_before_joiner');
    const lateJoiner = await send(
      { type: 'joiner', data: hire.data },
      { at: new Date(Date.now() - 60_000) },
    );
    assert.equal(lateJoiner.body.outcome, 'ignored_stale');
    assert.equal((await user(hire.employeeId))?.name, 'Changed Name');
  });

  test('a change of start date and device updates the hire and replaces the link; a leaver before start is final', async () => {
    const hire = await joiner();
    await send({ type: 'joiner', data: hire.data });
    const oldLink = await db().bridgeToken.findFirstOrThrow({
      where: { user: { employeeId: hire.employeeId } },
    });
    const newLaptop = await deviceCertificate(`${hire.employeeId}-new`);
    const change = await send({
      type: 'change',
      data: {
        ...hire.data,
        startDate: today,
        device: { serial: 'SN-NEW', certificatePem: newLaptop.pem },
      },
    });
    assert.deepEqual([change.body.outcome, change.body.linkIssued], ['updated', true]);
    assert.ok((await db().bridgeToken.findUniqueOrThrow({ where: { id: oldLink.id } })).revokedAt);

    const leaver = await send({ type: 'leaver', data: { employeeId: hire.employeeId } });
    assert.equal(leaver.body.outcome, 'offboarded_before_enrollment');
    const olderJoiner = await send(
      { type: 'joiner', data: hire.data },
      { at: new Date(Date.now() - 120_000) },
    );
    assert.equal(olderJoiner.body.outcome, 'ignored_after_leaver');
    assert.equal((await user(hire.employeeId))?.enrollmentState, 'offboarded');
    assert.equal(
      await db().bridgeToken.count({
        where: { user: { employeeId: hire.employeeId }, revokedAt: null, consumedAt: null },
      }),
      0,
    );
  });
});

describe('same-second events', () => {
  test('a joiner and a change sent in the same second end the same way in either arrival order', async () => {
    const second = new Date(Math.floor(Date.now() / 1000) * 1000);
    const changeFirst = await joiner({}, false);
    await send(
      { type: 'change', data: { ...changeFirst.data, name: 'Final Name' } },
      { at: second },
    );
    assert.equal(
      (await send({ type: 'joiner', data: changeFirst.data }, { at: second })).body.outcome,
      'ignored_stale',
    );
    const joinerFirst = await joiner({}, false);
    await send({ type: 'joiner', data: joinerFirst.data }, { at: second });
    assert.equal(
      (
        await send(
          { type: 'change', data: { ...joinerFirst.data, name: 'Final Name' } },
          { at: second },
        )
      ).body.outcome,
      'updated',
    );
    assert.deepEqual(
      [(await user(changeFirst.employeeId))?.name, (await user(joinerFirst.employeeId))?.name],
      ['Final Name', 'Final Name'],
    );
  });
});

describe('leavers', () => {
  test('after enrollment: links dead, passkeys revoked, sign-in refused, audited', async () => {
    const hire = await joiner();
    await send({ type: 'joiner', data: hire.data });
    await drain();
    const push = received
      .filter((message) => message.channel === 'mdm')
      .map((message) => verified(message, MDM))
      .find((body) => body.data.employeeId === hire.employeeId)!;
    const authenticator = await enroll(push.data.url!, hire.laptop);

    const leaver = await send({ type: 'leaver', data: { employeeId: hire.employeeId } });
    assert.equal(leaver.body.outcome, 'offboarded_after_enrollment');
    const options = (await (
      await authenticationOptions(apiRequest('/x', { fingerprint: null }, { body: {} }))
    ).json()) as PublicKeyCredentialRequestOptionsJSON;
    const signIn = await authenticationVerify(
      apiRequest(
        '/x',
        { fingerprint: null },
        { body: { response: authenticator.authenticate(options, 'https://localhost:3443') } },
      ),
    );
    assert.equal(signIn.status, 404);
    const replay = await redeem(
      apiRequest(
        '/x',
        { fingerprint: hire.laptop.fingerprint, ip: '198.51.100.99' },
        { body: { token: new URL(push.data.url!).hash.slice(1) } },
      ),
    );
    assert.equal(replay.status, 410);
    const audit = await db().auditEvent.findFirst({
      where: { userId: (await user(hire.employeeId))!.id, action: 'offboarded' },
    });
    assert.equal(JSON.parse(audit!.details).passkeysRevoked, 1);
  });
});

describe('outbox delivery', () => {
  test('HR down: retried with backoff, delivered once it is back — across a restart — once per event id', async () => {
    await drain();
    hrDown = true;
    const hire = await joiner();
    await send({ type: 'joiner', data: hire.data });
    const userId = (await user(hire.employeeId))!.id;
    // Ordered: a joiner queues two HR status messages, and the loop follows the same one throughout
    // (PostgreSQL returns rows in no particular order without one; SQLite happened to use rowid order).
    const pending = () =>
      db().outboxMessage.findMany({
        where: { channel: 'hr_status', deliveredAt: null, userId },
        orderBy: { id: 'asc' },
      });
    let at = new Date();
    for (let attempt = 1; attempt <= OUTBOX.flagAfterAttempts; attempt += 1) {
      await deliverDueMessages(db(), { owner: 'instance-a', at });
      const [message] = await pending();
      assert.equal(message?.attempts, attempt);
      assert.ok(message!.nextAttemptAt > at, 'backs off');
      assert.equal(message!.lastError, 'HTTP 503');
      at = new Date(message!.nextAttemptAt.getTime() + 1);
    }
    assert.ok((await pending())[0]!.failedAt, 'flagged for the IT console after repeated failures');

    // "Restart": a new worker (new owner) picks the rows up from the database alone.
    hrDown = false;
    // Past every pending message's next attempt (the joiner's other message backs off on its own).
    const latest = Math.max(...(await pending()).map((message) => message.nextAttemptAt.getTime()));
    at = new Date(Math.max(at.getTime(), latest + 1));
    await Promise.all([
      deliverDueMessages(db(), { owner: 'instance-b', at }),
      deliverDueMessages(db(), { owner: 'instance-c', at }),
    ]);
    assert.equal((await pending()).length, 0);
    const ids = received
      .filter(
        (message) =>
          message.channel === 'hr' &&
          verified(message, HR_STATUS).data.employeeId === hire.employeeId,
      )
      .map((message) => message.headers['webhook-id']);
    assert.equal(ids.length, new Set(ids).size, 'each event id delivered once');
    assert.ok(ids.length >= 1);
  });
});
