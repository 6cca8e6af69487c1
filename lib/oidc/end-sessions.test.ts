import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db, writeTransaction } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { offboard } from '@/lib/hires/offboard';
import { prismaAdapter } from '@/lib/oidc/adapter';
import { subjectFor } from '@/lib/oidc/subject';
import { revokePasskey } from '@/lib/access/revoke-passkey';
import { signOutEverywhere } from '@/lib/staff/sign-out-everywhere';

// Every way a person loses access (lib/access/revocation.ts) also ends their sign-ins to apps.
const adapterFor = prismaAdapter(db());
let sequence = 0;

async function signedInToAnApp() {
  sequence += 1;
  const hire = await addHire(
    db(),
    {
      employeeId: `O${sequence}`,
      name: `Person ${sequence}`,
      email: `o${sequence}@example.com`,
      startDate: '2026-12-01',
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(hire.ok);
  const userId = hire.hire.id;
  const passkey = await db().passkey.create({
    data: {
      userId,
      credentialId: `cred-${sequence}`,
      publicKey: Buffer.from([1]),
      aaguid: '00000000-0000-0000-0000-000000000000',
      deviceType: 'singleDevice',
      backedUp: false,
    },
  });
  const sub = await subjectFor(db(), userId);
  const grantId = `grant-${sequence}`;
  await adapterFor('Session').upsert(
    `session-${sequence}`,
    { jti: `session-${sequence}`, uid: `uid-${sequence}`, kind: 'Session', accountId: sub },
    3600,
  );
  await adapterFor('Grant').upsert(grantId, { jti: grantId, kind: 'Grant', accountId: sub }, 3600);
  await adapterFor('RefreshToken').upsert(
    `rt-${sequence}`,
    { jti: `rt-${sequence}`, kind: 'RefreshToken', accountId: sub, grantId },
    3600,
  );
  await adapterFor('AccessToken').upsert(
    `at-${sequence}`,
    { jti: `at-${sequence}`, kind: 'AccessToken', accountId: sub, grantId },
    600,
  );
  return { userId, passkeyId: passkey.id, sub };
}

async function rowsOf(sub: string) {
  return db().oidcPayload.count({ where: { accountId: sub } });
}

describe('ending a person\u2019s app sign-ins', () => {
  test('the subject is opaque, stable and not the employee id, email or user id', async () => {
    const person = await signedInToAnApp();
    assert.equal(await subjectFor(db(), person.userId), person.sub);
    assert.match(person.sub, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(person.sub, person.userId);
  });

  test('a leaver: sessions, grants, access and refresh tokens gone in the offboarding transaction; others untouched', async () => {
    const leaver = await signedInToAnApp();
    const colleague = await signedInToAnApp();
    assert.equal(await rowsOf(leaver.sub), 4);
    await writeTransaction(db(), (tx) =>
      offboard(tx, {
        userId: leaver.userId,
        at: new Date(),
        actor: { type: 'hr' },
        reason: 'leaver',
      }),
    );
    assert.equal(await rowsOf(leaver.sub), 0);
    assert.equal(await rowsOf(colleague.sub), 4);
  });

  test('"sign out everywhere" ends them too', async () => {
    const person = await signedInToAnApp();
    await signOutEverywhere(db(), { userId: person.userId, at: new Date() });
    assert.equal(await rowsOf(person.sub), 0);
  });

  test('a revoked passkey ends them too', async () => {
    const person = await signedInToAnApp();
    assert.deepEqual(
      await revokePasskey(
        db(),
        { passkeyId: person.passkeyId, reason: 'stolen' },
        { actor: { type: 'cli' }, at: new Date() },
      ),
      { ok: true },
    );
    assert.equal(await rowsOf(person.sub), 0);
  });

  test('a failed revocation (rolled back) leaves the sign-ins in place', async () => {
    const person = await signedInToAnApp();
    await assert.rejects(
      writeTransaction(db(), async (tx) => {
        await offboard(tx, {
          userId: person.userId,
          at: new Date(),
          actor: { type: 'hr' },
          reason: 'leaver',
        });
        throw new Error('something later in the same change failed');
      }),
    );
    assert.equal(await rowsOf(person.sub), 4);
  });
});
