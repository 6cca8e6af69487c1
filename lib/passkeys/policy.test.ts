import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { FRESH_ASSERTION } from '@/lib/staff/policy';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';
import { staffSessionCookie } from '@/lib/testing/staff-session';
import { nextMonth, testAuthenticatorModel, testMetadataService } from '@/lib/testing/metadata';
import en from '@/lib/i18n/messages/en.json' with { type: 'json' };

// The passkey policy at registration, through the route handlers with the software authenticator:
// enrollment and /account backups go through the same check (acceptNewPasskey).

const { db } = await import('@/lib/db');
const { openEnrollment, enrolledPerson, TEST_ORIGIN } = await import('@/lib/testing/enrolled');
const { setPasskeyPolicy, OPEN_POLICY } = await import('@/lib/passkeys/policy');
const { importMetadataBlob } = await import('@/lib/passkeys/metadata');
const { POST: policyRoute } = await import('@/app/api/it/policy/route');
const { POST: accountOptions } = await import('@/app/api/account/passkeys/options/route');
const { POST: accountVerify } = await import('@/app/api/account/passkeys/verify/route');

const WINDOWS_HELLO = '08987058-cadc-4b81-b6e1-30de50dcbe96';
const ONE_PASSWORD = 'bada5566-a7aa-401f-bd96-45619a55120d';
const CLI = { actor: { type: 'cli' } as const };

async function setPolicy(policy: Partial<typeof OPEN_POLICY>) {
  const result = await setPasskeyPolicy(
    db(),
    { ...OPEN_POLICY, ...policy },
    { ...CLI, at: new Date() },
  );
  assert.ok(result.ok, JSON.stringify(result));
}

async function refusal(response: Response) {
  assert.equal(response.status, 403);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'passkey_not_allowed');
  return body.error.message;
}

const passkeysOf = (userId: string) =>
  db().passkey.findMany({ where: { userId, revokedAt: null } });
const refusalsOf = (userId: string) =>
  db().auditEvent.findMany({ where: { userId, action: 'passkey_policy_refused' } });

