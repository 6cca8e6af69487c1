import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadEnv } from '@/lib/env';

describe('configuration', () => {
  test('defaults: port 3443, data under ./.firstkey, SQLite there, direct device certificates', () => {
    const config = loadEnv({});
    assert.equal(config.port, 3443);
    assert.equal(config.origin, 'https://localhost:3443');
    assert.equal(config.rpId, 'localhost');
    assert.equal(config.dataDir, path.resolve('.firstkey'));
    assert.equal(config.databaseUrl, `file:${path.resolve('.firstkey', 'firstkey.db')}`);
    assert.equal(config.deviceCertMode, 'direct');
  });

  test('the time zone: UTC unless named; an unknown zone refuses to start, naming what it got', () => {
    assert.equal(loadEnv({}).timeZone, 'UTC');
    assert.equal(loadEnv({ FIRSTKEY_TIME_ZONE: 'Europe/Berlin' }).timeZone, 'Europe/Berlin');
    assert.throws(
      () => loadEnv({ FIRSTKEY_TIME_ZONE: 'Europe/Atlantis' }),
      /FIRSTKEY_TIME_ZONE must be an IANA time zone such as "Europe\/Berlin"; got "Europe\/Atlantis"/,
    );
  });

  test('the help contact: none unless set (the pages then say "your IT team"), trimmed, and never blank', () => {
    assert.equal(loadEnv({}).helpContact, null);
    assert.equal(
      loadEnv({ FIRSTKEY_HELP_CONTACT: '  the IT desk, +1 555 0100 ' }).helpContact,
      'the IT desk, +1 555 0100',
    );
    assert.throws(() => loadEnv({ FIRSTKEY_HELP_CONTACT: '   ' }), /FIRSTKEY_HELP_CONTACT/);
  });

  test('proxy mode without the shared secret refuses to start', () => {
    assert.throws(
      () => loadEnv({ FIRSTKEY_DEVICE_CERT_MODE: 'proxy' }),
      /FIRSTKEY_PROXY_SECRET is required/,
    );
    assert.throws(
      () => loadEnv({ FIRSTKEY_DEVICE_CERT_MODE: 'proxy', FIRSTKEY_PROXY_SECRET: 'short' }),
      /at least 32 characters/,
    );
    assert.equal(
      loadEnv({ FIRSTKEY_DEVICE_CERT_MODE: 'proxy', FIRSTKEY_PROXY_SECRET: 'x'.repeat(32) })
        .deviceCertMode,
      'proxy',
    );
  });

  test('bad values are named in the error', () => {
    assert.throws(() => loadEnv({ PORT: 'eighty' }), /PORT/);
    assert.throws(
      () => loadEnv({ FIRSTKEY_ORIGIN: 'http://portal.example.com' }),
      /FIRSTKEY_ORIGIN must be an https:\/\/ URL/,
    );
    assert.throws(() => loadEnv({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must start with/);
    assert.throws(() => loadEnv({ FIRSTKEY_TLS_CERT: '/x.pem' }), /must be set together/);
  });

  test('the outbox key and worker switch are read here like everything else', () => {
    assert.deepEqual([loadEnv({}).outboxKey, loadEnv({}).outboxWorker], [null, true]);
    assert.equal(loadEnv({ FIRSTKEY_OUTBOX_WORKER: 'off' }).outboxWorker, false);
    assert.throws(() => loadEnv({ FIRSTKEY_OUTBOX_WORKER: 'no' }), /FIRSTKEY_OUTBOX_WORKER/);
    assert.throws(
      () => loadEnv({ FIRSTKEY_OUTBOX_KEY: 'c2hvcnQ' }),
      /FIRSTKEY_OUTBOX_KEY must be 32 bytes/,
    );
    assert.equal(
      loadEnv({ FIRSTKEY_OUTBOX_KEY: Buffer.alloc(32, 7).toString('base64url') }).outboxKey?.length,
      43,
    );
  });

  test('the public origin sets the WebAuthn relying party id', () => {
    const config = loadEnv({ FIRSTKEY_ORIGIN: 'https://day1.example.com' });
    assert.equal(config.rpId, 'day1.example.com');
    assert.equal(config.origin, 'https://day1.example.com');
  });
});
