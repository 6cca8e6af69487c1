import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST as addHireRoute } from '@/app/api/it/hires/route';
import { db } from '@/lib/db';
import { SESSION_COOKIE, staffFromSessionCookie } from '@/lib/staff/session';
import { enrolledPerson } from '@/lib/testing/enrolled';
import { StaffBrowser } from '@/lib/testing/next-auth';

// Staff sign-in and sign-out through next-auth's own handler, with a passkey from the software
// authenticator and the cookies a browser would keep.
let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(sequence += 1)}`;

/** A staff API call with the given session cookie value: the IT console adding a hire. */
async function addHireWith(cookie: string | undefined) {
  const employeeId = nextId('NEW');
  const request = new Request('https://localhost:3443/api/it/hires', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}) },
    body: JSON.stringify({ employeeId, name: 'New Hire', email: `${employeeId.toLowerCase()}@example.com`, startDate: '2026-12-01' }),
  });
  return (await addHireRoute(request)).status;
}

describe('staff sign-in and sign-out', () => {
  test('signing out ends the session on the server: a copy of the cookie taken before is refused and cannot be renewed', async () => {
    const it = await enrolledPerson({ employeeId: nextId('SO'), role: 'it' });
    const laptop = new StaffBrowser();
    assert.equal((await laptop.signIn(it.authenticator)).status, 200);
    const copied = laptop.cookies.get(SESSION_COOKIE);
    assert.ok(copied);
    assert.equal(await addHireWith(copied), 200);
    // The same person signed in on another browser: signing out here must not end that session.
    const desktop = new StaffBrowser();
    assert.equal((await desktop.signIn(it.authenticator)).status, 200);

    assert.equal((await laptop.signOut()).status, 200);
    assert.equal(laptop.cookies.get(SESSION_COOKIE), undefined);

    assert.equal(await staffFromSessionCookie(copied, new Date()), null);
    assert.equal(await addHireWith(copied), 401);
    const thief = new StaffBrowser();
    thief.cookies.set(SESSION_COOKIE, copied);
    const renewal = await thief.renew();
    assert.deepEqual(renewal.body, {});
    assert.equal(thief.cookies.get(SESSION_COOKIE), undefined, 'no renewed session cookie');
    assert.equal(await addHireWith(copied), 401);

    assert.equal(await addHireWith(desktop.cookies.get(SESSION_COOKIE)), 200);
    assert.equal(await db().auditEvent.count({ where: { userId: it.id, action: 'signed_out' } }), 1);
  });
});
