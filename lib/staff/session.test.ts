import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode, encode } from 'next-auth/jwt';
import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { sessionSecret } from '@/lib/secrets';
import { can, type StaffAction } from '@/lib/staff/authorize';
import { SESSION_ABSOLUTE, SESSION_IDLE, FRESH_ASSERTION } from '@/lib/staff/policy';
import { hasFreshAssertion, staffFromSessionCookie, type Staff } from '@/lib/staff/session';
import { signOutSession } from '@/lib/staff/sign-out';
import { signOutEverywhere } from '@/lib/staff/sign-out-everywhere';
import { staffSessionToken } from '@/lib/testing/staff-session';

let sequence = 0;
async function person(role?: 'it' | 'manager', managerEmployeeId?: string) {
  sequence += 1;
  const employeeId = `S${sequence}`;
  const result = await addHire(
    db(),
    {
      employeeId,
      name: `Staff ${sequence}`,
      email: `s${sequence}@example.com`,
      startDate: '2026-12-01',
      role,
      managerEmployeeId,
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(result.ok);
  return { id: result.hire.id, employeeId };
}

describe('staff sessions', () => {
  test('a valid session yields the person with roles read from the database', async () => {
    const it = await person('it');
    const staff = await staffFromSessionCookie(await staffSessionToken(it.id), new Date());
    assert.deepEqual([staff?.employeeId, staff?.roles], [it.employeeId, ['it']]);
  });

  test('a forged, foreign-keyed or garbled cookie is refused', async () => {
    const it = await person('it');
    for (const value of [
      'not-a-jwt',
      'a.b.c.d.e',
      await staffSessionToken(it.id, { secret: 'another-secret-another-secret-1234' }),
      '',
    ]) {
      assert.equal(await staffFromSessionCookie(value, new Date()), null);
    }
  });

  test('idle expiry, the 12-hour absolute lifetime, and sign-out everywhere end sessions', async () => {
    const it = await person('it');
    const expired = await staffSessionToken(it.id, { maxAge: 1 });
    assert.equal(await staffFromSessionCookie(expired, new Date(Date.now() + 2_000)), null);

    const longAgo = await staffSessionToken(it.id, { signedInAt: Date.now() - SESSION_ABSOLUTE });
    assert.equal(await staffFromSessionCookie(longAgo, new Date()), null);
    const almost = await staffSessionToken(it.id, {
      signedInAt: Date.now() - SESSION_ABSOLUTE + 60_000,
    });
    assert.ok(await staffFromSessionCookie(almost, new Date()));

    const live = await staffSessionToken(it.id);
    await signOutEverywhere(db(), { userId: it.id, at: new Date() });
    assert.equal(await staffFromSessionCookie(live, new Date()), null);
    assert.ok(
      await staffFromSessionCookie(await staffSessionToken(it.id, { epoch: 1 }), new Date()),
    );
  });

  test('a session without a session id (one that signing out could not end) is refused', async () => {
    const it = await person('it');
    const now = Date.now();
    const withoutId = await encode({
      token: { sub: it.id, signedInAt: now, assertedAt: now, epoch: 0 },
      secret: sessionSecret(),
      maxAge: SESSION_IDLE / 1000,
    });
    assert.equal(await staffFromSessionCookie(withoutId, new Date()), null);
  });

  test('signing out ends that one session; its record goes once the session is past its 12 hours anyway', async () => {
    const it = await person('it');
    const signedInAt = Date.now();
    const [ended, other] = [
      await staffSessionToken(it.id, { signedInAt }),
      await staffSessionToken(it.id, { signedInAt }),
    ];
    const token = await decode({ token: ended, secret: sessionSecret() });
    assert.deepEqual(await signOutSession(db(), { token, at: new Date() }), { ok: true });
    assert.deepEqual(await signOutSession(db(), { token, at: new Date() }), {
      ok: false,
      reason: 'already_ended',
    });
    assert.deepEqual(await signOutSession(db(), { token: { sub: it.id }, at: new Date() }), {
      ok: false,
      reason: 'not_a_session',
    });
    assert.equal(await staffFromSessionCookie(ended, new Date()), null);
    assert.ok(await staffFromSessionCookie(other, new Date()));

    const records = () => db().staffSessionEnd.count({ where: { sessionId: token?.sid } });
    assert.equal(await records(), 1);
    const otherToken = await decode({ token: other, secret: sessionSecret() });
    await signOutSession(db(), {
      token: otherToken,
      at: new Date(signedInAt + SESSION_ABSOLUTE + 1_000),
    });
    assert.equal(await records(), 0);
  });

  test('offboarding ends sessions and a revoked role is gone on the next request', async () => {
    const it = await person('it');
    const value = await staffSessionToken(it.id);
    await db().staffRole.deleteMany({ where: { userId: it.id } });
    assert.deepEqual((await staffFromSessionCookie(value, new Date()))?.roles, []);
    await db().user.update({ where: { id: it.id }, data: { enrollmentState: 'offboarded' } });
    assert.equal(await staffFromSessionCookie(value, new Date()), null);
  });

  test('a sensitive action needs a passkey assertion from the last 5 minutes', () => {
    const now = new Date();
    const staff = { assertedAt: new Date(now.getTime() - FRESH_ASSERTION + 1_000) } as Staff;
    assert.equal(hasFreshAssertion(staff, now), true);
    assert.equal(
      hasFreshAssertion({ ...staff, assertedAt: new Date(now.getTime() - FRESH_ASSERTION) }, now),
      false,
    );
  });
});

describe('authorization matrix', () => {
  const staff = (id: string, roles: Staff['roles']): Staff => ({
    id,
    name: id,
    employeeId: id,
    roles,
    signedInAt: new Date(),
    assertedAt: new Date(),
  });
  const it = staff('it-1', ['it']);
  const manager = staff('mgr-1', ['manager']);
  const hire = staff('hire-1', []);
  const ownReport = { userId: 'hire-1', managerId: 'mgr-1' };
  const otherReport = { userId: 'hire-2', managerId: 'mgr-2' };

  const itOnly: StaffAction[] = [
    'console.view',
    'hire.create',
    'device.register',
    'link.issue',
    'link.revoke',
    'role.change',
    'passkey.revoke',
    'recovery.request',
  ];
  test('IT-only actions: IT yes; managers, hires and anonymous no', () => {
    for (const action of itOnly) {
      assert.deepEqual(
        [null, hire, manager, it].map((actor) => can(actor, action, otherReport)),
        [false, false, false, true],
        action,
      );
    }
  });

  test('viewing a hire: IT any, a manager only their reports, a hire only themselves', () => {
    assert.deepEqual(
      [null, hire, manager, it].map((actor) => can(actor, 'hire.view', ownReport)),
      [false, true, true, true],
    );
    assert.deepEqual(
      [null, hire, manager, it].map((actor) => can(actor, 'hire.view', otherReport)),
      [false, false, false, true],
    );
  });

  test('approving a recovery: IT or the hire\u2019s own manager, never for oneself', () => {
    assert.deepEqual(
      [null, hire, manager, it].map((actor) => can(actor, 'recovery.approve', ownReport)),
      [false, false, true, true],
    );
    assert.equal(can(manager, 'recovery.approve', otherReport), false);
    assert.equal(can(it, 'recovery.approve', { userId: 'it-1', managerId: null }), false);
  });

  test("the managers' view is for managers", () => {
    assert.deepEqual(
      [null, hire, manager, it].map((actor) => can(actor, 'reports.view')),
      [false, false, true, false],
    );
  });
});
