import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST as redeem } from '@/app/api/enroll/redeem/route';
import { POST as requestRoute } from '@/app/api/it/hires/[employeeId]/recovery/route';
import { POST as decideRoute } from '@/app/api/recovery/[requestId]/route';
import { POST as handoverRoute } from '@/app/api/recovery/[requestId]/handover/route';
import { hashSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { revokeOpenLink } from '@/lib/enrollment/issue-link';
import { waitingHandover } from '@/lib/recovery/handover';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import { FRESH_ASSERTION } from '@/lib/staff/policy';
import { apiRequest } from '@/lib/testing/api';
import { deviceCertificate } from '@/lib/testing/certificates';
import { staffSessionCookie } from '@/lib/testing/staff-session';

let sequence = 0;
async function person(
  options: { role?: 'it' | 'manager'; manager?: string; device?: boolean } = {},
) {
  sequence += 1;
  const employeeId = `RC${sequence}`;
  const result = await addHire(
    db(),
    {
      employeeId,
      name: `Person ${sequence}`,
      email: `rc${sequence}@example.com`,
      startDate: '2026-11-01',
      role: options.role,
      managerEmployeeId: options.manager,
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(result.ok);
  const laptop = await deviceCertificate(employeeId);
  if (options.device)
    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId, serial: `SN-${employeeId}`, certificatePem: laptop.pem },
          { actor: { type: 'cli' }, at: new Date() },
        )
      ).ok,
    );
  return { id: result.hire.id, employeeId, laptop };
}

async function cookie(userId: string, assertedAgoMs = 0) {
  return staffSessionCookie(userId, { signedInAt: Date.now() - assertedAgoMs });
}

function post(cookieHeader: string, body: unknown) {
  return new Request('https://localhost:3443/x', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://localhost:3443',
      cookie: cookieHeader,
    },
    body: JSON.stringify(body),
  });
}

async function ask(requester: { id: string }, hire: { employeeId: string }, revokePasskeys = true) {
  const response = await requestRoute(
    post(await cookie(requester.id), { reason: 'Laptop stolen at the airport', revokePasskeys }),
    {
      params: Promise.resolve({ employeeId: hire.employeeId }),
    },
  );
  const body = (await response.json()) as { requestId?: string; error?: { code: string } };
  return { status: response.status, ...body };
}

