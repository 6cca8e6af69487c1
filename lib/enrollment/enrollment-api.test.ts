import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { POST as peek } from '@/app/api/enroll/peek/route';
import { POST as redeem } from '@/app/api/enroll/redeem/route';
import { POST as registrationOptions } from '@/app/api/enroll/passkey/options/route';
import { POST as registrationVerify } from '@/app/api/enroll/passkey/verify/route';
import { POST as authenticationOptions } from '@/app/api/passkeys/authenticate/options/route';
import { POST as authenticationVerify } from '@/app/api/passkeys/authenticate/verify/route';
import { verifyAuditChain } from '@/lib/audit/verify';
import { db, writeTransaction } from '@/lib/db';
import { uniqueViolation } from '@/lib/db/errors';
import { spendSignInChallenge } from '@/lib/passkeys/challenges';
import en from '@/lib/i18n/messages/en.json' with { type: 'json' };
import { registerDevice } from '@/lib/hires/register-device';
import { issueLink } from '@/lib/enrollment/issue-link';
import { CHALLENGE_TTL, MAX_BODY_BYTES, THROTTLE } from '@/lib/enrollment/policy';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { hashSecret } from '@/lib/crypto';
import { addHire } from '@/lib/hires/add-hire';
import { hireStatuses } from '@/lib/hires/status';
import {
  passkeyAuthenticationOptions,
  verifyPasskeyAssertion,
} from '@/lib/passkeys/authentication';
import { apiRequest, cookieFrom, json, type Caller } from '@/lib/testing/api';
import { deviceCertificate } from '@/lib/testing/certificates';
import { SoftAuthenticator, type Embedding } from '@/lib/testing/soft-authenticator';

// The enrollment API through its real route handlers, a real database and real WebAuthn verification.
const ORIGIN = 'https://localhost:3443';
let sequence = 0;

