import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import { hireDetail } from '@/lib/console/hire-detail';
import { revokePasskey } from '@/lib/access/revoke-passkey';
import { deviceCertificate } from '@/lib/testing/certificates';

const cli = { actor: { type: 'cli' } as const, at: new Date() };

describe('the hire page offers what the actions accept', () => {
  test('after the last passkey is removed, "Issue link" is not offered (it needs a recovery), and nobody is offered their own recovery', async () => {
    const added = await addHire(
      db(),
      { employeeId: 'HD1', name: 'Dana Detail', email: 'hd1@example.com', startDate: '2026-12-01' },
      cli,
    );
    const it = await addHire(
      db(),
      {
        employeeId: 'HD2',
        name: 'Ian It',
        email: 'hd2@example.com',
        startDate: '2026-12-01',
        role: 'it',
      },
      cli,
    );
    assert.ok(added.ok && it.ok);
    const viewer = { id: it.hire.id };
    const before = await hireDetail(db(), 'HD1', { at: new Date(), viewer });
    assert.equal(before?.allowed.issueLink.allowed, false);
    assert.match(before?.allowed.issueLink.why ?? '', /no registered device/);

    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId: 'HD1', serial: 'S1', certificatePem: (await deviceCertificate('HD1')).pem },
          cli,
        )
      ).ok,
    );
    const ready = await hireDetail(db(), 'HD1', { at: new Date(), viewer });
    assert.deepEqual(
      [ready?.allowed.issueLink.allowed, ready?.allowed.requestRecovery.allowed],
      [true, true],
    );

    const passkey = await db().passkey.create({
      data: {
        userId: added.hire.id,
        credentialId: 'hd-1',
        publicKey: Buffer.from([1]),
        aaguid: '0',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    await db().user.update({ where: { id: added.hire.id }, data: { enrollmentState: 'enrolled' } });
    assert.ok((await revokePasskey(db(), { passkeyId: passkey.id, reason: 'stolen' }, cli)).ok);
    const after = await hireDetail(db(), 'HD1', { at: new Date(), viewer });
    assert.equal(after?.user.enrollmentState, 'ready');
    assert.equal(after?.allowed.issueLink.allowed, false);
    assert.match(after?.allowed.issueLink.why ?? '', /two-person recovery/);

    const own = await hireDetail(db(), 'HD1', { at: new Date(), viewer: { id: added.hire.id } });
    assert.equal(own?.allowed.requestRecovery.allowed, false);
  });
});
