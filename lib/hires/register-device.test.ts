import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '@/lib/audit/actor';
import { verifyAuditChain } from '@/lib/audit/verify';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import { hireStatuses } from '@/lib/hires/status';
import { deviceCertificate } from '@/lib/testing/certificates';

const actor: Actor = { type: 'cli' };
const at = new Date('2026-11-25T09:00:00Z');

async function hire(employeeId: string) {
  const result = await addHire(
    db(),
    {
      employeeId,
      name: `Hire ${employeeId}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: '2026-12-01',
    },
    { actor, at },
  );
  assert.ok(result.ok);
  return result.hire;
}

async function state(employeeId: string) {
  return (await hireStatuses(db(), { employeeId }))[0]?.state;
}

describe('registering a hire and their device', () => {
  test('a new hire awaits a device; registering one makes them ready, audited in order', async () => {
    const created = await hire('D1');
    assert.equal(await state('D1'), 'awaiting_device');
    const device = await deviceCertificate('D1');
    const result = await registerDevice(
      db(),
      { employeeId: 'D1', serial: 'SN-D1', certificatePem: device.pem },
      { actor, at },
    );
    assert.ok(result.ok);
    assert.equal(result.device.fingerprint, device.fingerprint);
    assert.equal(await state('D1'), 'ready');
    const actions = await db().auditEvent.findMany({
      where: { userId: created.id },
      orderBy: { seq: 'asc' },
      select: { action: true },
    });
    assert.deepEqual(
      actions.map((row) => row.action),
      ['hire_added', 'device_registered', 'state_changed'],
    );
    assert.ok((await verifyAuditChain(db())).ok);
  });

  test('a certificate already bound to a device cannot be registered again, for anyone', async () => {
    await hire('D2');
    await hire('D3');
    const device = await deviceCertificate('D2');
    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId: 'D2', serial: 'SN-D2', certificatePem: device.pem },
          { actor, at },
        )
      ).ok,
    );
    const again = await registerDevice(
      db(),
      { employeeId: 'D3', serial: 'SN-D3', certificatePem: device.pem },
      { actor, at },
    );
    assert.deepEqual(again.ok ? null : again.reason, 'certificate_in_use');
    assert.equal(await state('D3'), 'awaiting_device');
  });

  test('two registrations of one certificate at once: exactly one wins', async () => {
    await hire('D4');
    await hire('D5');
    const device = await deviceCertificate('D4');
    const results = await Promise.all(
      ['D4', 'D5'].map((employeeId) =>
        registerDevice(
          db(),
          { employeeId, serial: `SN-${employeeId}`, certificatePem: device.pem },
          { actor, at },
        ),
      ),
    );
    assert.equal(results.filter((result) => result.ok).length, 1);
    assert.equal(await db().device.count({ where: { certFingerprint: device.fingerprint } }), 1);
  });

  test('replacing a device retires the old one and revokes the links bound to it', async () => {
    const created = await hire('D6');
    const oldDevice = await deviceCertificate('D6-old');
    const first = await registerDevice(
      db(),
      { employeeId: 'D6', serial: 'OLD', certificatePem: oldDevice.pem },
      { actor, at },
    );
    assert.ok(first.ok);
    const link = await db().bridgeToken.create({
      data: {
        userId: created.id,
        deviceId: first.device.id,
        tokenHash: 'f'.repeat(64),
        issuedBy: 'cli',
        notBefore: at,
        expiresAt: new Date(at.getTime() + 3_600_000),
      },
    });
    const newDevice = await deviceCertificate('D6-new');
    const second = await registerDevice(
      db(),
      { employeeId: 'D6', serial: 'NEW', certificatePem: newDevice.pem },
      { actor, at },
    );
    assert.ok(second.ok);
    assert.equal(second.replaced, 'OLD');
    const old = await db().device.findUniqueOrThrow({ where: { id: first.device.id } });
    assert.ok(old.retiredAt);
    const revoked = await db().bridgeToken.findUniqueOrThrow({ where: { id: link.id } });
    assert.equal(revoked.revokedReason, 'device_replaced');
    assert.equal((await hireStatuses(db(), { employeeId: 'D6' }))[0]?.device?.serial, 'NEW');
  });

  test('bad input is refused and nothing is written', async () => {
    await hire('D7');
    const before = await db().auditEvent.count();
    const cases = [
      {
        employeeId: 'NOPE',
        certificatePem: (await deviceCertificate('x')).pem,
        reason: 'unknown_employee',
      },
      { employeeId: 'D7', certificatePem: 'not a certificate', reason: 'bad_certificate' },
    ];
    for (const { employeeId, certificatePem, reason } of cases) {
      const result = await registerDevice(
        db(),
        { employeeId, serial: 'SN', certificatePem },
        { actor, at },
      );
      assert.deepEqual(result.ok ? null : result.reason, reason);
    }
    const expiredAt = new Date(Date.now() + 400 * 24 * 3_600_000);
    const late = await registerDevice(
      db(),
      { employeeId: 'D7', serial: 'SN', certificatePem: (await deviceCertificate('y')).pem },
      { actor, at: expiredAt },
    );
    assert.deepEqual(late.ok ? null : late.reason, 'certificate_expired');
    assert.equal(await db().auditEvent.count(), before);
    assert.equal(await db().device.count({ where: { user: { employeeId: 'D7' } } }), 0);
  });
});

describe('adding hires', () => {
  test('duplicates and unknown managers are refused with a message naming the value', async () => {
    await hire('H1');
    const input = { name: 'Someone', startDate: '2026-12-01' };
    const dupId = await addHire(
      db(),
      { ...input, employeeId: 'H1', email: 'other@example.com' },
      { actor, at },
    );
    assert.deepEqual(dupId.ok ? null : [dupId.reason, dupId.message], [
      'duplicate_employee_id',
      'A person with employee id "H1" already exists',
    ]);
    const dupEmail = await addHire(
      db(),
      { ...input, employeeId: 'H2', email: 'h1@example.com' },
      { actor, at },
    );
    assert.deepEqual(dupEmail.ok ? null : dupEmail.reason, 'duplicate_email');
    const noManager = await addHire(
      db(),
      { ...input, employeeId: 'H3', email: 'h3@example.com', managerEmployeeId: 'GHOST' },
      { actor, at },
    );
    assert.deepEqual(noManager.ok ? null : noManager.reason, 'unknown_manager');
    assert.equal(await db().user.count({ where: { employeeId: { in: ['H2', 'H3'] } } }), 0);
  });

  test('a hire can have a manager and a staff role', async () => {
    await hire('M1');
    const result = await addHire(
      db(),
      {
        employeeId: 'H4',
        name: 'Grace',
        email: 'grace@example.com',
        startDate: '2026-12-02',
        managerEmployeeId: 'M1',
        role: 'it',
      },
      { actor, at },
    );
    assert.ok(result.ok);
    const [status] = await hireStatuses(db(), { employeeId: 'H4' });
    assert.equal(status?.managerEmployeeId, 'M1');
    assert.deepEqual(status?.roles, ['it']);
  });
});
