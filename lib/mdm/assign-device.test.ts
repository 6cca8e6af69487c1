import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { Webhook } from 'standardwebhooks';

// The MDM, played by a real HTTP server on 127.0.0.1: it assigns laptops by calling the route handler
// with signed deliveries, and receives the links Firstkey pushes back.
type Received = { headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
after(() => receiver.close());

const secret = (seed: string) =>
  `whsec_${crypto.createHash('sha256').update(seed).digest('base64')}`;
const MDM_IN = [secret('mdm-in-current'), secret('mdm-in-next')];
const HR_IN = secret('hr-in');
const MDM_PUSH = secret('mdm-push');
process.env.FIRSTKEY_MDM_WEBHOOK_SECRET = MDM_IN.join(' ');
process.env.FIRSTKEY_HR_WEBHOOK_SECRET = HR_IN;
process.env.FIRSTKEY_MDM_PUSH_URL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/mdm`;
process.env.FIRSTKEY_MDM_PUSH_SECRET = MDM_PUSH;

const { POST: mdmDevices } = await import('@/app/api/mdm/devices/route');
const { POST: redeem } = await import('@/app/api/enroll/redeem/route');
const { POST: registrationOptions } = await import('@/app/api/enroll/passkey/options/route');
const { POST: registrationVerify } = await import('@/app/api/enroll/passkey/verify/route');
const { db, writeTransaction } = await import('@/lib/db');
const { addHire } = await import('@/lib/hires/add-hire');
const { offboard } = await import('@/lib/hires/offboard');
const { deliverDueMessages } = await import('@/lib/webhooks/worker');
const { apiRequest, cookieFrom } = await import('@/lib/testing/api');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { SoftAuthenticator } = await import('@/lib/testing/soft-authenticator');

const ORIGIN = 'https://localhost:3443';
const today = new Date().toISOString().slice(0, 10);
const inTwoMonths = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
let sequence = 0;

async function person(startDate = today) {
  sequence += 1;
  const employeeId = `MDM${sequence}`;
  const email = `mdm${sequence}@example.com`;
  const added = await addHire(
    db(),
    { employeeId, name: `Hire ${sequence}`, email, startDate },
    { actor: { type: 'hr' }, at: new Date() },
  );
  assert.ok(added.ok);
  return { employeeId, email, laptop: await deviceCertificate(employeeId) };
}

function mdmRequest(
  body: unknown,
  options: { id?: string; at?: Date; signWith?: string; raw?: string } = {},
) {
  const text = options.raw ?? JSON.stringify(body);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  return new Request(`${ORIGIN}/api/mdm/devices`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(options.signWith ?? MDM_IN[0]!).sign(id, at, text),
    },
    body: text,
  });
}

async function assign(body: unknown, options: Parameters<typeof mdmRequest>[1] = {}) {
  const response = await mdmDevices(mdmRequest(body, options));
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
  };
}

/** Every row an assignment could write: a refused delivery must leave all of them as they were. */
async function rows() {
  return {
    devices: await db().device.count(),
    events: await db().mdmInboundEvent.count(),
    links: await db().bridgeToken.count(),
    outbox: await db().outboxMessage.count(),
    audit: await db().auditEvent.count(),
  };
}

const user = (employeeId: string) => db().user.findUniqueOrThrow({ where: { employeeId } });
const drain = () => deliverDueMessages(db(), { owner: 'test' });

/** The links the MDM received for this person, verified with the push secret, oldest first. */
function pushes(employeeId: string) {
  return received
    .map(
      (message) =>
        new Webhook(MDM_PUSH).verify(message.body, message.headers as Record<string, string>) as {
          type: string;
          data: Record<string, string>;
        },
    )
    .filter((body) => body.data.employeeId === employeeId);
}

async function redeemWith(url: string, laptop: { fingerprint: string }) {
  return redeem(
    apiRequest(
      '/api/enroll/redeem',
      { fingerprint: laptop.fingerprint, ip: `198.51.100.${sequence}` },
      { body: { token: new URL(url).hash.slice(1) } },
    ),
  );
}

describe('MDM assignment → link pushed to the laptop → enrollment', () => {
  test('a signed assignment registers the laptop, pushes a link to the MDM, and the hire enrolls with it', async () => {
    const hire = await person();
    const response = await assign({
      email: hire.email.toUpperCase(),
      serial: 'SN-A1',
      certificatePem: hire.laptop.pem,
    });
    assert.deepEqual(response.body, {
      duplicate: false,
      employeeId: hire.employeeId,
      outcome: 'registered',
      linkIssued: true,
    });
    const hireRow = await user(hire.employeeId);
    assert.equal(hireRow.enrollmentState, 'invited');
    const device = await db().device.findFirstOrThrow({ where: { userId: hireRow.id } });
    assert.deepEqual(
      [device.serial, device.certFingerprint, device.registeredBy],
      ['SN-A1', hire.laptop.fingerprint, 'mdm'],
    );
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { userId: hireRow.id, action: 'mdm_device_assigned' },
    });
    assert.equal(audit.actorType, 'mdm');
    assert.equal(JSON.parse(audit.details).outcome, 'registered');

    await drain();
    const [push, ...more] = pushes(hire.employeeId);
    assert.equal(more.length, 0);
    assert.equal(push!.type, 'enrollment.link');
    assert.equal(push!.data.deviceSerial, 'SN-A1');
    assert.match(push!.data.url!, /^https:\/\/localhost:3443\/enroll#[A-Za-z0-9_-]{43}$/);

    const redeemed = await redeemWith(push!.data.url!, hire.laptop);
    assert.equal(redeemed.status, 200);
    const session = {
      fingerprint: hire.laptop.fingerprint,
      ip: `198.51.100.${sequence}`,
      cookie: cookieFrom(redeemed),
    };
    const creation = (await (
      await registrationOptions(apiRequest('/x', session, { body: {} }))
    ).json()) as PublicKeyCredentialCreationOptionsJSON;
    const verified = await registrationVerify(
      apiRequest('/x', session, {
        body: {
          response: new SoftAuthenticator({ userVerification: true }).register(creation, ORIGIN),
        },
      }),
    );
    assert.equal(verified.status, 200);
    assert.equal((await user(hire.employeeId)).enrollmentState, 'enrolled');
  });

  test('a start date weeks away: the laptop is registered, no link yet (the sweep issues it when the window opens)', async () => {
    const hire = await person(inTwoMonths);
    const response = await assign({
      employeeId: hire.employeeId,
      serial: 'SN-LATER',
      certificatePem: hire.laptop.pem,
    });
    assert.deepEqual([response.body.outcome, response.body.linkIssued], ['registered', false]);
    assert.equal((await user(hire.employeeId)).enrollmentState, 'ready');
    assert.equal(
      await db().bridgeToken.count({ where: { user: { employeeId: hire.employeeId } } }),
      0,
    );
  });
});

describe('replacing the laptop', () => {
  test('a new assignment retires the old laptop: its link and enrollment session end, a new link goes to the new one', async () => {
    const hire = await person();
    await assign({
      employeeId: hire.employeeId,
      serial: 'SN-OLD',
      certificatePem: hire.laptop.pem,
    });
    await drain();
    const oldUrl = pushes(hire.employeeId).at(-1)!.data.url!;
    const redeemed = await redeemWith(oldUrl, hire.laptop);
    assert.equal(redeemed.status, 200);
    const oldSession = {
      fingerprint: hire.laptop.fingerprint,
      ip: `198.51.100.${sequence}`,
      cookie: cookieFrom(redeemed),
    };

    const newLaptop = await deviceCertificate(`${hire.employeeId}-new`);
    const response = await assign({
      employeeId: hire.employeeId,
      serial: 'SN-NEW',
      certificatePem: newLaptop.pem,
    });
    assert.deepEqual([response.body.outcome, response.body.linkIssued], ['replaced', true]);

    const userId = (await user(hire.employeeId)).id;
    const [oldLink, newLink] = await db().bridgeToken.findMany({
      where: { userId },
      orderBy: { issuedAt: 'asc' },
      include: { device: true },
    });
    assert.equal(oldLink!.revokedReason, null, 'the redeemed link was consumed, not revoked');
    assert.ok(oldLink!.consumedAt);
    assert.equal(newLink!.device.serial, 'SN-NEW');
    assert.ok(
      await db().device.findFirstOrThrow({
        where: { serial: 'SN-OLD', userId, NOT: { retiredAt: null } },
      }),
    );
    assert.equal(
      await db().enrollmentSession.count({ where: { userId, endedAt: null } }),
      0,
      'the enrollment session on the old laptop ended',
    );
    const options = await registrationOptions(apiRequest('/x', oldSession, { body: {} }));
    assert.ok(options.status >= 400, `old session refused, got ${options.status}`);

    await drain();
    const newUrl = pushes(hire.employeeId).at(-1)!.data.url!;
    assert.notEqual(newUrl, oldUrl);
    assert.equal(pushes(hire.employeeId).at(-1)!.data.deviceSerial, 'SN-NEW');
    // The new link works on the new laptop only.
    assert.equal((await redeemWith(newUrl, hire.laptop)).status, 403);
    assert.equal((await redeemWith(newUrl, newLaptop)).status, 200);
  });

  test('an open, unused link dies with the laptop it was bound to', async () => {
    const hire = await person();
    await assign({ employeeId: hire.employeeId, serial: 'SN-1', certificatePem: hire.laptop.pem });
    await drain();
    const firstUrl = pushes(hire.employeeId).at(-1)!.data.url!;
    const newLaptop = await deviceCertificate(`${hire.employeeId}-2`);
    await assign({ employeeId: hire.employeeId, serial: 'SN-2', certificatePem: newLaptop.pem });
    const first = await db().bridgeToken.findFirstOrThrow({
      where: { user: { employeeId: hire.employeeId }, device: { serial: 'SN-1' } },
    });
    assert.equal(first.revokedReason, 'device_replaced');
    assert.equal((await redeemWith(firstUrl, hire.laptop)).status, 410);
  });
});

describe('replays, forgeries and ordering', () => {
  test('forged, HR-signed, stale, future and tampered deliveries: 401 and nothing stored', async () => {
    const hire = await person();
    const body = { employeeId: hire.employeeId, serial: 'SN-X', certificatePem: hire.laptop.pem };
    const before = await rows();
    const cases: [Parameters<typeof mdmRequest>[1], RegExp][] = [
      [{ signWith: secret('someone-else') }, /No matching signature/],
      // HR's secret is not the MDM's: each sender signs with its own.
      [{ signWith: HR_IN }, /No matching signature/],
      [{ at: new Date(Date.now() - 6 * 60_000) }, /too old/],
      [{ at: new Date(Date.now() + 6 * 60_000) }, /too new/],
    ];
    for (const [options, message] of cases) {
      const response = await assign(body, options);
      assert.equal(response.status, 401, JSON.stringify(response.body));
      assert.match(response.body.error!.message, message);
    }
    const signed = mdmRequest(body);
    const tampered = new Request(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: JSON.stringify({ ...body, serial: 'SN-MALLORY' }),
    });
    assert.equal((await mdmDevices(tampered)).status, 401);
    assert.deepEqual(await rows(), before);
    assert.equal((await user(hire.employeeId)).enrollmentState, 'awaiting_device');
  });

  test('a replayed webhook-id changes nothing, even with another laptop in the body', async () => {
    const hire = await person();
    const id = `msg_${crypto.randomUUID()}`;
    const first = await assign(
      { employeeId: hire.employeeId, serial: 'SN-R', certificatePem: hire.laptop.pem },
      { id },
    );
    assert.equal(first.body.outcome, 'registered');
    const before = await rows();
    const replay = await assign(
      { employeeId: hire.employeeId, serial: 'SN-R', certificatePem: hire.laptop.pem },
      { id },
    );
    assert.deepEqual(replay.body, { duplicate: true });
    const other = await deviceCertificate(`${hire.employeeId}-other`);
    const sameIdOtherLaptop = await assign(
      { employeeId: hire.employeeId, serial: 'SN-OTHER', certificatePem: other.pem },
      { id },
    );
    assert.deepEqual(sameIdOtherLaptop.body, { duplicate: true });
    assert.deepEqual(await rows(), before);
  });

  test('the same assignment under a new id changes nothing: one laptop, one open link', async () => {
    const hire = await person();
    const body = { employeeId: hire.employeeId, serial: 'SN-S', certificatePem: hire.laptop.pem };
    await assign(body);
    const again = await assign(body);
    assert.deepEqual([again.body.outcome, again.body.linkIssued], ['unchanged', false]);
    const userId = (await user(hire.employeeId)).id;
    assert.equal(await db().device.count({ where: { userId } }), 1);
    assert.equal(await db().bridgeToken.count({ where: { userId } }), 1);
  });

  test('an older assignment arriving after a newer one is ignored: the newer laptop stays', async () => {
    const hire = await person();
    const newer = await deviceCertificate(`${hire.employeeId}-newer`);
    const now = Date.now();
    const applied = await assign(
      { employeeId: hire.employeeId, serial: 'SN-NEWER', certificatePem: newer.pem },
      { at: new Date(now) },
    );
    assert.equal(applied.body.outcome, 'registered');
    const late = await assign(
      { employeeId: hire.employeeId, serial: 'SN-OLDER', certificatePem: hire.laptop.pem },
      { at: new Date(now - 60_000) },
    );
    assert.deepEqual([late.body.outcome, late.body.linkIssued], ['ignored_stale', false]);
    const devices = await db().device.findMany({
      where: { user: { employeeId: hire.employeeId } },
    });
    assert.deepEqual(
      devices.map((device) => [device.serial, device.retiredAt]),
      [['SN-NEWER', null]],
    );
  });

  test('the next secret is accepted during rotation', async () => {
    const hire = await person();
    const response = await assign(
      { employeeId: hire.employeeId, serial: 'SN-ROT', certificatePem: hire.laptop.pem },
      { signWith: MDM_IN[1] },
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });
});

describe('refusals: a clear 4xx and nothing stored', () => {
  test('unknown person, two names for two people, bad certificates, malformed bodies, a taken certificate, a leaver', async () => {
    const hire = await person();
    const other = await person();
    await assign({
      employeeId: other.employeeId,
      serial: 'SN-O',
      certificatePem: other.laptop.pem,
    });
    const leaver = await person();
    // Looked up before the transaction: a query outside it waits until it ends (lib/db/sqlite-statements.ts).
    const leaverId = (await user(leaver.employeeId)).id;
    await writeTransaction(db(), async (tx) => {
      const left = await offboard(tx, {
        userId: leaverId,
        at: new Date(),
        actor: { type: 'hr' },
        reason: 'hr_leaver',
      });
      assert.ok(left.ok);
    });
    const pem = hire.laptop.pem;
    const cases: [unknown, number, string, RegExp][] = [
      [
        { employeeId: 'NOBODY', serial: 'S', certificatePem: pem },
        404,
        'unknown_employee',
        /No person with employee id "NOBODY"; nothing was stored/,
      ],
      [
        { email: 'nobody@example.com', serial: 'S', certificatePem: pem },
        404,
        'unknown_employee',
        /No person with email "nobody@example.com"/,
      ],
      [
        { employeeId: hire.employeeId, email: other.email, serial: 'S', certificatePem: pem },
        422,
        'person_mismatch',
        /name different people/,
      ],
      [
        { employeeId: hire.employeeId, serial: 'S', certificatePem: 'not a certificate' },
        400,
        'bad_certificate',
        /certificatePem: Expected a PEM certificate/,
      ],
      [
        {
          employeeId: hire.employeeId,
          serial: 'S',
          certificatePem: `${pem}\n${hire.laptop.keyPem}`,
        },
        400,
        'bad_certificate',
        /private key/,
      ],
      [
        { serial: 'S', certificatePem: pem },
        400,
        'invalid_request',
        /Name the person: "employeeId" or "email"/,
      ],
      [
        { employeeId: hire.employeeId, serial: 'S', certificatePem: pem, owner: 'x' },
        400,
        'invalid_request',
        /owner/,
      ],
      [
        { employeeId: hire.employeeId, serial: 'S', certificatePem: other.laptop.pem },
        409,
        'certificate_in_use',
        /already registered/,
      ],
      [
        { employeeId: leaver.employeeId, serial: 'S', certificatePem: leaver.laptop.pem },
        409,
        'offboarded',
        /has left/,
      ],
    ];
    const before = await rows();
    for (const [body, status, code, message] of cases) {
      const response = await assign(body);
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.equal(response.body.error!.code, code);
      assert.match(response.body.error!.message, message);
    }
    const invalidJson = await assign(null, { raw: '{"serial": ' });
    assert.deepEqual([invalidJson.status, invalidJson.body.error!.code], [400, 'invalid_json']);
    assert.deepEqual(await rows(), before);
  });
});