async function hireWithLink(options: { notBefore?: Date; preferredLanguage?: string } = {}) {
  sequence += 1;
  const employeeId = `API${sequence}`;
  const at = new Date();
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Hire ${sequence}`,
      email: `api${sequence}@example.com`,
      startDate: at.toISOString().slice(0, 10),
      ...(options.preferredLanguage ? { preferredLanguage: options.preferredLanguage } : {}),
    },
    { actor: { type: 'cli' }, at },
  );
  assert.ok(added.ok);
  const device = await deviceCertificate(employeeId);
  assert.ok(
    (
      await registerDevice(
        db(),
        { employeeId, serial: `SN-${employeeId}`, certificatePem: device.pem },
        { actor: { type: 'cli' }, at },
      )
    ).ok,
  );
  const link = await issueLink(
    db(),
    { employeeId, notBefore: options.notBefore },
    { actor: { type: 'cli' }, at, origin: ORIGIN },
  );
  assert.ok(link.ok);
  const token = new URL(link.url).hash.slice(1);
  // A distinct client address per hire keeps throttling of one test out of another.
  const caller: Caller = { fingerprint: device.fingerprint, ip: `198.51.100.${sequence}` };
  return { employeeId, userId: added.hire.id, token, caller, device };
}

const pick = (from: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.map((key) => [key, from[key]]));

async function state(employeeId: string) {
  return (await hireStatuses(db(), { employeeId }))[0]?.state;
}

async function openSession(hire: Awaited<ReturnType<typeof hireWithLink>>): Promise<Caller> {
  const response = await redeem(
    apiRequest('/api/enroll/redeem', hire.caller, { body: { token: hire.token } }),
  );
  assert.equal(response.status, 200);
  return { ...hire.caller, cookie: cookieFrom(response) };
}

/** A hire who enrolled a passkey on their laptop, with the authenticator that holds it. */
async function enrolledHire() {
  const hire = await hireWithLink();
  const caller = await openSession(hire);
  const authenticator = new SoftAuthenticator({ userVerification: true });
  const verified = await registrationVerify(
    apiRequest('/api/enroll/passkey/verify', caller, {
      body: { response: authenticator.register(await options(caller), ORIGIN) },
    }),
  );
  assert.equal(verified.status, 200);
  return { ...hire, caller, authenticator };
}

async function signInOptions(caller: Caller) {
  const response = await authenticationOptions(
    apiRequest('/api/passkeys/authenticate/options', caller, { body: {} }),
  );
  assert.equal(response.status, 200);
  return json<PublicKeyCredentialRequestOptionsJSON>(response);
}

// What a page on another site that frames Firstkey would get the browser to sign (WebAuthn L3 §5.8.1).
const FRAMINGS: Embedding[] = [
  { crossOrigin: true, topOrigin: 'https://evil.example' },
  // Safari reports crossOrigin without a topOrigin.
  { crossOrigin: true },
  { topOrigin: 'https://evil.example' },
];

async function options(caller: Caller) {
  const response = await registrationOptions(
    apiRequest('/api/enroll/passkey/options', caller, { body: {} }),
  );
  assert.equal(response.status, 200);
  return json<PublicKeyCredentialCreationOptionsJSON>(response);
}

describe('redeeming a link', () => {
  test('50 concurrent redemptions of one link: exactly one succeeds, the rest are told it was used, no 5xx', async () => {
    const hire = await hireWithLink();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        redeem(apiRequest('/api/enroll/redeem', hire.caller, { body: { token: hire.token } })),
      ),
    );
    const statuses = responses.map((response) => response.status);
    assert.equal(statuses.filter((status) => status === 200).length, 1);
    assert.equal(statuses.filter((status) => status === 409).length, 49);
    assert.equal(await db().enrollmentSession.count({ where: { userId: hire.userId } }), 1);
    assert.equal(await state(hire.employeeId), 'enrolling');
    assert.ok((await verifyAuditChain(db())).ok);
  });

  test('the session cookie is __Host-, HttpOnly, Secure, SameSite=Strict and lasts 10 minutes', async () => {
    const hire = await hireWithLink();
    const response = await redeem(
      apiRequest('/api/enroll/redeem', hire.caller, { body: { token: hire.token } }),
    );
    const cookie = response.headers.get('set-cookie') ?? '';
    assert.match(
      cookie,
      /^__Host-firstkey-enrollment=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=4200; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  test('a wrong or missing device certificate gets 403 and no name; the link still works on the right laptop', async () => {
    const hire = await hireWithLink();
    const stranger = await deviceCertificate('stranger');
    for (const fingerprint of [stranger.fingerprint, null]) {
      const caller = { fingerprint, ip: hire.caller.ip };
      const peeked = await peek(
        apiRequest('/api/enroll/peek', caller, { body: { token: hire.token } }),
      );
      assert.equal(peeked.status, 403);
      assert.doesNotMatch(await peeked.text(), /Hire \d+/);
      assert.equal(
        (await redeem(apiRequest('/api/enroll/redeem', caller, { body: { token: hire.token } })))
          .status,
        403,
      );
    }
    const mismatches = await db().auditEvent.count({
      where: { userId: hire.userId, action: 'device_mismatch' },
    });
    assert.equal(mismatches, 4);
    const peeked = await peek(
      apiRequest('/api/enroll/peek', hire.caller, { body: { token: hire.token } }),
    );
    assert.equal(peeked.status, 200);
    assert.deepEqual(
      (await json<{ hire: unknown; deviceMatches: boolean }>(peeked)).deviceMatches,
      true,
    );
    assert.equal(
      (await redeem(apiRequest('/api/enroll/redeem', hire.caller, { body: { token: hire.token } })))
        .status,
      200,
    );
  });

  test('peeking never consumes, and the first look on the right laptop marks the hire opened', async () => {
    const hire = await hireWithLink();
    assert.equal(await state(hire.employeeId), 'invited');
    for (let i = 0; i < 3; i += 1) {
      const response = await peek(
        apiRequest('/api/enroll/peek', hire.caller, { body: { token: hire.token } }),
      );
      assert.equal(response.status, 200);
    }
    assert.equal(await state(hire.employeeId), 'opened');
    await db().user.update({ where: { id: hire.userId }, data: { preferredLanguage: 'de' } });
    const withLanguage = await peek(
      apiRequest('/api/enroll/peek', hire.caller, { body: { token: hire.token } }),
    );
    assert.deepEqual((await json<{ hire: unknown }>(withLanguage)).hire, {
      name: `Hire ${hire.employeeId.slice(3)}`,
      preferredLanguage: 'de',
    });
    assert.equal(
      await db().auditEvent.count({ where: { userId: hire.userId, action: 'link_opened' } }),
      1,
    );
    assert.equal(
      (await db().bridgeToken.findFirstOrThrow({ where: { userId: hire.userId } })).consumedAt,
      null,
    );
  });

  test('unknown 404, used 409, revoked 410, not yet valid 403 with the date', async () => {
    const unknown = await redeem(
      apiRequest(
        '/api/enroll/redeem',
        { fingerprint: null, ip: '203.0.113.1' },
        { body: { token: 'A'.repeat(43) } },
      ),
    );
    assert.equal(unknown.status, 404);

    const used = await hireWithLink();
    await openSession(used);
    const replay = await redeem(
      apiRequest('/api/enroll/redeem', used.caller, { body: { token: used.token } }),
    );
    assert.equal(replay.status, 409);
    assert.equal((await json<{ error: { code: string } }>(replay)).error.code, 'used');

    const revoked = await hireWithLink();
    const reissued = await issueLink(
      db(),
      { employeeId: revoked.employeeId },
      { actor: { type: 'cli' }, at: new Date(), origin: ORIGIN },
    );
    assert.ok(reissued.ok);
    const old = await redeem(
      apiRequest('/api/enroll/redeem', revoked.caller, { body: { token: revoked.token } }),
    );
    assert.equal(old.status, 410);
    assert.equal((await json<{ error: { code: string } }>(old)).error.code, 'revoked');

    const validFrom = new Date(Date.now() + 86_400_000);
    const early = await hireWithLink({ notBefore: validFrom });
    const response = await redeem(
      apiRequest('/api/enroll/redeem', early.caller, { body: { token: early.token } }),
    );
    assert.equal(response.status, 403);
    const body = await json<{ error: { code: string; validFrom: string } }>(response);
    assert.deepEqual(
      [body.error.code, body.error.validFrom],
      ['not_yet_valid', validFrom.toISOString()],
    );
  });

  test("a failure answers the hire's language to their own laptop only, so its page speaks it", async () => {
    const german = await hireWithLink({ preferredLanguage: 'de-DE' });
    const reissued = await issueLink(
      db(),
      { employeeId: german.employeeId },
      { actor: { type: 'cli' }, at: new Date(), origin: ORIGIN },
    );
    assert.ok(reissued.ok);
    const own = await peek(
      apiRequest('/api/enroll/peek', german.caller, { body: { token: german.token } }),
    );
    assert.equal(own.status, 410);
    assert.deepEqual(
      pick((await json<{ error: Record<string, unknown> }>(own)).error, ['code', 'language']),
      { code: 'revoked', language: 'de-DE' },
    );
    const stranger = await deviceCertificate('STRANGER-LANG');
    const other = await peek(
      apiRequest(
        '/api/enroll/peek',
        { fingerprint: stranger.fingerprint, ip: '203.0.113.77' },
        { body: { token: german.token } },
      ),
    );
    // (A cancelled link says so to anyone holding it; the hire's language it keeps to their laptop.)
    const answer = (await json<{ error: Record<string, unknown> }>(other)).error;
    assert.equal(answer.code, 'revoked');
    assert.equal('language' in answer, false);
    const bare = await peek(
      apiRequest(
        '/api/enroll/peek',
        { fingerprint: null, ip: '203.0.113.78' },
        { body: { token: german.token } },
      ),
    );
    assert.equal('language' in (await json<{ error: Record<string, unknown> }>(bare)).error, false);
  });

  test('after 100 failed attempts from one address: 429 with Retry-After, even for a good link — but never for the link\u2019s own laptop', async () => {
    const hire = await hireWithLink();
    const attacker: Caller = { fingerprint: null, ip: '203.0.113.99' };
    for (let i = 0; i < THROTTLE.perAddress; i += 1) {
      const response = await peek(
        apiRequest('/api/enroll/peek', attacker, {
          body: { token: `${'B'.repeat(40)}${String(i).padStart(3, '0')}` },
        }),
      );
      assert.equal(response.status, 404);
    }
    const throttled = await peek(
      apiRequest('/api/enroll/peek', attacker, { body: { token: hire.token } }),
    );
    assert.equal(throttled.status, 429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= THROTTLE.window / 1000, `Retry-After ${retryAfter}`);
    // Another address (the hire's own) is not affected, nor is the hire's laptop behind the attacker's address.
    assert.equal(
      (await peek(apiRequest('/api/enroll/peek', hire.caller, { body: { token: hire.token } })))
        .status,
      200,
    );
    assert.equal(
      (
        await peek(
          apiRequest(
            '/api/enroll/peek',
            { ...hire.caller, ip: attacker.ip },
            { body: { token: hire.token } },
          ),
        )
      ).status,
      200,
    );
  });

  test('after 10 failed attempts by one device certificate: 429 for that laptop from any address', async () => {
    const hire = await hireWithLink();
    const laptop = await deviceCertificate('prober');
    for (let i = 0; i < THROTTLE.perDevice; i += 1) {
      const response = await peek(
        apiRequest(
          '/api/enroll/peek',
          { fingerprint: laptop.fingerprint, ip: `203.0.113.${120 + i}` },
          { body: { token: hire.token } },
        ),
      );
      assert.equal(response.status, 403);
    }
    const throttled = await peek(
      apiRequest(
        '/api/enroll/peek',
        { fingerprint: laptop.fingerprint, ip: '203.0.113.200' },
        { body: { token: hire.token } },
      ),
    );
    assert.equal(throttled.status, 429);
    assert.equal(
      (await peek(apiRequest('/api/enroll/peek', hire.caller, { body: { token: hire.token } })))
        .status,
      200,
    );
  });

  test('one office address: a stranger\u2019s bad tokens and 12 hires re-opening their used links do not stop the next hire', async () => {
    const office = '198.51.100.250';
    const stranger: Caller = { fingerprint: null, ip: office };
    for (let i = 0; i < THROTTLE.perDevice; i += 1) {
      assert.equal(
        (
          await peek(
            apiRequest('/api/enroll/peek', stranger, {
              body: { token: `${'C'.repeat(40)}${String(i).padStart(3, '0')}` },
            }),
          )
        ).status,
        404,
      );
    }
    for (let i = 0; i < 12; i += 1) {
      const hire = await hireWithLink();
      const atOffice = { ...hire.caller, ip: office };
      assert.equal(
        (await redeem(apiRequest('/api/enroll/redeem', atOffice, { body: { token: hire.token } })))
          .status,
        200,
      );
      for (let reload = 0; reload < 3; reload += 1) {
        assert.equal(
          (await peek(apiRequest('/api/enroll/peek', atOffice, { body: { token: hire.token } })))
            .status,
          409,
        );
      }
    }
    const next = await hireWithLink();
    const nextAtOffice = { ...next.caller, ip: office };
    assert.equal(
      (await peek(apiRequest('/api/enroll/peek', nextAtOffice, { body: { token: next.token } })))
        .status,
      200,
    );
    assert.equal(
      (
        await redeem(
          apiRequest('/api/enroll/redeem', nextAtOffice, { body: { token: next.token } }),
        )
      ).status,
      200,
    );
  });
});

describe('bad input to the enrollment API', () => {
  test('empty, invalid JSON, wrong types, extra fields, oversized, wrong content type → 4xx with a message, nothing written', async () => {
    const hire = await hireWithLink();
    const before = {
      audit: await db().auditEvent.count(),
      sessions: await db().enrollmentSession.count(),
    };
    const cases: { init: Parameters<typeof apiRequest>[2]; status: number; code: string }[] = [
      { init: { rawBody: '' }, status: 400, code: 'empty_body' },
      { init: { rawBody: '{"token": ' }, status: 400, code: 'invalid_json' },
      { init: { body: { token: 42 } }, status: 400, code: 'invalid_request' },
      { init: { body: { token: 'short' } }, status: 400, code: 'invalid_request' },
      { init: { body: { token: hire.token, admin: true } }, status: 400, code: 'invalid_request' },
      { init: { body: [hire.token] }, status: 400, code: 'invalid_request' },
      {
        init: { rawBody: JSON.stringify({ token: hire.token, pad: 'x'.repeat(MAX_BODY_BYTES) }) },
        status: 413,
        code: 'body_too_large',
      },
      {
        init: { body: { token: hire.token }, headers: { 'content-type': 'text/plain' } },
        status: 415,
        code: 'unsupported_media_type',
      },
    ];
    for (const { init, status, code } of cases) {
      for (const handler of [peek, redeem]) {
        const response = await handler(apiRequest('/api/enroll/redeem', hire.caller, init));
        const body = await json<{ error: { code: string; message: string } }>(response);
        assert.equal(response.status, status, `${code}: ${body.error.message}`);
        assert.equal(body.error.code, code);
        assert.ok(body.error.message.length > 10);
      }
    }
    assert.deepEqual(
      { audit: await db().auditEvent.count(), sessions: await db().enrollmentSession.count() },
      before,
    );
    assert.equal(await state(hire.employeeId), 'invited');
  });

  test('a registration response of the wrong shape is refused before any verification', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    for (const body of [
      {},
      { response: {} },
      { response: { id: 'x', rawId: 'x', type: 'password' } },
      { response: null, extra: 1 },
    ]) {
      const response = await registrationVerify(
        apiRequest('/api/enroll/passkey/verify', caller, { body }),
      );
      assert.equal(response.status, 400);
    }
    assert.equal(await state(hire.employeeId), 'enrolling');
  });
});

describe('the passkey ceremony', () => {
  test('registers a user-verified passkey, ends the session, and the passkey signs in', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    const authenticator = new SoftAuthenticator({ userVerification: true });
    const creation = await options(caller);
    assert.equal(creation.authenticatorSelection?.userVerification, 'required');
    assert.equal(creation.authenticatorSelection?.residentKey, 'required');
    assert.equal(creation.rp.id, 'localhost');
    const verified = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, {
        body: { response: authenticator.register(creation, ORIGIN) },
      }),
    );
    assert.equal(verified.status, 200, await verified.clone().text());
    assert.match(verified.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal(await state(hire.employeeId), 'enrolled');

    // The session is over: no second passkey through it.
    const again = await registrationOptions(
      apiRequest('/api/enroll/passkey/options', caller, { body: {} }),
    );
    assert.equal(again.status, 410);

    const request = await json<PublicKeyCredentialRequestOptionsJSON>(
      await authenticationOptions(
        apiRequest('/api/passkeys/authenticate/options', caller, { body: {} }),
      ),
    );
    const assertion = authenticator.authenticate(request, ORIGIN);
    const signedIn = await authenticationVerify(
      apiRequest('/api/passkeys/authenticate/verify', caller, { body: { response: assertion } }),
    );
    assert.equal(signedIn.status, 200);
    assert.equal((await json<{ user: { name: string } }>(signedIn)).user.name, `Hire ${sequence}`);
    // The sign-in is recorded on the passkey: the authenticator's counter (1 after one use), when.
    const used = await db().passkey.findFirstOrThrow({ where: { credentialId: assertion.id } });
    assert.equal(used.counter, 1);
    assert.ok(used.lastUsedAt);
    assert.equal(used.backedUp, false);

    // The same assertion again: its challenge was used up.
    const replayed = await authenticationVerify(
      apiRequest('/api/passkeys/authenticate/verify', caller, { body: { response: assertion } }),
    );
    assert.equal(replayed.status, 400);
    assert.equal(
      (await json<{ error: { code: string } }>(replayed)).error.code,
      'challenge_invalid',
    );
  });

  test('an authenticator without user verification cannot enroll; the session survives for a proper retry', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    const noUv = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, {
        body: {
          response: new SoftAuthenticator({ userVerification: false }).register(
            await options(caller),
            ORIGIN,
          ),
        },
      }),
    );
    assert.equal(noUv.status, 400);
    assert.equal(
      (await json<{ error: { message: string } }>(noUv)).error.message,
      en.refusals.user_verification,
    );
    assert.equal(await db().passkey.count({ where: { userId: hire.userId } }), 0);
    assert.equal(await state(hire.employeeId), 'enrolling');

    const retry = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, {
        body: {
          response: new SoftAuthenticator({ userVerification: true }).register(
            await options(caller),
            ORIGIN,
          ),
        },
      }),
    );
    assert.equal(retry.status, 200);
  });

  test('a challenge cannot be replayed, even after a failed attempt', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    const creation = await options(caller);
    const failed = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, {
        body: {
          response: new SoftAuthenticator({ userVerification: false }).register(creation, ORIGIN),
        },
      }),
    );
    assert.equal(failed.status, 400);
    const replay = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, {
        body: {
          response: new SoftAuthenticator({ userVerification: true }).register(creation, ORIGIN),
        },
      }),
    );
    assert.equal(replay.status, 400);
    assert.equal((await json<{ error: { code: string } }>(replay)).error.code, 'challenge_invalid');
  });

  test("a registration response made for another hire's session is refused", async () => {
    const alice = await hireWithLink();
    const mallory = await hireWithLink();
    const aliceCaller = await openSession(alice);
    const malloryCaller = await openSession(mallory);
    const forAlice = new SoftAuthenticator({ userVerification: true }).register(
      await options(aliceCaller),
      ORIGIN,
    );
    const response = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', malloryCaller, { body: { response: forAlice } }),
    );
    assert.equal(response.status, 400);
    assert.equal(
      (await json<{ error: { code: string } }>(response)).error.code,
      'challenge_invalid',
    );
    // Alice's session cookie on Mallory's laptop is refused too.
    const stolen = await registrationOptions(
      apiRequest(
        '/api/enroll/passkey/options',
        { ...malloryCaller, cookie: aliceCaller.cookie },
        { body: {} },
      ),
    );
    assert.equal(stolen.status, 403);
    assert.equal(
      await db().passkey.count({ where: { userId: { in: [alice.userId, mallory.userId] } } }),
      0,
    );
  });

  test('a response from another origin is refused', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    const phished = new SoftAuthenticator({ userVerification: true }).register(
      await options(caller),
      'https://firstkey-login.example.net',
    );
    const response = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, { body: { response: phished } }),
    );
    assert.equal(response.status, 400);
    // The hire reads a plain sentence; the library's words are for IT, in the audit trail.
    assert.equal(
      (await json<{ error: { message: string } }>(response)).error.message,
      en.refusals.origin,
    );
    assert.ok(
      await db().auditEvent.findFirst({
        where: {
          userId: hire.userId,
          action: 'passkey_registration_failed',
          details: { contains: 'Unexpected registration response origin' },
        },
      }),
    );
  });

  test("a passkey created inside another site's frame is refused (crossOrigin, topOrigin)", async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    for (const embedding of FRAMINGS) {
      const framed = new SoftAuthenticator({ userVerification: true }).register(
        await options(caller),
        ORIGIN,
        { embedding },
      );
      const response = await registrationVerify(
        apiRequest('/api/enroll/passkey/verify', caller, { body: { response: framed } }),
      );
      assert.equal(response.status, 400, JSON.stringify(embedding));
      assert.equal(
        (await json<{ error: { message: string } }>(response)).error.message,
        en.refusals.frame,
      );
    }
    assert.equal(await db().passkey.count({ where: { userId: hire.userId } }), 0);
    assert.equal(await state(hire.employeeId), 'enrolling');
  });

  test('a credential ID already registered (to another hire) is refused with 409 credential_exists; the session survives', async () => {
    const alice = await enrolledHire();
    const taken = await db().passkey.findFirstOrThrow({ where: { userId: alice.userId } });
    const mallory = await hireWithLink();
    const caller = await openSession(mallory);
    const copied = new SoftAuthenticator({ userVerification: true }).register(
      await options(caller),
      ORIGIN,
      { credentialId: Buffer.from(taken.credentialId, 'base64url') },
    );
    assert.equal(copied.id, taken.credentialId);
    const refused = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, { body: { response: copied } }),
    );
    assert.equal(refused.status, 409, await refused.clone().text());
    assert.equal(
      (await json<{ error: { code: string } }>(refused)).error.code,
      'credential_exists',
    );
    assert.equal(await db().passkey.count({ where: { userId: mallory.userId } }), 0);
    assert.equal(
      (await db().passkey.findUniqueOrThrow({ where: { credentialId: taken.credentialId } }))
        .userId,
      alice.userId,
    );
    assert.notEqual(await state(mallory.employeeId), 'enrolled');

    // Nothing was written but the refusal: the session is still open for a passkey of their own.
    const own = new SoftAuthenticator({ userVerification: true }).register(
      await options(caller),
      ORIGIN,
    );
    const accepted = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, { body: { response: own } }),
    );
    assert.equal(accepted.status, 200, await accepted.clone().text());
    assert.equal(await state(mallory.employeeId), 'enrolled');
    assert.ok((await verifyAuditChain(db())).ok);
  });

  test('a credential ID longer than 1,023 bytes is refused; 1,023 bytes is accepted', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    const oversized = new SoftAuthenticator({ userVerification: true }).register(
      await options(caller),
      ORIGIN,
      { credentialIdBytes: 1_500 },
    );
    const response = await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, { body: { response: oversized } }),
    );
    assert.equal(response.status, 400);
    assert.equal(
      (await json<{ error: { message: string } }>(response)).error.message,
      en.refusals.registration,
    );
    assert.equal(await db().passkey.count({ where: { userId: hire.userId } }), 0);

    const atLimit = new SoftAuthenticator({ userVerification: true }).register(
      await options(caller),
      ORIGIN,
      { credentialIdBytes: 1_023 },
    );
    assert.equal(
      (
        await registrationVerify(
          apiRequest('/api/enroll/passkey/verify', caller, { body: { response: atLimit } }),
        )
      ).status,
      200,
    );
  });

  test("a sign-in assertion made inside another site's frame is refused", async () => {
    const hire = await enrolledHire();
    for (const embedding of FRAMINGS) {
      const framed = hire.authenticator.authenticate(
        await signInOptions(hire.caller),
        ORIGIN,
        undefined,
        embedding,
      );
      const response = await authenticationVerify(
        apiRequest('/api/passkeys/authenticate/verify', hire.caller, {
          body: { response: framed },
        }),
      );
      assert.equal(response.status, 400, JSON.stringify(embedding));
      assert.equal(
        (await json<{ error: { code: string } }>(response)).error.code,
        'verification_failed',
      );
    }
    const direct = hire.authenticator.authenticate(await signInOptions(hire.caller), ORIGIN);
    assert.equal(
      (
        await authenticationVerify(
          apiRequest('/api/passkeys/authenticate/verify', hire.caller, {
            body: { response: direct },
          }),
        )
      ).status,
      200,
    );
  });

  test('nothing in the audit trail holds a token, a session secret or a challenge', async () => {
    const hire = await hireWithLink();
    const caller = await openSession(hire);
    const creation = await options(caller);
    await registrationVerify(
      apiRequest('/api/enroll/passkey/verify', caller, {
        body: {
          response: new SoftAuthenticator({ userVerification: true }).register(creation, ORIGIN),
        },
      }),
    );
    const secret = caller.cookie!.split('=')[1]!;
    const rows = JSON.stringify(await db().auditEvent.findMany());
    for (const value of [hire.token, secret, creation.challenge]) assert.ok(!rows.includes(value));
  });
});

describe('sign-in challenges', () => {
  const verify = (caller: Caller, response: unknown) =>
    authenticationVerify(
      apiRequest('/api/passkeys/authenticate/verify', caller, { body: { response } }),
    );

  test('1,500 anonymous requests for sign-in options write nothing', async () => {
    const anonymous: Caller = { fingerprint: null, ip: '203.0.113.150' };
    const before = {
      challenges: await db().webAuthnChallenge.count(),
      audit: await db().auditEvent.count(),
      throttle: await db().throttleHit.count(),
    };
    const started = performance.now();
    for (let i = 0; i < 1_500; i += 1) await signInOptions(anonymous);
    const perCall = (performance.now() - started) / 1_500;
    assert.deepEqual(
      {
        challenges: await db().webAuthnChallenge.count(),
        audit: await db().auditEvent.count(),
        throttle: await db().throttleHit.count(),
      },
      before,
    );
    assert.ok(perCall < 5, `${perCall.toFixed(2)} ms per options call`);
  });

  test('a challenge is good for one sign-in: replayed after success, or raced concurrently, it is refused', async () => {
    const hire = await enrolledHire();
    const request = await signInOptions(hire.caller);
    assert.equal(
      (await verify(hire.caller, hire.authenticator.authenticate(request, ORIGIN))).status,
      200,
    );
    // A fresh signature over the same challenge (a new counter) is still a replay of the challenge.
    const replayed = await verify(hire.caller, hire.authenticator.authenticate(request, ORIGIN));
    assert.equal(replayed.status, 400);
    assert.equal(
      (await json<{ error: { code: string } }>(replayed)).error.code,
      'challenge_invalid',
    );

    const raced = hire.authenticator.authenticate(await signInOptions(hire.caller), ORIGIN);
    const statuses = (
      await Promise.all(Array.from({ length: 10 }, () => verify(hire.caller, raced)))
    ).map((response) => response.status);
    assert.deepEqual(
      [
        statuses.filter((status) => status === 200).length,
        statuses.filter((status) => status === 400).length,
      ],
      [1, 9],
    );
  });

  test('a tampered or made-up challenge is refused before any passkey is looked at', async () => {
    const hire = await enrolledHire();
    const genuine = Buffer.from((await signInOptions(hire.caller)).challenge, 'base64url');
    const forgeries = [0, Math.floor(genuine.length / 2), genuine.length - 1].map((position) => {
      const tampered = Buffer.from(genuine);
      tampered[position]! ^= 0x01;
      return tampered;
    });
    forgeries.push(crypto.randomBytes(genuine.length), crypto.randomBytes(32), Buffer.alloc(0));
    for (const challenge of forgeries) {
      const response = await verify(
        hire.caller,
        hire.authenticator.authenticate({ challenge: challenge.toString('base64url') }, ORIGIN),
      );
      assert.equal(response.status, 400, challenge.toString('hex'));
      assert.equal(
        (await json<{ error: { code: string } }>(response)).error.code,
        'challenge_invalid',
      );
    }
    assert.equal(
      await db().auditEvent.count({
        where: { userId: hire.userId, action: 'passkey_sign_in_failed' },
      }),
      0,
    );
  });

  test('a challenge expires 5 minutes after it was handed out; spent ones are purged once no clock could accept them', async () => {
    const hire = await enrolledHire();
    const rp = relyingParty();
    const signIn = async (issuedAt: Date, at: Date) => {
      const request = await passkeyAuthenticationOptions({ rp, at: issuedAt });
      const result = await verifyPasskeyAssertion(
        db(),
        hire.authenticator.authenticate(request, ORIGIN),
        { rp, at, request: { ip: null, userAgent: null } },
      );
      return { challenge: request.challenge, outcome: result.ok ? 'ok' : result.reason };
    };
    const issuedAt = new Date();
    assert.equal(
      (await signIn(issuedAt, new Date(issuedAt.getTime() + CHALLENGE_TTL))).outcome,
      'challenge_invalid',
    );
    const spent = await signIn(issuedAt, new Date(issuedAt.getTime() + CHALLENGE_TTL - 1_000));
    assert.equal(spent.outcome, 'ok');
    const rows = () =>
      db().webAuthnChallenge.count({ where: { challengeHash: hashSecret(spent.challenge) } });
    assert.equal(await rows(), 1);

    const soon = new Date(issuedAt.getTime() + 2 * CHALLENGE_TTL - 1_000);
    assert.equal((await signIn(soon, soon)).outcome, 'ok');
    assert.equal(await rows(), 1);
    const later = new Date(issuedAt.getTime() + 2 * CHALLENGE_TTL + 1_000);
    assert.equal((await signIn(later, later)).outcome, 'ok');
    assert.equal(await rows(), 0);
  });

  test('a sign-in challenge is spent once: a second spend, as a racing replay would, fails on the unique challengeHash and writes nothing', async () => {
    const challenge = crypto.randomBytes(32).toString('base64url');
    const at = new Date();
    const spend = () =>
      writeTransaction(db(), (tx) =>
        spendSignInChallenge(tx, {
          challenge,
          expiresAt: new Date(at.getTime() + CHALLENGE_TTL),
          at,
        }),
      );
    await spend();
    const second = await spend().then(
      () => null,
      (error: unknown) => error,
    );
    assert.equal(uniqueViolation(second), 'challengeHash');
    const rows = await db().webAuthnChallenge.findMany({
      where: { challengeHash: hashSecret(challenge) },
    });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.purpose, 'authentication');
    assert.equal(rows[0]!.consumedAt?.getTime(), at.getTime());
    assert.equal(rows[0]!.expiresAt.getTime(), at.getTime() + CHALLENGE_TTL);
  });
});
