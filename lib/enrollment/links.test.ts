import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { issueLink, revokeOpenLink } from '@/lib/enrollment/issue-link';
import { peekLink } from '@/lib/enrollment/peek';
import { ENROLLMENT_SESSION_TTL, LINK_TTL, LINK_VALID_BEFORE_START } from '@/lib/enrollment/policy';
import { redeemLink } from '@/lib/enrollment/redeem';
import { currentEnrollmentSession, enrollmentCookie } from '@/lib/enrollment/session';
import { hashSecret } from '@/lib/crypto';
import { addHire } from '@/lib/hires/add-hire';
import { hireStatuses } from '@/lib/hires/status';
import { deviceCertificate } from '@/lib/testing/certificates';
import { formatInZone } from '@/lib/time/zone';

const ORIGIN = 'https://localhost:3443';
const actor = { type: 'cli' } as const;
const at = new Date('2026-11-25T09:00:00Z');
const request = { ip: '192.0.2.1', userAgent: 'test' };
let sequence = 0;

async function hire(options: { startDate?: string; device?: boolean } = {}) {
  sequence += 1;
  const employeeId = `L${sequence}`;
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Link ${sequence}`,
      email: `l${sequence}@example.com`,
      startDate: options.startDate ?? '2026-11-25',
    },
    { actor, at },
  );
  assert.ok(added.ok);
  const device = await deviceCertificate(employeeId);
  if (options.device !== false) {
    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId, serial: `SN-${employeeId}`, certificatePem: device.pem },
          { actor, at },
        )
      ).ok,
    );
  }
  return {
    employeeId,
    userId: added.hire.id,
    peer: { fingerprint: device.fingerprint, ip: `192.0.2.${sequence}` },
  };
}

const tokenOf = (url: string) => new URL(url).hash.slice(1);
const stateOf = async (employeeId: string) => (await hireStatuses(db(), { employeeId }))[0]?.state;

describe('issuing links', () => {
  test('the link carries the token in its fragment, stored only as a hash; default lifetime 72 h', async () => {
    const h = await hire();
    const link = await issueLink(db(), { employeeId: h.employeeId }, { actor, at, origin: ORIGIN });
    assert.ok(link.ok);
    assert.match(link.url, /^https:\/\/localhost:3443\/enroll#[A-Za-z0-9_-]{43}$/);
    assert.equal(link.expiresAt.getTime() - link.notBefore.getTime(), LINK_TTL.default);
    const stored = await db().bridgeToken.findFirstOrThrow({ where: { userId: h.userId } });
    assert.equal(stored.tokenHash, hashSecret(tokenOf(link.url)));
    assert.ok(!JSON.stringify(stored).includes(tokenOf(link.url)));
    assert.equal(await stateOf(h.employeeId), 'invited');
  });

  test("a joiner's link is valid from 3 days before the start date, and lives its full lifetime from then", async () => {
    const h = await hire({ startDate: '2026-12-20' });
    const link = await issueLink(
      db(),
      { employeeId: h.employeeId, ttlMs: LINK_TTL.default },
      { actor, at, origin: ORIGIN },
    );
    assert.ok(link.ok);
    assert.equal(
      link.notBefore.toISOString(),
      new Date(Date.parse('2026-12-20T00:00:00Z') - LINK_VALID_BEFORE_START).toISOString(),
    );
    assert.equal(link.expiresAt.getTime(), link.notBefore.getTime() + LINK_TTL.default);
  });

  test('refused: lifetime outside 15 min – 14 days, unknown hire, no device, already enrolled', async () => {
    const h = await hire();
    for (const ttlMs of [LINK_TTL.min - 1, LINK_TTL.max + 1]) {
      const result = await issueLink(
        db(),
        { employeeId: h.employeeId, ttlMs },
        { actor, at, origin: ORIGIN },
      );
      assert.deepEqual(result.ok ? null : result.reason, 'ttl_out_of_range');
    }
    const unknown = await issueLink(db(), { employeeId: 'NOBODY' }, { actor, at, origin: ORIGIN });
    assert.deepEqual(unknown.ok ? null : unknown.reason, 'unknown_employee');
    const noDevice = await hire({ device: false });
    const refused = await issueLink(
      db(),
      { employeeId: noDevice.employeeId },
      { actor, at, origin: ORIGIN },
    );
    assert.deepEqual(refused.ok ? null : refused.reason, 'no_device');
    // Anyone who has ever had a passkey — even one revoked since — needs a two-person recovery.
    await db().passkey.create({
      data: {
        userId: h.userId,
        credentialId: `links-${h.userId}`,
        publicKey: Buffer.from([1]),
        aaguid: '0',
        deviceType: 'singleDevice',
        backedUp: false,
        revokedAt: at,
      },
    });
    const enrolled = await issueLink(
      db(),
      { employeeId: h.employeeId },
      { actor, at, origin: ORIGIN },
    );
    assert.deepEqual(enrolled.ok ? null : enrolled.reason, 'already_enrolled');
    assert.equal(
      await db().bridgeToken.count({ where: { userId: { in: [h.userId, noDevice.userId] } } }),
      0,
    );
    assert.equal(
      (
        await issueLink(
          db(),
          { employeeId: h.employeeId, purpose: 'recovery' },
          { actor, at, origin: ORIGIN },
        )
      ).ok,
      true,
    );
  });

  test('a new link revokes the previous one; revoking makes the hire `revoked`', async () => {
    const h = await hire();
    const first = await issueLink(
      db(),
      { employeeId: h.employeeId },
      { actor, at, origin: ORIGIN },
    );
    const second = await issueLink(
      db(),
      { employeeId: h.employeeId },
      { actor, at, origin: ORIGIN },
    );
    assert.ok(first.ok && second.ok);
    const revoked = await peekLink(db(), { token: tokenOf(first.url), peer: h.peer, request, at });
    assert.ok(!revoked.ok);
    const { reference, ...rest } = revoked;
    assert.deepEqual(rest, { ok: false, reason: 'revoked', validFrom: undefined });
    assert.match(reference ?? '', /^FK-[0-9A-F]{8}$/);
    assert.equal(
      (await peekLink(db(), { token: tokenOf(second.url), peer: h.peer, request, at })).ok,
      true,
    );
    assert.deepEqual(
      await revokeOpenLink(db(), { userId: h.userId, reason: 'test' }, { actor, at }),
      { revoked: 1 },
    );
    assert.equal(await stateOf(h.employeeId), 'revoked');
    assert.equal(
      (await peekLink(db(), { token: tokenOf(second.url), peer: h.peer, request, at })).ok,
      false,
    );
  });
});

describe('the start day in the organisation\u2019s time zone', () => {
  // HR sends the joiner a week ahead; the hire starts on 1 December wherever the organisation is.
  const issuedAt = new Date('2026-11-24T09:00:00Z');
  const cases = [
    // 07:00 and 22:30 on 1 December, Berlin (CET, UTC+1) and Los Angeles (PST, UTC−8).
    { timeZone: 'Europe/Berlin', morning: '2026-12-01T06:00:00Z', evening: '2026-12-01T21:30:00Z' },
    {
      timeZone: 'America/Los_Angeles',
      morning: '2026-12-01T15:00:00Z',
      evening: '2026-12-02T06:30:00Z',
    },
  ];
  for (const { timeZone, morning, evening } of cases) {
    for (const [moment, when] of [
      ['morning', morning],
      ['evening', evening],
    ] as const) {
      test(`a hire in ${timeZone} can redeem their early link on the ${moment} of their start day`, async () => {
        const h = await hire({ startDate: '2026-12-01' });
        const link = await issueLink(
          db(),
          { employeeId: h.employeeId },
          { actor, at: issuedAt, origin: ORIGIN, timeZone },
        );
        assert.ok(link.ok);
        const result = await redeemLink(db(), {
          token: tokenOf(link.url),
          peer: h.peer,
          request,
          at: new Date(when),
        });
        assert.equal(result.ok ? 'ok' : result.reason, 'ok');
      });
    }
  }

  test('the default window ends at the last moment of the start day there, named in its zone', async () => {
    const h = await hire({ startDate: '2026-12-01' });
    const link = await issueLink(
      db(),
      { employeeId: h.employeeId },
      { actor, at: issuedAt, origin: ORIGIN, timeZone: 'Europe/Berlin' },
    );
    assert.ok(link.ok);
    assert.equal(link.notBefore.toISOString(), '2026-11-27T23:00:00.000Z');
    assert.equal(link.expiresAt.toISOString(), '2026-12-01T22:59:59.999Z');
    assert.equal(formatInZone(link.expiresAt, 'Europe/Berlin'), '1 Dec 2026, 23:59 CET');
  });

  test('a lifetime IT chose is kept as chosen', async () => {
    const h = await hire({ startDate: '2026-12-01' });
    const link = await issueLink(
      db(),
      { employeeId: h.employeeId, ttlMs: LINK_TTL.min },
      { actor, at: issuedAt, origin: ORIGIN, timeZone: 'Europe/Berlin' },
    );
    assert.ok(link.ok);
    assert.equal(link.expiresAt.getTime() - link.notBefore.getTime(), LINK_TTL.min);
  });
});

describe('time', () => {
  test('an expired link answers `expired` and the hire becomes `expired`', async () => {
    const h = await hire();
    const link = await issueLink(
      db(),
      { employeeId: h.employeeId, ttlMs: LINK_TTL.min },
      { actor, at, origin: ORIGIN },
    );
    assert.ok(link.ok);
    const later = new Date(link.expiresAt.getTime() + 1);
    const result = await redeemLink(db(), {
      token: tokenOf(link.url),
      peer: h.peer,
      request,
      at: later,
    });
    assert.deepEqual(result.ok ? null : result.reason, 'expired');
    assert.equal(await stateOf(h.employeeId), 'expired');
  });

  test('the enrollment session lapses after 10 minutes', async () => {
    const h = await hire();
    const link = await issueLink(db(), { employeeId: h.employeeId }, { actor, at, origin: ORIGIN });
    assert.ok(link.ok);
    const redeemed = await redeemLink(db(), {
      token: tokenOf(link.url),
      peer: h.peer,
      request,
      at,
    });
    assert.ok(redeemed.ok);
    const headers = new Headers({
      cookie: enrollmentCookie(redeemed.sessionSecret).split(';')[0]!,
    });
    const justInTime = await currentEnrollmentSession(db(), {
      headers,
      peer: h.peer,
      at: new Date(at.getTime() + ENROLLMENT_SESSION_TTL - 1),
    });
    assert.equal(justInTime.ok, true);
    const lapsed = await currentEnrollmentSession(db(), {
      headers,
      peer: h.peer,
      at: new Date(at.getTime() + ENROLLMENT_SESSION_TTL),
    });
    // The page says when the 10 minutes began (the redemption), and gives the link's reference.
    const { reference, ...rest } = lapsed as { reference?: string };
    assert.deepEqual(rest, { ok: false, reason: 'session_expired', openedAt: at });
    assert.match(reference ?? '', /^FK-[0-9A-F]{8}$/);
  });

  test('nothing moves a person out of `offboarded` (a transaction racing a leaver fails instead)', async () => {
    const { applyEnrollmentEvent } = await import('@/lib/enrollment/states');
    const { writeTransaction } = await import('@/lib/db');
    const h = await hire();
    await db().user.update({ where: { id: h.userId }, data: { enrollmentState: 'offboarded' } });
    await assert.rejects(
      writeTransaction(db(), (tx) =>
        applyEnrollmentEvent(tx, {
          userId: h.userId,
          event: 'passkey_registered',
          at,
          actor,
          reason: 'race',
        }),
      ),
      /Refusing to move an offboarded person/,
    );
    assert.equal(await stateOf(h.employeeId), 'offboarded');
  });
});
