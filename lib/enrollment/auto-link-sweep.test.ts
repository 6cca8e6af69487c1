import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

// Links with no human step: the sweep issues the link of a person whose start date enters the window
// after their laptop arrived, exactly once. Nothing is delivered here (the outbox row is the push).
process.env.FIRSTKEY_MDM_PUSH_URL = 'http://127.0.0.1:9/mdm';
process.env.FIRSTKEY_MDM_PUSH_SECRET = `whsec_${Buffer.from('sweep-test-mdm-push-secret').toString('base64')}`;

const { db, writeTransaction } = await import('@/lib/db');
const { sweepAutoLinks, startDatesInWindow } = await import('@/lib/enrollment/auto-link-sweep');
const { AUTO_LINK_WINDOW } = await import('@/lib/enrollment/policy');
const { issueLink, revokeOpenLink } = await import('@/lib/enrollment/issue-link');
const { applyHrEvent } = await import('@/lib/hr/events');
const { addHire } = await import('@/lib/hires/add-hire');
const { registerDevice } = await import('@/lib/hires/register-device');
const { revokePasskeys } = await import('@/lib/access/revocation');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { enrolledPerson, TEST_ORIGIN } = await import('@/lib/testing/enrolled');

const TZ = 'UTC';
let sequence = 0;

/** A person with a laptop registered now by `by`, starting on `startDate`. */
async function readyPerson(startDate: string, by: 'mdm' | 'hr' | 'cli' = 'mdm') {
  sequence += 1;
  const employeeId = `SW${sequence}`;
  const at = new Date();
  const added = await addHire(
    db(),
    { employeeId, name: `Sweep ${sequence}`, email: `sw${sequence}@example.com`, startDate },
    { actor: { type: 'hr' }, at },
  );
  assert.ok(added.ok);
  const laptop = await deviceCertificate(employeeId);
  const registered = await registerDevice(
    db(),
    { employeeId, serial: `SN-${employeeId}`, certificatePem: laptop.pem },
    { actor: { type: by }, at },
  );
  assert.ok(registered.ok);
  return { employeeId, userId: added.hire.id };
}

const sweep = (at: Date) => sweepAutoLinks(db(), { at, origin: TEST_ORIGIN, timeZone: TZ });
const links = (userId: string) => db().bridgeToken.findMany({ where: { userId } });
const state = async (userId: string) =>
  (await db().user.findUniqueOrThrow({ where: { id: userId } })).enrollmentState;

describe('the window', () => {
  test('opens when a link would be valid (3 days before the start day) and closes 30 days after it', () => {
    const opens = new Date('2027-03-12T00:00:00Z');
    assert.ok(startDatesInWindow(opens, TZ).includes('2027-03-15'));
    assert.ok(!startDatesInWindow(new Date(opens.getTime() - 1), TZ).includes('2027-03-15'));
    const closes = new Date(
      Date.parse('2027-03-16T00:00:00Z') - 1 + AUTO_LINK_WINDOW.afterStartDay,
    );
    assert.ok(startDatesInWindow(closes, TZ).includes('2027-03-15'));
    assert.ok(!startDatesInWindow(new Date(closes.getTime() + 1), TZ).includes('2027-03-15'));
    // In Berlin the start day begins an hour earlier than in UTC, and so does the window.
    assert.ok(
      startDatesInWindow(new Date('2027-03-11T23:00:00Z'), 'Europe/Berlin').includes('2027-03-15'),
    );
  });
});

