import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

// Without an MDM to push to (no FIRSTKEY_MDM_PUSH_URL in this process), an automatic link would reach
// nobody: nothing is issued, and the person waits in `ready` for IT to issue and hand over the link.
delete process.env.FIRSTKEY_MDM_PUSH_URL;
delete process.env.FIRSTKEY_MDM_PUSH_SECRET;

const { db } = await import('@/lib/db');
const { issueLinkIfReady } = await import('@/lib/enrollment/auto-link');
const { applyHrEvent } = await import('@/lib/hr/events');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { TEST_ORIGIN } = await import('@/lib/testing/enrolled');

describe('no MDM configured', () => {
  test('an HR joiner with a laptop starting today gets no link it could not receive; IT issues it', async () => {
    const laptop = await deviceCertificate('NOMDM1');
    const at = new Date();
    const joined = await applyHrEvent(
      db(),
      {
        webhookId: 'evt_nomdm_1',
        occurredAt: at,
        event: {
          type: 'joiner',
          data: {
            employeeId: 'NOMDM1',
            name: 'Nora Nomdm',
            email: 'nomdm1@example.com',
            startDate: at.toISOString().slice(0, 10),
            device: { serial: 'SN-NOMDM', certificatePem: laptop.pem },
          },
        },
        origin: TEST_ORIGIN,
      },
      at,
    );
    assert.ok(joined.ok && !joined.duplicate);
    assert.deepEqual([joined.outcome, joined.linkIssued], ['created', false]);
    const person = await db().user.findUniqueOrThrow({ where: { employeeId: 'NOMDM1' } });
    assert.equal(person.enrollmentState, 'ready');
    assert.equal(await db().bridgeToken.count({ where: { userId: person.id } }), 0);
    assert.deepEqual(
      await issueLinkIfReady(
        db(),
        { employeeId: 'NOMDM1' },
        { actor: { type: 'system' }, at, origin: TEST_ORIGIN, reason: 'test' },
      ),
      { issued: false, skipped: 'no_mdm' },
    );
  });
});
