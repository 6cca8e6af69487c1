import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { passkeySignInToApp } from '@/lib/oidc/sign-in';
import { passkeyAuthenticationOptions } from '@/lib/passkeys/authentication';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

// Who may sign in to an app with their passkey, through real WebAuthn assertions (software
// authenticator) and the real database.
const rp = { rpId: 'localhost', origin: 'https://localhost:3443' };
const request = { ip: '192.0.2.1', userAgent: 'test' };
let sequence = 0;

async function personWithPasskey(
  options: { state?: string; synced?: boolean; userVerification?: boolean } = {},
) {
  sequence += 1;
  const added = await addHire(
    db(),
    {
      employeeId: `SI${sequence}`,
      name: `Signer ${sequence}`,
      email: `si${sequence}@example.com`,
      startDate: '2026-12-01',
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(added.ok);
  const authenticator = new SoftAuthenticator({
    userVerification: options.userVerification ?? true,
  });
  const challenge = Buffer.from(`registration-${sequence}`).toString('base64url');
  const registration = authenticator.register(
    {
      challenge,
      rp: { id: rp.rpId, name: 'Firstkey' },
      user: { id: Buffer.from(added.hire.id).toString('base64url'), name: 'x', displayName: 'x' },
      pubKeyCredParams: [],
    },
    rp.origin,
  );
  const verified = await verifyRegistrationResponse({
    response: registration,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpId,
    requireUserVerification: false,
  });
  assert.ok(verified.verified);
  const { credential } = verified.registrationInfo;
  await db().passkey.create({
    data: {
      userId: added.hire.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      aaguid: '00000000-0000-0000-0000-000000000000',
      deviceType: options.synced ? 'multiDevice' : 'singleDevice',
      backedUp: false,
    },
  });
  await db().user.update({
    where: { id: added.hire.id },
    data: { enrollmentState: options.state ?? 'enrolled' },
  });
  return { userId: added.hire.id, authenticator };
}

async function signIn(authenticator: SoftAuthenticator) {
  const options = await passkeyAuthenticationOptions({ rp, at: new Date() });
  return passkeySignInToApp(db(), authenticator.authenticate(options, rp.origin), {
    rp,
    at: new Date(),
    request,
    clientId: 'app-1',
  });
}

describe('signing in to an app with a passkey', () => {
  test('an enrolled person with a device-bound passkey: opaque subject, amr hwk/user/mfa/phr/phrh, acr phrh', async () => {
    const person = await personWithPasskey();
    const result = await signIn(person.authenticator);
    assert.ok(result.ok);
    const { oidcSubject } = await db().user.findUniqueOrThrow({ where: { id: person.userId } });
    assert.deepEqual(result.login.amr, ['hwk', 'user', 'mfa', 'phr', 'phrh']);
    assert.equal(result.login.acr, 'phrh');
    assert.equal(result.login.accountId, oidcSubject);
    assert.notEqual(result.login.accountId, person.userId);
  });

  test('a synced passkey is phishing-resistant but not hardware-bound: swk and phr, never phrh', async () => {
    const person = await personWithPasskey({ synced: true });
    const result = await signIn(person.authenticator);
    assert.ok(result.ok);
    assert.deepEqual(result.login.amr, ['swk', 'user', 'mfa', 'phr']);
    assert.equal(result.login.acr, 'phr');
  });

  test('a person mid-enrollment is refused in plain words, and the refusal is audited with the app', async () => {
    const person = await personWithPasskey({ state: 'enrolling' });
    const result = await signIn(person.authenticator);
    assert.deepEqual(result.ok ? null : result.reason, 'enrolling');
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'oidc_sign_in', userId: person.userId },
      orderBy: { seq: 'desc' },
    });
    assert.equal(audit.result, 'denied');
    assert.deepEqual(JSON.parse(audit.details), { client: 'app-1', reason: 'enrolling' });
  });

  test('a leaver is refused', async () => {
    const person = await personWithPasskey({ state: 'offboarded' });
    const result = await signIn(person.authenticator);
    assert.equal(result.ok ? null : result.reason, 'unknown_passkey');
  });

  test('a removed passkey is refused', async () => {
    const person = await personWithPasskey();
    await db().passkey.updateMany({
      where: { userId: person.userId },
      data: { revokedAt: new Date() },
    });
    const result = await signIn(person.authenticator);
    assert.equal(result.ok ? null : result.reason, 'unknown_passkey');
  });

  test('an authenticator that did not verify the person (no PIN, no biometric) is refused', async () => {
    const person = await personWithPasskey({ userVerification: false });
    const result = await signIn(person.authenticator);
    assert.equal(result.ok ? null : result.reason, 'verification_failed');
  });
});
