import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

// The CLI exactly as an operator runs it: a separate process on its own data folder.
const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-cli-'));
// On SQLite, not the test process's DATABASE_URL: the CLI finds its database in its data folder by
// default (Node leaves out variables whose value is undefined). On PostgreSQL, the test file's own
// fresh database, named by DATABASE_URL as an operator would.
const onPostgres = process.env.FIRSTKEY_TEST_DATABASE === 'postgresql';
const cliEnv = {
  ...process.env,
  FIRSTKEY_DATA_DIR: dataDir,
  DATABASE_URL: onPostgres ? process.env.DATABASE_URL : undefined,
};

async function firstkey(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/firstkey.mjs', ...args], {
      env: cliEnv,
    });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, json: null, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const ADA = [
  '--employee-id',
  'E100',
  '--name',
  'Ada Lovelace',
  '--email',
  'ada@example.com',
  '--start-date',
  '2026-12-01',
];

describe('firstkey CLI', () => {
  test('hire add → device issue-cert → device register → status shows the hire ready', async () => {
    const added = await firstkey('hire', 'add', ...ADA);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.json?.state, 'awaiting_device');

    const out = path.join(dataDir, 'device-E100');
    const cert = await firstkey('device', 'issue-cert', '--employee-id', 'E100', '--out', out);
    assert.equal(cert.code, 0, cert.stderr);
    for (const file of ['device.pem', 'device-key.pem', 'device.p12'])
      assert.ok(fs.existsSync(path.join(out, file)), file);
    assert.equal((fs.statSync(path.join(out, 'device-key.pem')).mode & 0o777).toString(8), '600');

    const registered = await firstkey(
      'device',
      'register',
      '--employee-id',
      'E100',
      '--serial',
      'SN-100',
      '--cert',
      path.join(out, 'device.pem'),
    );
    assert.equal(registered.code, 0, registered.stderr);

    const status = await firstkey('status', '--employee-id', 'E100');
    assert.equal(status.json?.state, 'ready');
    assert.deepEqual(status.json?.device, {
      serial: 'SN-100',
      fingerprint: cert.json?.fingerprint,
      registeredAt: (status.json?.device as { registeredAt: string }).registeredAt,
    });
    const all = await firstkey('status');
    assert.ok(Array.isArray(all.json) && all.json.length === 1);

    const audit = await firstkey('audit', 'verify');
    assert.equal(audit.code, 0);
    assert.equal(audit.json?.ok, true);
    assert.equal(audit.json?.events, 3); // hire_added, device_registered, state_changed
  });

  test('bad input: each error names what was wrong, on stderr, with a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['hire', 'add', ...ADA], /employee id "E100" already exists/],
      [
        ['hire', 'add', ...ADA.slice(0, 6), '--start-date', '2026-02-30'],
        /--start-date: Not a calendar date/,
      ],
      [
        [
          'hire',
          'add',
          '--employee-id',
          'E1',
          '--name',
          'X',
          '--email',
          'nope',
          '--start-date',
          '2026-12-01',
        ],
        /--email: Expected an email address/,
      ],
      [['hire', 'add', '--employee-id', 'E1'], /--name/],
      [
        [
          'hire',
          'add',
          '--employee-id',
          'E1',
          '--name',
          'X',
          '--email',
          'x@example.com',
          '--start-date',
          '2026-12-01',
          '--role',
          'root',
        ],
        /--role/,
      ],
      [
        [
          'device',
          'register',
          '--employee-id',
          'NOBODY',
          '--serial',
          'S',
          '--cert',
          'package.json',
        ],
        /Expected a PEM certificate/,
      ],
      [
        [
          'device',
          'register',
          '--employee-id',
          'E100',
          '--serial',
          'S',
          '--cert',
          '/does/not/exist.pem',
        ],
        /--cert: cannot read "\/does\/not\/exist.pem" \(ENOENT\)/,
      ],
      [['status', '--employee-id', 'NOBODY'], /No person with employee id "NOBODY"/],
      [['hire', 'remove'], /unknown command "hire remove"/],
      [['status', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const result = await firstkey(...args);
      assert.notEqual(result.code, 0, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.json, null);
    }
  });

  test('registering a device for an unknown employee is refused', async () => {
    const out = path.join(dataDir, 'device-ghost');
    await firstkey('device', 'issue-cert', '--employee-id', 'GHOST', '--out', out);
    const result = await firstkey(
      'device',
      'register',
      '--employee-id',
      'GHOST',
      '--serial',
      'S',
      '--cert',
      path.join(out, 'device.pem'),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No person with employee id "GHOST"/);
  });

  test('invite prints a device-bound link; bad lifetimes, dates and hires are refused', async () => {
    const link = await firstkey(
      'invite',
      '--employee-id',
      'E100',
      '--ttl',
      '2h',
      '--not-before',
      '2026-12-01T08:00:00Z',
    );
    assert.equal(link.code, 0, link.stderr);
    assert.match(String(link.json?.url), /^https:\/\/localhost:3443\/enroll#[A-Za-z0-9_-]{43}$/);
    assert.equal(link.json?.notBefore, '2026-12-01T08:00:00.000Z');
    assert.equal(link.json?.expiresAt, '2026-12-01T10:00:00.000Z');
    assert.equal((await firstkey('status', '--employee-id', 'E100')).json?.state, 'invited');

    await firstkey(
      'hire',
      'add',
      '--employee-id',
      'E200',
      '--name',
      'No Laptop',
      '--email',
      'nolaptop@example.com',
      '--start-date',
      '2026-12-01',
    );
    const cases: [string[], RegExp][] = [
      [
        ['invite', '--employee-id', 'E100', '--ttl', '10m'],
        /between 15 min and 14 days; got 10 min/,
      ],
      [
        ['invite', '--employee-id', 'E100', '--ttl', '15d'],
        /between 15 min and 14 days; got 15 days/,
      ],
      [
        ['invite', '--employee-id', 'E100', '--ttl', 'soon'],
        /--ttl: Expected a duration such as 90m, 72h or 14d/,
      ],
      [
        ['invite', '--employee-id', 'E100', '--not-before', 'tomorrow'],
        /--not-before: Expected an ISO date-time/,
      ],
      [['invite', '--employee-id', 'E200'], /has no registered device/],
      [['invite', '--employee-id', 'NOBODY'], /No person with employee id "NOBODY"/],
    ];
    for (const [args, message] of cases) {
      const result = await firstkey(...args);
      assert.notEqual(result.code, 0, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
  });

  test('admin bootstrap makes an IT member with a 10-minute link bound to the given laptop', async () => {
    const out = path.join(dataDir, 'device-admin');
    await firstkey('device', 'issue-cert', '--employee-id', 'A1', '--out', out);
    const result = await firstkey(
      'admin',
      'bootstrap',
      '--employee-id',
      'A1',
      '--name',
      'Grace Hopper',
      '--email',
      'grace@example.com',
      '--cert',
      path.join(out, 'device.pem'),
    );
    assert.equal(result.code, 0, result.stderr);
    const minutes = (Date.parse(String(result.json?.expiresAt)) - Date.now()) / 60_000;
    assert.ok(minutes > 9 && minutes <= 10, `expires in ${minutes} min`);
    const status = await firstkey('status', '--employee-id', 'A1');
    assert.deepEqual([status.json?.state, status.json?.roles], ['invited', ['it']]);

    const notStaff = await firstkey(
      'admin',
      'bootstrap',
      '--employee-id',
      'E100',
      '--name',
      'Ada',
      '--email',
      'ada@example.com',
      '--cert',
      path.join(out, 'device.pem'),
    );
    assert.match(notStaff.stderr, /is not IT staff/);
    const badCert = await firstkey(
      'admin',
      'bootstrap',
      '--employee-id',
      'A2',
      '--name',
      'X',
      '--email',
      'x@example.com',
      '--cert',
      'package.json',
    );
    assert.match(badCert.stderr, /Expected a PEM certificate/);
  });

  test('several CLI processes writing at once all succeed and keep the audit chain intact', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        firstkey(
          'hire',
          'add',
          '--employee-id',
          `P${i}`,
          '--name',
          `Parallel ${i}`,
          '--email',
          `p${i}@example.com`,
          '--start-date',
          '2026-12-01',
        ),
      ),
    );
    assert.deepEqual(
      results.map((result) => result.code),
      Array(8).fill(0),
      results.map((result) => result.stderr).join('\n'),
    );
    const audit = await firstkey('audit', 'verify');
    assert.equal(audit.json?.ok, true);
  });

  test('import adds every row of a good CSV, and nothing from a file with a bad row', async () => {
    const good = path.join(dataDir, 'good.csv');
    fs.writeFileSync(
      good,
      'employee_id,name,email,start_date,manager_employee_id,department\nCSV1,Csv One,csv1@example.com,2026-12-01,,\n',
    );
    const imported = await firstkey('import', good);
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(imported.json, { ok: true, imported: 1 });
    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(
      bad,
      'employee_id,name,email,start_date\nCSV2,Csv Two,csv2@example.com,2026-12-01\nCSV3,Csv Three,csv3@example.com,soon\n',
    );
    const refused = await firstkey('import', bad);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /Nothing imported[\s\S]*line 3: startDate: Expected a date as YYYY-MM-DD/,
    );
    assert.equal((await firstkey('status', '--employee-id', 'CSV2')).code, 1);
  });

  test('import takes a file of 10,000 rows (the documented maximum) and refuses one more, without a stack trace', async () => {
    const rows = (count: number, prefix: string) =>
      Array.from(
        { length: count },
        (_, i) => `${prefix}${i},Bulk ${i},${prefix.toLowerCase()}${i}@example.com,2026-12-01,,`,
      );
    const header = 'employee_id,name,email,start_date,manager_employee_id,department';
    const big = path.join(dataDir, 'big.csv');
    fs.writeFileSync(big, [header, ...rows(10_000, 'BIG')].join('\n'));
    const imported = await firstkey('import', big);
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(imported.json, { ok: true, imported: 10_000 });
    assert.equal(
      (await firstkey('status', '--employee-id', 'BIG9999')).json?.state,
      'awaiting_device',
    );

    const tooBig = path.join(dataDir, 'too-big.csv');
    fs.writeFileSync(tooBig, [header, ...rows(10_001, 'HUGE')].join('\n'));
    const refused = await firstkey('import', tooBig);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'firstkey import: Nothing imported: At most 10000 rows per file; this one has 10001: split it\n',
    );
    assert.equal((await firstkey('status', '--employee-id', 'HUGE0')).code, 1);
  });

  test('oidc client add: a confidential app gets its secret once, a public one none; bad redirect URIs are refused', async () => {
    const wiki = await firstkey(
      'oidc',
      'client',
      'add',
      '--name',
      'Wiki',
      '--redirect-uri',
      'https://wiki.example.com/cb',
      '--redirect-uri',
      'https://wiki.example.com/cb2',
    );
    assert.equal(wiki.code, 0, wiki.stderr);
    assert.match(String(wiki.json?.client_secret), /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      [wiki.json?.token_endpoint_auth_method, wiki.json?.redirect_uris],
      ['client_secret_basic', ['https://wiki.example.com/cb', 'https://wiki.example.com/cb2']],
    );
    const spa = await firstkey(
      'oidc',
      'client',
      'add',
      '--name',
      'SPA',
      '--redirect-uri',
      'http://localhost:5173/cb',
      '--public',
    );
    assert.equal(spa.code, 0, spa.stderr);
    assert.equal(spa.json?.client_secret, undefined);
    assert.equal(spa.json?.token_endpoint_auth_method, 'none');
    const refused = await firstkey(
      'oidc',
      'client',
      'add',
      '--name',
      'Bad',
      '--redirect-uri',
      'http://app.example.com/cb',
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /https/);
  });

  test('scim token create prints the token once; list shows no secret; revoke refuses it from then on', async () => {
    const created = await firstkey('scim', 'token', 'create', '--name', 'Okta');
    assert.equal(created.code, 0, created.stderr);
    const token = String(created.json?.token);
    assert.match(token, /^fkscim_[A-Za-z0-9_-]{43}$/);
    assert.match(String(created.json?.baseUrl), /\/scim\/v2$/);
    const listed = await firstkey('scim', 'token', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(!JSON.stringify(listed.json).includes(token));
    assert.ok(JSON.stringify(listed.json).includes(String(created.json?.id)));
    const revoked = await firstkey('scim', 'token', 'revoke', '--id', String(created.json?.id));
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.ok(revoked.json?.revokedAt);
    const again = await firstkey('scim', 'token', 'revoke', '--id', String(created.json?.id));
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already revoked/);
    assert.equal((await firstkey('scim', 'token', 'create')).code, 2);
  });

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
});
