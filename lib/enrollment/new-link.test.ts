import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST as askRoute } from '@/app/api/enroll/new-link/route';
import { POST as peek } from '@/app/api/enroll/peek/route';
import { POST as redeem } from '@/app/api/enroll/redeem/route';
import { attentionPanel } from '@/lib/console/attention';
import { resolveAttentionItem } from '@/lib/console/resolve-attention';
import { db } from '@/lib/db';
import { askForNewLink, NEW_LINK_REQUEST } from '@/lib/enrollment/ask-for-link';
import { issueLink } from '@/lib/enrollment/issue-link';
import { NEW_LINK_REQUESTS } from '@/lib/enrollment/policy';
import { referenceOf } from '@/lib/enrollment/reference';
import { addHire } from '@/lib/hires/add-hire';
import { listHires, parseHireListQuery } from '@/lib/hires/console-list';
import { registerDevice } from '@/lib/hires/register-device';
import { hashSecret } from '@/lib/crypto';
import { apiRequest, cookieFrom, json } from '@/lib/testing/api';
import { deviceCertificate } from '@/lib/testing/certificates';
import { enrolledPerson, TEST_ORIGIN } from '@/lib/testing/enrolled';

// "Ask IT for a new link" on a failure page, through the real route and a real database.
let sequence = 0;
const request = { ip: '192.0.2.44', userAgent: 'integration-test' };