async function decide(
  approver: { id: string },
  requestId: string,
  decision: 'approve' | 'decline',
  assertedAgoMs = 0,
) {
  const response = await decideRoute(post(await cookie(approver.id, assertedAgoMs), { decision }), {
    params: Promise.resolve({ requestId }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      url?: string;
      decision?: string;
      handover?: { to: string; requester?: string; deviceSerial: string };
      error?: { code: string };
    },
  };
}

/** The approved link, as the IT member `who` takes it to hand it over. */
async function takeHandover(who: { id: string }, requestId: string) {
  const response = await handoverRoute(post(await cookie(who.id), {}), {
    params: Promise.resolve({ requestId }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { url?: string; qrSvg?: string; error?: { code: string } },
  };
}

describe('two-person recovery', async () => {
  const itA = await person({ role: 'it' });
  const itB = await person({ role: 'it' });
  const manager = await person({ role: 'manager' });
  const otherManager = await person({ role: 'manager' });

  test('one IT member alone cannot mint a recovery link: the requester cannot approve their own request', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    const asked = await ask(itA, hire);
    assert.equal(asked.status, 200);
    const self = await decide(itA, asked.requestId!, 'approve');
    assert.deepEqual([self.status, self.body.error?.code], [403, 'same_person']);
    assert.equal(await db().bridgeToken.count({ where: { userId: hire.id } }), 0);
  });

  test('nobody can request a recovery for themselves', async () => {
    await registerDevice(
      db(),
      { employeeId: itA.employeeId, serial: 'A', certificatePem: itA.laptop.pem },
      { actor: { type: 'cli' }, at: new Date() },
    );
    const asked = await ask(itA, itA);
    assert.deepEqual([asked.status, asked.error?.code], [409, 'own_recovery']);
  });

  test('approval without a fresh passkey assertion is refused', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    const asked = await ask(itA, hire);
    const stale = await decide(itB, asked.requestId!, 'approve', FRESH_ASSERTION + 1_000);
    assert.deepEqual([stale.status, stale.body.error?.code], [403, 'stale_assertion']);
    assert.equal(
      (await db().recoveryRequest.findUniqueOrThrow({ where: { id: asked.requestId! } })).status,
      'pending',
    );
  });

  test('an approved recovery revokes the lost passkeys and yields a link that works only on the hire\u2019s laptop', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    await db().passkey.create({
      data: {
        userId: hire.id,
        credentialId: `lost-${hire.id}`,
        publicKey: Buffer.from([1]),
        aaguid: '00000000-0000-0000-0000-000000000000',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    await db().user.update({ where: { id: hire.id }, data: { enrollmentState: 'enrolled' } });
    const asked = await ask(itA, hire);
    const approved = await decide(itB, asked.requestId!, 'approve');
    assert.equal(approved.status, 200);
    const handedOver = await takeHandover(itA, asked.requestId!);
    assert.match(handedOver.body.url ?? '', /\/enroll#[A-Za-z0-9_-]{43}$/);
    assert.ok(
      (await db().passkey.findUniqueOrThrow({ where: { credentialId: `lost-${hire.id}` } }))
        .revokedAt,
    );
    // No longer `enrolled` with zero passkeys: the person holds an open link and is invited again.
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id: hire.id } })).enrollmentState,
      'invited',
    );

    const token = new URL(handedOver.body.url!).hash.slice(1);
    const stranger = await deviceCertificate('thief');
    assert.equal(
      (
        await redeem(
          apiRequest(
            '/api/enroll/redeem',
            { fingerprint: stranger.fingerprint, ip: '203.0.113.50' },
            { body: { token } },
          ),
        )
      ).status,
      403,
    );
    assert.equal(
      (
        await redeem(
          apiRequest(
            '/api/enroll/redeem',
            { fingerprint: hire.laptop.fingerprint, ip: '203.0.113.51' },
            { body: { token } },
          ),
        )
      ).status,
      200,
    );
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id: hire.id } })).enrollmentState,
      'enrolling',
    );
    const actions = (
      await db().auditEvent.findMany({ where: { userId: hire.id }, orderBy: { seq: 'asc' } })
    ).map((event) => event.action);
    for (const action of [
      'recovery_requested',
      'recovery_approved',
      'passkeys_revoked',
      'link_issued',
    ])
      assert.ok(actions.includes(action), action);
  });

  test('the approver never receives the link: it waits, sealed, for the IT member who asked, shown to them once', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    const asked = await ask(itA, hire);
    const approved = await decide(manager, asked.requestId!, 'approve');
    assert.equal(approved.status, 200);
    assert.equal(approved.body.url, undefined);
    const { to, requester, deviceSerial } = approved.body.handover!;
    assert.deepEqual(
      { to, requester, deviceSerial },
      { to: 'requester', requester: 'Person 1', deviceSerial: `SN-${hire.employeeId}` },
    );
    assert.doesNotMatch(JSON.stringify(approved.body), /enroll#/);

    // Stored sealed: the token is nowhere in the database in clear.
    const stored = await db().recoveryHandover.findUniqueOrThrow({
      where: { recoveryRequestId: asked.requestId! },
    });
    assert.doesNotMatch(stored.sealedUrl, /enroll/);
    const link = await db().bridgeToken.findFirstOrThrow({ where: { userId: hire.id } });
    assert.equal(stored.expiresAt.getTime(), link.expiresAt.getTime());

    // Neither the approver nor another IT member can take it.
    for (const other of [manager, itB]) {
      const refused = await takeHandover(other, asked.requestId!);
      assert.notEqual(refused.status, 200);
      assert.equal(refused.body.url, undefined);
    }
    const first = await takeHandover(itA, asked.requestId!);
    assert.equal(first.status, 200);
    assert.match(first.body.url ?? '', /\/enroll#[A-Za-z0-9_-]{43}$/);
    assert.match(first.body.qrSvg ?? '', /<svg/);
    assert.equal(hashSecret(new URL(first.body.url!).hash.slice(1)), link.tokenHash);
    const again = await takeHandover(itA, asked.requestId!);
    assert.deepEqual([again.status, again.body.error?.code], [404, 'unknown_request']);
    assert.equal(
      await db().auditEvent.count({
        where: { userId: hire.id, action: 'recovery_link_handed_over' },
      }),
      1,
    );
  });

  test('a recovery link revoked before it was handed over is no longer offered or shown', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    const asked = await ask(itA, hire);
    assert.equal((await decide(itB, asked.requestId!, 'approve')).status, 200);
    assert.ok(await waitingHandover(db(), { userId: hire.id, requester: itA }, new Date()));
    await revokeOpenLink(
      db(),
      { userId: hire.id, reason: 'approved by mistake' },
      { actor: { type: 'user', id: itA.id }, at: new Date() },
    );
    assert.equal(
      await waitingHandover(db(), { userId: hire.id, requester: itA }, new Date()),
      null,
    );
    const taken = await takeHandover(itA, asked.requestId!);
    assert.deepEqual([taken.status, taken.body.url], [404, undefined]);
    assert.equal(
      await db().recoveryHandover.count({ where: { recoveryRequestId: asked.requestId! } }),
      0,
    );
  });

  test("the hire's own manager may approve; another manager may not; a declined request issues nothing", async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    const first = await ask(itA, hire);
    const stranger = await decide(otherManager, first.requestId!, 'approve');
    assert.equal(stranger.status, 403);
    const declined = await decide(manager, first.requestId!, 'decline');
    assert.deepEqual([declined.status, declined.body.decision], [200, 'declined']);
    assert.equal(await db().bridgeToken.count({ where: { userId: hire.id } }), 0);

    const second = await ask(itA, hire, false);
    const approved = await decide(manager, second.requestId!, 'approve');
    assert.deepEqual([approved.status, approved.body.decision], [200, 'approved']);
  });

  test('two approvals at once: exactly one issues a link', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    const asked = await ask(itA, hire);
    const results = await Promise.all([
      decide(itB, asked.requestId!, 'approve'),
      decide(manager, asked.requestId!, 'approve'),
    ]);
    assert.deepEqual(results.map((result) => result.status).sort(), [200, 409]);
    assert.equal(await db().bridgeToken.count({ where: { userId: hire.id } }), 1);
  });

  test('managers and hires cannot request recoveries', async () => {
    const hire = await person({ manager: manager.employeeId, device: true });
    assert.equal((await ask(manager, hire)).status, 403);
    assert.equal((await ask(hire, hire)).status, 403);
  });

  test('one IT member cannot get around recovery by revoking passkeys and swapping the laptop', async () => {
    const { POST: revokePasskeyRoute } =
      await import('@/app/api/it/passkeys/[passkeyId]/revoke/route');
    const { POST: deviceRoute } = await import('@/app/api/it/hires/[employeeId]/device/route');
    const { POST: issueRoute } = await import('@/app/api/it/hires/[employeeId]/links/route');
    const victim = await person({ manager: manager.employeeId, device: true });
    const passkey = await db().passkey.create({
      data: {
        userId: victim.id,
        credentialId: `victim-${victim.id}`,
        publicKey: Buffer.from([1]),
        aaguid: '0',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    await db().user.update({ where: { id: victim.id }, data: { enrollmentState: 'enrolled' } });
    const ids = { params: Promise.resolve({ employeeId: victim.employeeId }) };
    assert.equal(
      (
        await revokePasskeyRoute(post(await cookie(itA.id), { reason: 'pretext' }), {
          params: Promise.resolve({ passkeyId: passkey.id }),
        })
      ).status,
      200,
    );
    const attackerLaptop = await deviceCertificate('attacker');
    assert.equal(
      (
        await deviceRoute(
          post(await cookie(itA.id), { serial: 'EVIL', certificatePem: attackerLaptop.pem }),
          ids,
        )
      ).status,
      200,
    );
    const issued = await issueRoute(post(await cookie(itA.id), { reason: 'pretext' }), ids);
    assert.equal(issued.status, 409);
    assert.match(
      ((await issued.json()) as { error: { message: string } }).error.message,
      /two-person recovery/,
    );
  });

  test('a recovery is bound to the laptop it was requested for: a swap before approval voids it', async () => {
    const { registerDevice: register } = await import('@/lib/hires/register-device');
    const hire = await person({ manager: manager.employeeId, device: true });
    const asked = await ask(itA, hire);
    const swapped = await deviceCertificate('swapped');
    assert.ok(
      (
        await register(
          db(),
          { employeeId: hire.employeeId, serial: 'SWAP', certificatePem: swapped.pem },
          { actor: { type: 'cli' }, at: new Date() },
        )
      ).ok,
    );
    const approval = await decide(itB, asked.requestId!, 'approve');
    assert.deepEqual([approval.status, approval.body.error?.code], [409, 'device_changed']);
    assert.equal(await db().bridgeToken.count({ where: { userId: hire.id } }), 0);
  });
});
