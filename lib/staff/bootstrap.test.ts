import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { bootstrapAdmin } from '@/lib/staff/bootstrap';
import { deviceCertificate } from '@/lib/testing/certificates';

const context = { at: new Date(), origin: 'https://localhost:3443' };

describe('bootstrapping the first IT admin', () => {
  test('a refusal half-way leaves nothing behind: no admin without a laptop, no audit event', async () => {
    const laptop = await deviceCertificate('boot-0');
    const first = await bootstrapAdmin(
      db(),
      {
        hire: { employeeId: 'BOOT0', name: 'Zero', email: 'boot0@example.com' },
        certificatePem: laptop.pem,
      },
      context,
    );
    assert.ok(first.ok);
    const audit = await db().auditEvent.count();
    // Same laptop certificate for another would-be admin: refused at the device step, after the person would have been added.
    const again = await bootstrapAdmin(
      db(),
      {
        hire: { employeeId: 'BOOT0B', name: 'Zero B', email: 'boot0b@example.com' },
        certificatePem: laptop.pem,
      },
      context,
    );
    assert.deepEqual(again.ok ? null : again.reason, 'refused');
    assert.equal(await db().user.count({ where: { employeeId: 'BOOT0B' } }), 0);
    assert.equal(await db().auditEvent.count(), audit);
  });

  test('works until an IT admin holds a passkey; then the terminal can no longer mint admins', async () => {
    const laptop = await deviceCertificate('boot-1');
    const first = await bootstrapAdmin(
      db(),
      {
        hire: { employeeId: 'BOOT1', name: 'First', email: 'boot1@example.com' },
        certificatePem: laptop.pem,
      },
      context,
    );
    assert.ok(first.ok);
    const admin = await db().user.findUniqueOrThrow({ where: { employeeId: 'BOOT1' } });
    await db().passkey.create({
      data: {
        userId: admin.id,
        credentialId: 'cred-boot-1',
        publicKey: Buffer.from([1]),
        aaguid: '00000000-0000-0000-0000-000000000000',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    const other = await deviceCertificate('boot-2');
    const second = await bootstrapAdmin(
      db(),
      {
        hire: { employeeId: 'BOOT2', name: 'Second', email: 'boot2@example.com' },
        certificatePem: other.pem,
      },
      context,
    );
    assert.deepEqual(second.ok ? null : second.reason, 'admin_exists');
    assert.equal(await db().user.count({ where: { employeeId: 'BOOT2' } }), 0);
  });
});