function post(path: string, cookie: string, body: unknown) {
  return new Request(`${TEST_ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: TEST_ORIGIN, cookie },
    body: JSON.stringify(body),
  });
}

describe('passkey policy: AAGUIDs and synced passkeys', () => {
  test('an allowed AAGUID enrolls; another is refused with what to use instead, audited with its AAGUID, and the hire may retry', async () => {
    await setPolicy({ aaguidMode: 'allow', aaguids: [WINDOWS_HELLO] });
    const hire = await openEnrollment({ employeeId: 'P1' });
    const refused = await hire.register(
      new SoftAuthenticator({ userVerification: true, aaguid: ONE_PASSWORD }),
    );
    const message = await refusal(refused);
    assert.match(message, /1Password/);
    assert.match(message, /Windows Hello/);
    assert.equal((await passkeysOf(hire.id)).length, 0);
    const [event] = await refusalsOf(hire.id);
    assert.ok(event);
    const details = JSON.parse(event.details) as Record<string, string>;
    assert.equal(details.aaguid, ONE_PASSWORD);
    assert.equal(details.rule, 'aaguid_not_allowed');

    const accepted = await hire.register(
      new SoftAuthenticator({ userVerification: true, aaguid: WINDOWS_HELLO }),
    );
    assert.equal(accepted.status, 200);
    const [passkey] = await passkeysOf(hire.id);
    assert.equal(passkey?.aaguid, WINDOWS_HELLO);
  });

  test('a blocked AAGUID is refused; any other enrolls', async () => {
    await setPolicy({ aaguidMode: 'block', aaguids: [ONE_PASSWORD] });
    const hire = await openEnrollment({ employeeId: 'P2' });
    const message = await refusal(
      await hire.register(new SoftAuthenticator({ userVerification: true, aaguid: ONE_PASSWORD })),
    );
    assert.match(message, /does not accept a passkey saved in 1Password/);
    assert.match(message, /built-in passkey \(Windows Hello/);
    assert.equal((await passkeysOf(hire.id)).length, 0);
    assert.equal(
      (await hire.register(new SoftAuthenticator({ userVerification: true }))).status,
      200,
    );
  });

  test('device-bound only refuses a backup-eligible (synced) passkey, at enrollment and as a backup on /account', async () => {
    await setPolicy({});
    const person = await enrolledPerson({ employeeId: 'P3' });
    await setPolicy({ deviceBoundOnly: true });
    const hire = await openEnrollment({ employeeId: 'P4' });
    const synced = { userVerification: true, aaguid: WINDOWS_HELLO, backupEligible: true };
    const message = await refusal(await hire.register(new SoftAuthenticator(synced)));
    assert.match(message, /stay on one device/);
    const [event] = await refusalsOf(hire.id);
    assert.equal((JSON.parse(event!.details) as { rule: string }).rule, 'synced');
    assert.equal(
      (await hire.register(new SoftAuthenticator({ ...synced, backupEligible: false }))).status,
      200,
    );

    const cookie = await staffSessionCookie(person.id);
    const creation = (await (
      await accountOptions(post('/api/account/passkeys/options', cookie, {}))
    ).json()) as PublicKeyCredentialCreationOptionsJSON;
    const backup = await accountVerify(
      post('/api/account/passkeys/verify', cookie, {
        response: new SoftAuthenticator(synced).register(creation, TEST_ORIGIN),
      }),
    );
    assert.match(await refusal(backup), /stay on one device/);
    assert.equal((await passkeysOf(person.id)).length, 1);
    assert.equal((await refusalsOf(person.id)).length, 1);
    await setPolicy({});
  });
});

describe('passkey policy: changing it', () => {
  test('a change needs a fresh passkey assertion and is audited with before and after', async () => {
    await setPolicy({});
    const admin = await enrolledPerson({ employeeId: 'IT9', role: 'it' });
    const body = { ...OPEN_POLICY, aaguidMode: 'block', aaguids: [ONE_PASSWORD.toUpperCase()] };
    const stale = await staffSessionCookie(admin.id, {
      signedInAt: Date.now() - FRESH_ASSERTION - 1000,
    });
    const refused = await policyRoute(post('/api/it/policy', stale, body));
    assert.equal(refused.status, 403);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'stale_assertion',
    );
    assert.equal(await db().passkeyPolicy.count({ where: { aaguidMode: 'block' } }), 0);

    const fresh = await staffSessionCookie(admin.id);
    const changed = await policyRoute(post('/api/it/policy', fresh, body));
    assert.equal(changed.status, 200);
    const [event] = await db().auditEvent.findMany({
      where: { action: 'passkey_policy_changed', actorId: admin.id },
    });
    assert.ok(event);
    const details = JSON.parse(event.details) as { before: string; after: string };
    assert.equal((JSON.parse(details.before) as { aaguidMode: string }).aaguidMode, 'any');
    assert.deepEqual((JSON.parse(details.after) as { aaguids: string[] }).aaguids, [ONE_PASSWORD]);

    const bad = await policyRoute(
      post('/api/it/policy', fresh, { ...OPEN_POLICY, aaguidMode: 'allow', aaguids: [] }),
    );
    assert.equal(bad.status, 400);
    await setPolicy({});
  });
});

describe('passkey policy: attestation against FIDO metadata', () => {
  test('requiring attestation without imported metadata is refused', async () => {
    const result = await setPasskeyPolicy(
      db(),
      { ...OPEN_POLICY, attestationRequired: true },
      { ...CLI, at: new Date() },
    );
    assert.equal(result.ok, false);
  });

  test('a BLOB not signed by the trust root, a stale one and an older one are refused at import', async () => {
    const fido = await testMetadataService();
    const impostor = await testMetadataService();
    const model = await testAuthenticatorModel({
      aaguid: '11111111-2222-4333-8444-555555555555',
      description: 'Test Key',
    });
    const at = new Date();
    const forged = await importMetadataBlob(
      db(),
      await impostor.signBlob({ no: 5, nextUpdate: nextMonth(at), entries: [model.entry] }),
      { ...CLI, at, trustRoots: [fido.rootPem] },
    );
    assert.equal(forged.ok, false);
    assert.equal(!forged.ok && forged.reason, 'metadata_invalid');

    const stale = await importMetadataBlob(
      db(),
      await fido.signBlob({ no: 5, nextUpdate: '2026-01-01', entries: [model.entry] }),
      { ...CLI, at, trustRoots: [fido.rootPem] },
    );
    assert.equal(!stale.ok && stale.reason, 'metadata_stale');
    assert.match(!stale.ok ? stale.message : '', /out of date: its nextUpdate was 2026-01-01/);
    assert.equal(await db().metadataEntry.count(), 0);

    const imported = await importMetadataBlob(
      db(),
      await fido.signBlob({ no: 5, nextUpdate: nextMonth(at), entries: [model.entry] }),
      { ...CLI, at, trustRoots: [fido.rootPem] },
    );
    assert.ok(imported.ok, JSON.stringify(imported));
    const older = await importMetadataBlob(
      db(),
      await fido.signBlob({ no: 4, nextUpdate: nextMonth(at), entries: [] }),
      { ...CLI, at, trustRoots: [fido.rootPem] },
    );
    assert.equal(!older.ok && older.reason, 'metadata_not_newer');
    assert.equal(await db().metadataEntry.count(), 1);
  });

  test('a BLOB whose chain names a CRL is imported without any network request', async () => {
    let requests = 0;
    const server = http.createServer((_request, response) => {
      requests += 1;
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const fido = await testMetadataService({ crlUrl: `http://127.0.0.1:${port}/mds.crl` });
      const imported = await importMetadataBlob(
        db(),
        await fido.signBlob({ no: 50, nextUpdate: nextMonth(), entries: [] }),
        { ...CLI, at: new Date(), trustRoots: [fido.rootPem] },
      );
      assert.ok(imported.ok, JSON.stringify(imported));
      assert.equal(requests, 0);
      // Other code in the process still reaches the network.
      await fetch(`http://127.0.0.1:${port}/other`);
      assert.equal(requests, 1);
    } finally {
      server.close();
    }
  });

  test('attestation required: a packed attestation chaining to the imported statement enrolls; "none", an unlisted model and a compromised one are refused', async () => {
    const fido = await testMetadataService();
    const good = await testAuthenticatorModel({
      aaguid: 'aaaaaaaa-1111-4222-8333-444444444444',
      description: 'Good Key',
    });
    const compromised = await testAuthenticatorModel({
      aaguid: 'bbbbbbbb-1111-4222-8333-444444444444',
      description: 'Leaky Key',
      statusReports: [
        { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' },
        { status: 'ATTESTATION_KEY_COMPROMISE', effectiveDate: '2025-06-01' },
      ],
    });
    const unlisted = await testAuthenticatorModel({
      aaguid: 'cccccccc-1111-4222-8333-444444444444',
      description: 'Unknown Key',
    });
    // The same model's AAGUID, in a certificate of someone else's making: it does not chain to the
    // vendor root the statement lists.
    const counterfeit = await testAuthenticatorModel({
      aaguid: good.aaguid,
      description: 'Counterfeit Key',
    });
    const at = new Date();
    const imported = await importMetadataBlob(
      db(),
      await fido.signBlob({
        no: 100,
        nextUpdate: nextMonth(at),
        entries: [good.entry, compromised.entry],
      }),
      { ...CLI, at, trustRoots: [fido.rootPem] },
    );
    assert.ok(imported.ok, JSON.stringify(imported));
    assert.equal(imported.refusedModels, 1);
    await setPolicy({ attestationRequired: true });

    const hire = await openEnrollment({ employeeId: 'P5' });
    assert.equal((await hire.options()).attestation, 'direct');
    const none = await refusal(
      await hire.register(new SoftAuthenticator({ userVerification: true, aaguid: good.aaguid })),
    );
    assert.match(none, /make and model/);
    const leaky = await refusal(
      await hire.register(
        new SoftAuthenticator({
          userVerification: true,
          aaguid: compromised.aaguid,
          attestation: compromised.attestation,
        }),
      ),
    );
    assert.match(leaky, /Leaky Key\) has a known security problem/);
    const unknown = await refusal(
      await hire.register(
        new SoftAuthenticator({
          userVerification: true,
          aaguid: unlisted.aaguid,
          attestation: unlisted.attestation,
        }),
      ),
    );
    assert.match(unknown, /certified/);
    const forgedChain = await hire.register(
      new SoftAuthenticator({
        userVerification: true,
        aaguid: good.aaguid,
        attestation: counterfeit.attestation,
      }),
    );
    assert.equal(forgedChain.status, 400);
    // The hire reads a plain sentence; what the verifier saw is in the audit trail for IT.
    assert.equal(
      ((await forgedChain.json()) as { error: { message: string } }).error.message,
      en.refusals.registration,
    );
    assert.ok(
      await db().auditEvent.findFirst({
        where: {
          userId: hire.id,
          action: 'passkey_registration_failed',
          details: { contains: 'could not be chained' },
        },
      }),
    );
    assert.equal((await passkeysOf(hire.id)).length, 0);
    const rules = (await refusalsOf(hire.id)).map(
      (event) => (JSON.parse(event.details) as { rule: string; aaguid: string }).rule,
    );
    assert.deepEqual(rules, [
      'attestation_missing',
      'authenticator_compromised',
      'not_in_metadata',
    ]);

    const accepted = await hire.register(
      new SoftAuthenticator({
        userVerification: true,
        aaguid: good.aaguid,
        attestation: good.attestation,
      }),
    );
    assert.equal(accepted.status, 200, await accepted.clone().text());
    const [passkey] = await passkeysOf(hire.id);
    assert.equal(passkey?.aaguid, good.aaguid);
    await setPolicy({});
  });
});