describe('the sweep', () => {
  test('a laptop assigned weeks ahead: no link until the window opens, then exactly one, pushed; a second run does nothing', async () => {
    const hire = await readyPerson('2027-04-15');
    const opens = new Date('2027-04-12T00:00:00Z');

    await sweep(new Date(opens.getTime() - 1));
    assert.equal((await links(hire.userId)).length, 0);
    assert.equal(await state(hire.userId), 'ready');

    await sweep(opens);
    const [link, ...more] = await links(hire.userId);
    assert.equal(more.length, 0);
    assert.deepEqual([link!.notBefore, link!.issuedBy], [opens, 'system']);
    assert.equal(await state(hire.userId), 'invited');
    const push = await db().outboxMessage.findFirstOrThrow({
      where: { userId: hire.userId, channel: 'mdm_push' },
    });
    assert.ok(push.sealed);
    const issued = await db().auditEvent.findFirstOrThrow({
      where: { userId: hire.userId, action: 'link_issued' },
    });
    assert.equal(JSON.parse(issued.details).reason, 'sweep');

    assert.deepEqual(await sweep(opens), { issued: 0 });
    assert.deepEqual(await sweep(new Date(opens.getTime() + 3_600_000)), { issued: 0 });
    assert.equal((await links(hire.userId)).length, 1);
    assert.equal(
      await db().outboxMessage.count({ where: { userId: hire.userId, channel: 'mdm_push' } }),
      1,
    );
  });

  test('two instances sweeping at the same moment issue one link', async () => {
    const hire = await readyPerson('2027-05-20');
    const at = new Date('2027-05-18T09:00:00Z');
    const [a, b] = await Promise.all([sweep(at), sweep(at)]);
    assert.equal(a.issued + b.issued, 1);
    assert.equal((await links(hire.userId)).length, 1);
  });

  test('an HR joiner with a laptop weeks ahead gets no link at once; the sweep issues it when the window opens', async () => {
    sequence += 1;
    const employeeId = `SWHR${sequence}`;
    const laptop = await deviceCertificate(employeeId);
    const joined = await applyHrEvent(
      db(),
      {
        webhookId: `evt_${employeeId}`,
        occurredAt: new Date(),
        event: {
          type: 'joiner',
          data: {
            employeeId,
            name: 'Hal Early',
            email: `${employeeId.toLowerCase()}@example.com`,
            startDate: '2027-06-21',
            device: { serial: 'SN-HAL', certificatePem: laptop.pem },
          },
        },
        origin: TEST_ORIGIN,
      },
      new Date(),
    );
    assert.ok(joined.ok && !joined.duplicate);
    assert.deepEqual([joined.outcome, joined.linkIssued], ['created', false]);
    const userId = (await db().user.findUniqueOrThrow({ where: { employeeId } })).id;
    await sweep(new Date('2027-06-18T00:00:00Z'));
    assert.equal((await links(userId)).length, 1);
  });

  test('leaves alone: a laptop IT registered by hand, a link IT revoked, a start date past the window, anyone who had a passkey', async () => {
    const at = new Date('2027-07-12T00:00:00Z');
    const byHand = await readyPerson('2027-07-13', 'cli');
    const revoked = await readyPerson('2027-07-13');
    const issued = await issueLink(
      db(),
      { employeeId: revoked.employeeId },
      { actor: { type: 'cli' }, at, origin: TEST_ORIGIN },
    );
    assert.ok(issued.ok);
    await revokeOpenLink(
      db(),
      { userId: revoked.userId, reason: 'sent to the wrong laptop' },
      { actor: { type: 'cli' }, at },
    );
    assert.equal(await state(revoked.userId), 'revoked');
    const long = await readyPerson('2027-06-01');

    const today = new Date();
    const hadPasskey = await enrolledPerson({ employeeId: `SWP${sequence}` });
    await writeTransaction(db(), async (tx) => {
      const result = await revokePasskeys(tx, {
        userId: hadPasskey.id,
        at: today,
        actor: { type: 'cli' },
        reason: 'lost laptop',
      });
      assert.ok(result.ok);
    });
    const newLaptop = await deviceCertificate(`${hadPasskey.employeeId}-new`);
    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId: hadPasskey.employeeId, serial: 'SN-P2', certificatePem: newLaptop.pem },
          { actor: { type: 'mdm' }, at: today },
        )
      ).ok,
    );
    assert.equal(await state(hadPasskey.id), 'ready');
    const before = await Promise.all(
      [byHand, revoked, long].map(async (person) => (await links(person.userId)).length),
    );
    const hadBefore = (await links(hadPasskey.id)).length;

    await sweep(at);
    await sweep(today);
    assert.deepEqual(
      await Promise.all(
        [byHand, revoked, long].map(async (person) => (await links(person.userId)).length),
      ),
      before,
    );
    assert.deepEqual(before, [0, 1, 0]);
    assert.equal((await links(hadPasskey.id)).length, hadBefore);
  });
});
