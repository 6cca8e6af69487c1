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
// Not the test process's DATABASE_URL: the CLI finds its database in its data folder by default.
// (Node leaves out variables whose value is undefined.)
const cliEnv = { ...process.env, FIRSTKEY_DATA_DIR: dataDir, DATABASE_URL: undefined };

async function firstkey(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/firstkey.mjs', ...args], { env: cliEnv });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, json: null, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const ADA = ['--employee-id', 'E100', '--name', 'Ada Lovelace', '--email', 'ada@example.com', '--start-date', '2026-12-01'];

describe('firstkey CLI', () => {
  test('hire add → device issue-cert → device register → status shows the hire ready', async () => {
    const added = await firstkey('hire', 'add', ...ADA);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.json?.state, 'awaiting_device');

    const out = path.join(dataDir, 'device-E100');
    const cert = await firstkey('device', 'issue-cert', '--employee-id', 'E100', '--out', out);
    assert.equal(cert.code, 0, cert.stderr);
    for (const file of ['device.pem', 'device-key.pem', 'device.p12']) assert.ok(fs.existsSync(path.join(out, file)), file);
    assert.equal((fs.statSync(path.join(out, 'device-key.pem')).mode & 0o777).toString(8), '600');

    const registered = await firstkey('device', 'register', '--employee-id', 'E100', '--serial', 'SN-100', '--cert', path.join(out, 'device.pem'));
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
      [['hire', 'add', ...ADA.slice(0, 6), '--start-date', '2026-02-30'], /--start-date: Not a calendar date/],
      [['hire', 'add', '--employee-id', 'E1', '--name', 'X', '--email', 'nope', '--start-date', '2026-12-01'], /--email: Expected an email address/],
      [['hire', 'add', '--employee-id', 'E1'], /--name/],
      [['hire', 'add', '--employee-id', 'E1', '--name', 'X', '--email', 'x@example.com', '--start-date', '2026-12-01', '--role', 'root'], /--role/],
      [['device', 'register', '--employee-id', 'NOBODY', '--serial', 'S', '--cert', 'package.json'], /Expected a PEM certificate/],
      [['device', 'register', '--employee-id', 'E100', '--serial', 'S', '--cert', '/does/not/exist.pem'], /--cert: cannot read "\/does\/not\/exist.pem" \(ENOENT\)/],
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
    const result = await firstkey('device', 'register', '--employee-id', 'GHOST', '--serial', 'S', '--cert', path.join(out, 'device.pem'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No person with employee id "GHOST"/);
  });
});
