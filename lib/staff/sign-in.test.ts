import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST as addHireRoute } from '@/app/api/it/hires/route';
import { db } from '@/lib/db';
import { SESSION_COOKIE } from '@/lib/staff/cookies';
import { staffFromSessionCookie } from '@/lib/staff/session';
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
    headers: {
      'content-type': 'application/json',
      origin: 'https://localhost:3443',
      ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}),
    },
    body: JSON.stringify({
      employeeId,
      name: 'New Hire',
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: '2026-12-01',
    }),
  });
  return (await addHireRoute(request)).status;
}

/** A Set-Cookie header's name and attributes (names lower-cased; a flag is `true`). */
function parseSetCookie(header: string) {
  const [pair = '', ...parts] = header.split(';').map((part) => part.trim());
  const attributes = Object.fromEntries(
    parts.map((part) => {
      const [key = '', ...value] = part.split('=');
      return [key.toLowerCase(), value.length ? value.join('=') : true];
    }),
  );
  return { name: pair.split('=')[0], attributes };
}

describe('staff sign-in and sign-out', () => {
  test("a passkey signs in; the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, without Domain, and so are next-auth's others", async () => {
    const it = await enrolledPerson({ employeeId: nextId('CK'), role: 'it' });
    const browser = new StaffBrowser();
    assert.equal((await browser.signIn(it.authenticator)).status, 200);
    assert.equal(
      (await staffFromSessionCookie(browser.cookies.get(SESSION_COOKIE), new Date()))?.employeeId,
      it.employeeId,
    );

    const session = browser.setCookies
      .map(parseSetCookie)
      .find((cookie) => cookie.name === SESSION_COOKIE);
    assert.ok(session, 'sign-in sets the session cookie');
    assert.match(session.name ?? '', /^__Host-/);
    assert.deepEqual(
      {
        path: session.attributes.path,
        secure: session.attributes.secure,
        httponly: session.attributes.httponly,
        samesite: session.attributes.samesite,
        domain: session.attributes.domain,
      },
      { path: '/', secure: true, httponly: true, samesite: 'Strict', domain: undefined },
    );
    // The CSRF and callback-URL cookies set on the way are just as tight.
    for (const cookie of browser.setCookies.map(parseSetCookie)) {
      assert.match(cookie.name ?? '', /^__Host-next-auth\./);
      assert.deepEqual(
        [
          cookie.attributes.samesite,
          cookie.attributes.secure,
          cookie.attributes.path,
          cookie.attributes.domain,
        ],
        ['Strict', true, '/', undefined],
        cookie.name,
      );
    }
  });

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
    assert.equal(
      await db().auditEvent.count({ where: { userId: it.id, action: 'signed_out' } }),
      1,
    );
  });

  test("a refused passkey gets a plain sentence, not the verifier's message; the audit keeps what was seen", async () => {
    const it = await enrolledPerson({ employeeId: nextId('PC'), role: 'it' });
    // As if a copy of this passkey had been used 1,000 times elsewhere: its counter is now behind.
    await db().passkey.updateMany({ where: { userId: it.id }, data: { counter: 1_000 } });
    const reply = await new StaffBrowser().signIn(it.authenticator);
    const error = new URL(
      (reply.body as { url: string }).url,
      'https://localhost',
    ).searchParams.get('error');
    assert.equal(
      error,
      'This passkey was not accepted because it may have been copied to another device. Use another passkey, or ask IT to check your passkeys.',
    );
    assert.doesNotMatch(error ?? '', /counter|expected|\d/);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { userId: it.id, action: 'passkey_sign_in_failed' },
    });
    assert.match(audit.details, /Response counter value \d+ was lower than expected 1000/);
  });
});
