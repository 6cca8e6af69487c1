import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { FRESH_ASSERTION } from '@/lib/staff/policy';
import { staffSessionCookie } from '@/lib/testing/staff-session';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';
import en from '@/lib/i18n/messages/en.json' with { type: 'json' };

// A person's own passkeys through the /api/account route handlers, with real session cookies, a real
// database and the software authenticator: add a backup, rename, remove; the last one stays.
process.env.FIRSTKEY_HR_STATUS_URL = 'http://127.0.0.1:9/hr';
process.env.FIRSTKEY_HR_STATUS_SECRET = `whsec_${crypto.randomBytes(32).toString('base64')}`;

const { db } = await import('@/lib/db');
const { enrolledPerson, TEST_ORIGIN } = await import('@/lib/testing/enrolled');
const { POST: optionsRoute } = await import('@/app/api/account/passkeys/options/route');
const { POST: verifyRoute } = await import('@/app/api/account/passkeys/verify/route');
const { POST: renameRoute } = await import('@/app/api/account/passkeys/[passkeyId]/rename/route');
const { POST: removeRoute } = await import('@/app/api/account/passkeys/[passkeyId]/remove/route');

function post(path: string, cookie: string | undefined, body: unknown) {
  return new Request(`${TEST_ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: TEST_ORIGIN,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}
const params = (passkeyId: string) => ({ params: Promise.resolve({ passkeyId }) });
const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

async function addBackup(cookie: string, authenticator = new SoftAuthenticator()) {
  const options = await optionsRoute(post('/api/account/passkeys/options', cookie, {}));
  assert.equal(options.status, 200);
  const creation = (await options.json()) as PublicKeyCredentialCreationOptionsJSON;
  return verifyRoute(
    post('/api/account/passkeys/verify', cookie, {
      response: authenticator.register(creation, TEST_ORIGIN),
    }),
  );
}

const activePasskeys = (userId: string) =>
  db().passkey.findMany({ where: { userId, revokedAt: null }, orderBy: { createdAt: 'asc' } });
const outbox = (userId: string, type: string) =>
  db()
    .outboxMessage.findMany({ where: { userId, channel: 'hr_status' } })
    .then((rows) =>
      rows.filter((row) => (JSON.parse(row.payload) as { type: string }).type === type),
    );

describe('a person’s own passkeys (/account)', () => {
  test('an ordinary hire adds a backup passkey: stored, audited, webhook queued', async () => {
    const hire = await enrolledPerson({ employeeId: 'A1' });
    const cookie = await staffSessionCookie(hire.id);
    const options = await optionsRoute(post('/api/account/passkeys/options', cookie, {}));
    const creation = (await options.json()) as PublicKeyCredentialCreationOptionsJSON;
    const [existing] = await activePasskeys(hire.id);
    assert.deepEqual(
      creation.excludeCredentials?.map((credential) => credential.id),
      [existing!.credentialId],
    );
    assert.equal(creation.authenticatorSelection?.userVerification, 'required');
    assert.equal(creation.authenticatorSelection?.residentKey, 'required');
    const response = await verifyRoute(
      post('/api/account/passkeys/verify', cookie, {
        response: new SoftAuthenticator().register(creation, TEST_ORIGIN),
      }),
    );
    assert.equal(response.status, 200);
    assert.equal((await activePasskeys(hire.id)).length, 2);
    const audit = await db().auditEvent.findMany({
      where: { userId: hire.id, action: 'passkey_added' },
    });
    assert.equal(audit.length, 1);
    const [message] = await outbox(hire.id, 'person.passkey_added');
    assert.ok(message);
    assert.equal(
      (JSON.parse(message.payload) as { data: { employeeId: string } }).data.employeeId,
      'A1',
    );
  });

  test('a stolen session cookie older than 5 minutes cannot add or remove a passkey', async () => {
    const hire = await enrolledPerson({ employeeId: 'A2' });
    const stale = await staffSessionCookie(hire.id, {
      signedInAt: Date.now() - FRESH_ASSERTION - 1000,
    });
    const options = await optionsRoute(post('/api/account/passkeys/options', stale, {}));
    assert.equal(options.status, 403);
    assert.equal(await errorCode(options), 'stale_assertion');
    const fresh = await staffSessionCookie(hire.id);
    assert.equal((await addBackup(fresh)).status, 200);
    const [first] = await activePasskeys(hire.id);
    const removal = await removeRoute(
      post(`/api/account/passkeys/${first!.id}/remove`, stale, {}),
      params(first!.id),
    );
    assert.equal(removal.status, 403);
    assert.equal(await errorCode(removal), 'stale_assertion');
    assert.equal((await activePasskeys(hire.id)).length, 2);
  });

  test('the last passkey cannot be removed; another one can, and that ends the sessions', async () => {
    const hire = await enrolledPerson({ employeeId: 'A3' });
    const cookie = await staffSessionCookie(hire.id);
    const [only] = await activePasskeys(hire.id);
    const refused = await removeRoute(
      post(`/api/account/passkeys/${only!.id}/remove`, cookie, {}),
      params(only!.id),
    );
    assert.equal(refused.status, 409);
    assert.equal(await errorCode(refused), 'last_passkey');
    assert.equal((await activePasskeys(hire.id)).length, 1);

    assert.equal((await addBackup(cookie)).status, 200);
    const removed = await removeRoute(
      post(`/api/account/passkeys/${only!.id}/remove`, cookie, {}),
      params(only!.id),
    );
    assert.equal(removed.status, 200);
    const left = await activePasskeys(hire.id);
    assert.equal(left.length, 1);
    assert.notEqual(left[0]!.id, only!.id);
    const user = await db().user.findUniqueOrThrow({ where: { id: hire.id } });
    assert.equal(user.enrollmentState, 'enrolled');
    assert.equal(user.sessionEpoch, 1, 'the removed passkey may be on a lost phone');
    const audit = await db().auditEvent.findFirst({
      where: { userId: hire.id, action: 'passkey_revoked', subjectId: only!.id },
    });
    assert.ok(audit);
    assert.equal((await outbox(hire.id, 'person.passkey_removed')).length, 1);
    // IT sees both on the hire's timeline in the console.
    const { hireDetail } = await import('@/lib/console/hire-detail');
    const detail = await hireDetail(db(), 'A3', { at: new Date(), viewer: { id: hire.id } });
    const actions = detail!.timeline.map((event) => event.action);
    assert.ok(actions.includes('passkey_added') && actions.includes('passkey_revoked'));
    // The old session is gone: the next change needs a new sign-in.
    const after = await removeRoute(
      post(`/api/account/passkeys/${left[0]!.id}/remove`, cookie, {}),
      params(left[0]!.id),
    );
    assert.equal(after.status, 401);
  });

  test('nobody can rename or remove someone else’s passkey', async () => {
    const owner = await enrolledPerson({ employeeId: 'A4' });
    const other = await enrolledPerson({ employeeId: 'A5' });
    const ownerCookie = await staffSessionCookie(owner.id);
    assert.equal((await addBackup(ownerCookie)).status, 200);
    const [target] = await activePasskeys(owner.id);
    const cookie = await staffSessionCookie(other.id);
    const removal = await removeRoute(
      post(`/api/account/passkeys/${target!.id}/remove`, cookie, {}),
      params(target!.id),
    );
    assert.equal(removal.status, 404);
    const rename = await renameRoute(
      post(`/api/account/passkeys/${target!.id}/rename`, cookie, { name: 'Mine now' }),
      params(target!.id),
    );
    assert.equal(rename.status, 404);
    assert.equal((await activePasskeys(owner.id)).length, 2);
  });

  test('a rename is kept and audited', async () => {
    const hire = await enrolledPerson({ employeeId: 'A6' });
    const cookie = await staffSessionCookie(hire.id);
    const [passkey] = await activePasskeys(hire.id);
    const response = await renameRoute(
      post(`/api/account/passkeys/${passkey!.id}/rename`, cookie, { name: '  Work laptop ' }),
      params(passkey!.id),
    );
    assert.equal(response.status, 200);
    const [renamed] = await activePasskeys(hire.id);
    assert.equal(renamed!.name, 'Work laptop');
    assert.ok(
      await db().auditEvent.findFirst({ where: { userId: hire.id, action: 'passkey_renamed' } }),
    );
  });

  test('a backup passkey registered in another site’s frame, or replayed, is refused', async () => {
    const hire = await enrolledPerson({ employeeId: 'A7' });
    const cookie = await staffSessionCookie(hire.id);
    const authenticator = new SoftAuthenticator();
    const options = await optionsRoute(post('/api/account/passkeys/options', cookie, {}));
    const creation = (await options.json()) as PublicKeyCredentialCreationOptionsJSON;
    const framed = await verifyRoute(
      post('/api/account/passkeys/verify', cookie, {
        response: authenticator.register(creation, TEST_ORIGIN, {
          embedding: { crossOrigin: true, topOrigin: 'https://evil.example' },
        }),
      }),
    );
    assert.equal(framed.status, 400);
    // A plain sentence, not the verifier's words ("Unexpected ceremony inside another site's frame").
    assert.deepEqual(
      ((await framed.json()) as { error: { code: string; message: string } }).error,
      { code: 'verification_failed', message: en.refusals.frame },
    );
    const replay = await verifyRoute(
      post('/api/account/passkeys/verify', cookie, {
        response: authenticator.register(creation, TEST_ORIGIN),
      }),
    );
    assert.equal(replay.status, 409);
    assert.equal(await errorCode(replay), 'challenge_invalid');
    assert.equal((await activePasskeys(hire.id)).length, 1);
  });
});