async function hireWithLink() {
  sequence += 1;
  const employeeId = `ASK${sequence}`;
  const at = new Date();
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Asker ${sequence}`,
      email: `ask${sequence}@example.com`,
      startDate: at.toISOString().slice(0, 10),
    },
    { actor: { type: 'cli' }, at },
  );
  assert.ok(added.ok);
  const laptop = await deviceCertificate(employeeId);
  const registered = await registerDevice(
    db(),
    { employeeId, serial: `SN-${employeeId}`, certificatePem: laptop.pem },
    { actor: { type: 'cli' }, at },
  );
  assert.ok(registered.ok);
  const link = await issueLink(
    db(),
    { employeeId },
    { actor: { type: 'cli' }, at, origin: TEST_ORIGIN },
  );
  assert.ok(link.ok);
  const token = new URL(link.url).hash.slice(1);
  const row = await db().bridgeToken.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });
  return {
    userId: added.hire.id,
    employeeId,
    token,
    linkId: row.id,
    // Just after the link's own end: it has expired.
    afterExpiry: new Date(row.expiresAt.getTime() + 60_000),
    peer: { fingerprint: laptop.fingerprint, ip: `198.51.100.${sequence}` },
  };
}

function openRequests(userId: string) {
  return db().attentionItem.findMany({
    where: { kind: NEW_LINK_REQUEST, userId, resolvedAt: null },
  });
}

describe('ask IT for a new link', () => {
  test('an expired link on its own laptop raises one attention item for IT, audited, that the console search finds by its reference', async () => {
    const hire = await hireWithLink();
    const at = hire.afterExpiry;
    const asked = await askForNewLink(db(), { token: hire.token, peer: hire.peer, request, at });
    assert.deepEqual(asked, {
      ok: true,
      answer: 'requested',
      reference: referenceOf(hire.linkId),
    });

    const [item, ...more] = await openRequests(hire.userId);
    assert.equal(more.length, 0);
    assert.match(item!.message, /the link expired/);
    assert.ok(item!.message.includes(referenceOf(hire.linkId)));
    const audit = await db().auditEvent.findMany({
      where: { userId: hire.userId, action: 'new_link_requested' },
    });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.subjectId, item!.id);
    assert.equal(audit[0]!.ip, request.ip);

    const panel = await attentionPanel(db(), at, { id: 'nobody', roles: ['it'] }, 1000);
    assert.ok(panel.helpRequests.some((help) => help.id === item!.id));

    // IT reads the code off the phone, in any case, with or without the dash.
    for (const q of [
      referenceOf(hire.linkId),
      referenceOf(hire.linkId).toLowerCase().replace('-', ''),
    ]) {
      const { rows } = await listHires(db(), parseHireListQuery({ q }).query);
      assert.deepEqual(
        rows.map((row) => row.employeeId),
        [hire.employeeId],
      );
    }
  });

  test('a second press, and ten at once, find the open request instead of raising another', async () => {
    const hire = await hireWithLink();
    const at = hire.afterExpiry;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        askForNewLink(db(), { token: hire.token, peer: hire.peer, request, at }),
      ),
    );
    assert.deepEqual(answers.map((answer) => answer.answer).sort(), [
      ...Array(9).fill('already_requested'),
      'requested',
    ]);
    assert.equal((await openRequests(hire.userId)).length, 1);
    assert.equal(
      await db().auditEvent.count({ where: { userId: hire.userId, action: 'new_link_requested' } }),
      1,
    );
  });

  test(`at most ${NEW_LINK_REQUESTS.perPersonPerWindow} requests a day, even when IT handles each one; a day later the person may ask again`, async () => {
    const hire = await hireWithLink();
    const it = await enrolledPerson({ employeeId: `ASKIT${sequence}`, role: 'it' });
    let at = hire.afterExpiry;
    for (let i = 0; i < NEW_LINK_REQUESTS.perPersonPerWindow; i++) {
      const asked = await askForNewLink(db(), { token: hire.token, peer: hire.peer, request, at });
      assert.equal(asked.answer, 'requested');
      const [item] = await openRequests(hire.userId);
      assert.ok(
        (await resolveAttentionItem(db(), { itemId: item!.id }, { actorId: it.id, at })).ok,
      );
      at = new Date(at.getTime() + 60_000);
    }
    const refused = await askForNewLink(db(), { token: hire.token, peer: hire.peer, request, at });
    assert.equal(refused.answer, 'throttled');
    assert.ok(!refused.ok && refused.retryAfterSeconds! > 0);
    assert.equal((await openRequests(hire.userId)).length, 0);

    const nextDay = new Date(hire.afterExpiry.getTime() + NEW_LINK_REQUESTS.window + 1);
    assert.equal(
      (await askForNewLink(db(), { token: hire.token, peer: hire.peer, request, at: nextDay }))
        .answer,
      'requested',
    );
  });

  test('another laptop, no certificate, an unknown token and a link that still works raise nothing', async () => {
    const hire = await hireWithLink();
    const stranger = await deviceCertificate(`STRANGER${sequence}`);
    const at = hire.afterExpiry;
    const cases = [
      { token: hire.token, peer: { fingerprint: stranger.fingerprint, ip: '203.0.113.9' }, at },
      { token: hire.token, peer: { fingerprint: null, ip: '203.0.113.9' }, at },
      { token: 'Q'.repeat(43), peer: hire.peer, at },
      { token: hire.token, peer: hire.peer, at: new Date() },
    ];
    const answers = [];
    for (const attempt of cases)
      answers.push((await askForNewLink(db(), { ...attempt, request })).answer);
    assert.deepEqual(answers, ['wrong_device', 'no_certificate', 'unknown', 'not_needed']);
    assert.equal(await db().attentionItem.count({ where: { userId: hire.userId } }), 0);
  });

  test('the route answers in the page\u2019s words, with the reference; bad input is a 400', async () => {
    const hire = await hireWithLink();
    await db().bridgeToken.update({
      where: { id: hire.linkId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await askRoute(
      apiRequest('/api/enroll/new-link', hire.peer, { body: { token: hire.token } }),
    );
    assert.equal(response.status, 200);
    const body = await json<{ answer: string; reference: string; message: string }>(response);
    assert.equal(body.answer, 'requested');
    assert.equal(body.reference, referenceOf(hire.linkId));
    assert.match(body.message, /IT has your request/);
    const bad = await askRoute(
      apiRequest('/api/enroll/new-link', hire.peer, { body: { token: 1 } }),
    );
    assert.equal(bad.status, 400);
  });
});

describe('ask IT for a new link after a reload (the page no longer has the link)', () => {
  test('the lapsed enrollment session\u2019s cookie names the link; without link or cookie nothing is raised', async () => {
    const hire = await hireWithLink();
    const redeemed = await redeem(
      apiRequest('/api/enroll/redeem', hire.peer, { body: { token: hire.token } }),
    );
    assert.equal(redeemed.status, 200);
    const cookie = cookieFrom(redeemed);
    const nothing = await askRoute(apiRequest('/api/enroll/new-link', hire.peer, { body: {} }));
    assert.equal(nothing.status, 404);
    // The session lapses (standing in for 10 minutes passing).
    await db().enrollmentSession.updateMany({
      where: { userId: hire.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const asked = await askRoute(
      apiRequest('/api/enroll/new-link', { ...hire.peer, cookie }, { body: {} }),
    );
    assert.equal(asked.status, 200);
    assert.equal((await json<{ reference: string }>(asked)).reference, referenceOf(hire.linkId));
    const [item] = await openRequests(hire.userId);
    assert.match(item!.message, /the 10-minute enrollment window closed/);
  });
});

describe('"already used" seen by its own enrolled owner', () => {
  test('the owner on their laptop is told they are set up and where to go; anyone else still sees "used"', async () => {
    sequence += 1;
    const person = await enrolledPerson({ employeeId: `OWNER${sequence}` });
    const own = await peek(
      apiRequest('/api/enroll/peek', person.laptop, { body: { token: person.token } }),
    );
    assert.equal(own.status, 409);
    const ownBody = await json<{ error: { code: string; message: string } }>(own);
    assert.equal(ownBody.error.code, 'already_enrolled');
    assert.match(ownBody.error.message, /\/signin/);
    assert.match(ownBody.error.message, /\/account/);
    assert.doesNotMatch(ownBody.error.message, /contact IT/i);

    const stranger = await deviceCertificate(`OTHER${sequence}`);
    const other = await peek(
      apiRequest(
        '/api/enroll/peek',
        { fingerprint: stranger.fingerprint, ip: '203.0.113.77' },
        { body: { token: person.token } },
      ),
    );
    assert.equal(other.status, 409);
    assert.equal((await json<{ error: { code: string } }>(other)).error.code, 'used');

    // Without a working passkey (all revoked), the owner is not "set up": the link is just used.
    await db().passkey.updateMany({
      where: { userId: person.id },
      data: { revokedAt: new Date(), revokedReason: 'test' },
    });
    const revoked = await peek(
      apiRequest('/api/enroll/peek', person.laptop, { body: { token: person.token } }),
    );
    assert.equal((await json<{ error: { code: string } }>(revoked)).error.code, 'used');
  });
});
