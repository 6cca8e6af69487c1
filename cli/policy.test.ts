import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cliEnv, dataDir, firstkey, run } from './testing';

// The firstkey CLI: the passkey policy, FIDO metadata import, and setup. Shared set-up in cli/testing.ts.

describe('firstkey CLI', () => {
  test('policy set and show; policy mds import takes a BLOB signed under the (test-only) trust root and refuses a stale one', async () => {
    const shown = await firstkey('policy', 'show');
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal((shown.json?.policy as { aaguidMode: string }).aaguidMode, 'any');

    const blocked = await firstkey(
      'policy',
      'set',
      '--block',
      'BADA5566-A7AA-401F-BD96-45619A55120D',
      '--device-bound-only',
      'yes',
    );
    assert.equal(blocked.code, 0, blocked.stderr);
    const after = await firstkey('policy', 'show');
    assert.deepEqual(after.json?.listed, [
      { aaguid: 'bada5566-a7aa-401f-bd96-45619a55120d', name: '1Password' },
    ]);
    assert.equal((after.json?.policy as { deviceBoundOnly: boolean }).deviceBoundOnly, true);
    const bad = await firstkey('policy', 'set', '--device-bound-only', 'maybe');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--device-bound-only: Expected yes or no/);
    const both = await firstkey('policy', 'set', '--allow', 'x', '--any-aaguid');
    assert.equal(both.code, 2);
    const early = await firstkey('policy', 'set', '--attestation-required', 'yes');
    assert.equal(early.code, 1);
    assert.match(early.stderr, /Import FIDO metadata first/);

    const { testAuthenticatorModel, testMetadataService, nextMonth } =
      await import('@/lib/testing/metadata');
    const fido = await testMetadataService();
    const model = await testAuthenticatorModel({
      aaguid: '12345678-1234-4234-8234-123456789abc',
      description: 'CLI Test Key',
    });
    const rootFile = path.join(dataDir, 'test-mds-root.pem');
    fs.writeFileSync(rootFile, fido.rootPem);
    const blobFile = path.join(dataDir, 'blob.jwt');
    const importWithTestRoot = async () => {
      try {
        const { stdout } = await run(
          process.execPath,
          ['bin/firstkey.mjs', 'policy', 'mds', 'import', blobFile],
          { env: { ...cliEnv, FIRSTKEY_TEST_ONLY_MDS_ROOT: rootFile } },
        );
        return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr: '' };
      } catch (error) {
        const failure = error as { code: number; stderr: string };
        return { code: failure.code, json: null, stderr: failure.stderr };
      }
    };
    fs.writeFileSync(
      blobFile,
      await fido.signBlob({ no: 7, nextUpdate: '2025-12-01', entries: [model.entry] }),
    );
    const stale = await importWithTestRoot();
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /out of date: its nextUpdate was 2025-12-01/);

    fs.writeFileSync(
      blobFile,
      await fido.signBlob({ no: 7, nextUpdate: nextMonth(), entries: [model.entry] }),
    );
    // Without the test root, the FIDO Alliance's own root is the anchor: the test BLOB is refused.
    const untrusted = await firstkey('policy', 'mds', 'import', blobFile);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /not a FIDO metadata BLOB signed by the FIDO Alliance/);
    const imported = await importWithTestRoot();
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual([imported.json?.no, imported.json?.entries], [7, 1]);
    const required = await firstkey('policy', 'set', '--attestation-required', 'yes');
    assert.equal(required.code, 0, required.stderr);
    assert.equal(((await firstkey('policy', 'show')).json?.metadata as { no: number }).no, 7);
  });

  test('setup on an instance whose outbox key cannot unseal the database’s signing keys fails and says why', async () => {
    // Another instance (here: this data folder's own key) made the keys; an instance started with a
    // different FIRSTKEY_OUTBOX_KEY must stop at set-up with what to do, not crash later in the server.
    const first = await firstkey('setup');
    assert.equal(first.code, 0, first.stderr);
    const other = await run(process.execPath, ['bin/firstkey.mjs', 'setup'], {
      env: { ...cliEnv, FIRSTKEY_OUTBOX_KEY: Buffer.alloc(32, 9).toString('base64url') },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(other.code, 1, other.stderr);
    assert.match(
      other.stderr,
      /^firstkey setup: The OpenID Connect signing key \S+ in the database was sealed with another outbox key than this process has \(FIRSTKEY_OUTBOX_KEY, else .*secrets\/outbox-key\)\. Every instance on one database needs the same FIRSTKEY_OUTBOX_KEY \(README "Running several instances"\)\.\n$/,
    );
  });
});
