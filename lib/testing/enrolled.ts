// A person who enrolled a passkey the real way — link, enrollment session on their laptop, passkey
// registration through the route handlers — with the software authenticator that holds the passkey.
import assert from 'node:assert/strict';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { POST as registrationOptions } from '@/app/api/enroll/passkey/options/route';
import { POST as registrationVerify } from '@/app/api/enroll/passkey/verify/route';
import { POST as redeem } from '@/app/api/enroll/redeem/route';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { issueLink } from '@/lib/enrollment/issue-link';
import type { ReadyFacts } from '@/lib/enrollment/ready';
import { addHire } from '@/lib/hires/add-hire';
import { apiRequest, cookieFrom, json, type Caller } from '@/lib/testing/api';
import { deviceCertificate } from '@/lib/testing/certificates';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

export const TEST_ORIGIN = 'https://localhost:3443';

/**
 * A hire with a laptop and a link, the link redeemed on that laptop: an open enrollment session.
 * `register` runs the passkey step with the given authenticator and returns the API's answer.
 */
export async function openEnrollment(input: { employeeId: string; role?: 'it' | 'manager' }) {
  const at = new Date();
  const { employeeId } = input;
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Person ${employeeId}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: at.toISOString().slice(0, 10),
      role: input.role,
    },
    { actor: { type: 'cli' }, at },
  );
  assert.ok(added.ok);
  const laptop = await deviceCertificate(employeeId);
  assert.ok(
    (
      await registerDevice(
        db(),
        { employeeId, serial: `SN-${employeeId}`, certificatePem: laptop.pem },
        { actor: { type: 'cli' }, at },
      )
    ).ok,
  );
  const link = await issueLink(
    db(),
    { employeeId },
    { actor: { type: 'cli' }, at, origin: TEST_ORIGIN },
  );
  assert.ok(link.ok);

  const onLaptop: Caller = { fingerprint: laptop.fingerprint };
  const redeemed = await redeem(
    apiRequest('/api/enroll/redeem', onLaptop, {
      body: { token: new URL(link.url).hash.slice(1) },
    }),
  );
  assert.equal(redeemed.status, 200);
  const inSession = { ...onLaptop, cookie: cookieFrom(redeemed) };
  return {
    id: added.hire.id,
    employeeId,
    // The link and the laptop it was redeemed on, for tests of what that laptop sees afterwards.
    token: new URL(link.url).hash.slice(1),
    laptop: onLaptop,
    options: async () =>
      json<PublicKeyCredentialCreationOptionsJSON>(
        await registrationOptions(
          apiRequest('/api/enroll/passkey/options', inSession, { body: {} }),
        ),
      ),
    register: async (authenticator: SoftAuthenticator) => {
      const creation = await json<PublicKeyCredentialCreationOptionsJSON>(
        await registrationOptions(
          apiRequest('/api/enroll/passkey/options', inSession, { body: {} }),
        ),
      );
      return registrationVerify(
        apiRequest('/api/enroll/passkey/verify', inSession, {
          body: { response: authenticator.register(creation, TEST_ORIGIN) },
        }),
      );
    },
  };
}

export async function enrolledPerson(input: { employeeId: string; role?: 'it' | 'manager' }) {
  const enrollment = await openEnrollment(input);
  const authenticator = new SoftAuthenticator({ userVerification: true });
  const registered = await enrollment.register(authenticator);
  assert.equal(registered.status, 200);
  const { next } = await json<{ next: ReadyFacts }>(registered);
  return {
    id: enrollment.id,
    employeeId: input.employeeId,
    authenticator,
    next,
    token: enrollment.token,
    laptop: enrollment.laptop,
  };
}
