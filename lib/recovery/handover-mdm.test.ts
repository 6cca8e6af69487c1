import assert from 'node:assert/strict';
import { test } from 'node:test';

// With an MDM push configured, an approved recovery link goes to the laptop like any other link, and
// nothing waits for a person to hand over. The push is only queued here (no worker runs), so no
// receiver is needed.
process.env.FIRSTKEY_MDM_PUSH_URL = 'http://127.0.0.1:9/mdm';
process.env.FIRSTKEY_MDM_PUSH_SECRET = `whsec_${Buffer.from('handover-mdm-test-secret').toString('base64')}`;

const { POST: requestRoute } = await import('@/app/api/it/hires/[employeeId]/recovery/route');
const { POST: decideRoute } = await import('@/app/api/recovery/[requestId]/route');
const { db } = await import('@/lib/db');
const { addHire } = await import('@/lib/hires/add-hire');
const { registerDevice } = await import('@/lib/hires/register-device');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { staffSessionCookie } = await import('@/lib/testing/staff-session');

const actor = { type: 'cli' } as const;

async function person(employeeId: string, options: { role?: 'it' | 'manager'; manager?: string }) {
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Person ${employeeId}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: '2026-11-01',
      role: options.role,
      managerEmployeeId: options.manager,
    },
    { actor, at: new Date() },
  );
  assert.ok(added.ok);
  return { id: added.hire.id, employeeId };
}

function post(cookie: string, body: unknown) {
  return new Request('https://localhost:3443/x', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://localhost:3443', cookie },
    body: JSON.stringify(body),
  });
}

test('with an MDM configured, an approved recovery link is pushed to the laptop and waits for nobody', async () => {
  const asker = await person('MA1', { role: 'it' });
  const manager = await person('MM1', { role: 'manager' });
  const hire = await person('MH1', { manager: manager.employeeId });
  const laptop = await deviceCertificate(hire.employeeId);
  assert.ok(
    (
      await registerDevice(
        db(),
        { employeeId: hire.employeeId, serial: 'SN-MH1', certificatePem: laptop.pem },
        { actor, at: new Date() },
      )
    ).ok,
  );
  const asked = (await (
    await requestRoute(
      post(await staffSessionCookie(asker.id), { reason: 'Laptop stolen', revokePasskeys: true }),
      { params: Promise.resolve({ employeeId: hire.employeeId }) },
    )
  ).json()) as { requestId: string };

  const response = await decideRoute(
    post(await staffSessionCookie(manager.id), { decision: 'approve' }),
    { params: Promise.resolve({ requestId: asked.requestId }) },
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    decision: 'approved',
    handover: { to: 'mdm', deviceSerial: 'SN-MH1' },
  });
  assert.equal(await db().recoveryHandover.count(), 0);
  const pushes = await db().outboxMessage.findMany({
    where: { userId: hire.id, channel: 'mdm_push' },
  });
  assert.equal(pushes.length, 1);
  assert.ok(pushes[0]!.sealed);
});
