import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ADA, dataDir, firstkey } from './testing';

// The firstkey CLI: hire add, device, invite and admin bootstrap, on one database (the tests build on each other, in order). Shared set-up in cli/testing.ts.

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
});
