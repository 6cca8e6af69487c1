import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { decode, encode } from 'next-auth/jwt';
import AxeBuilder from '@axe-core/playwright';
import { Webhook } from 'standardwebhooks';
import { SESSION_COOKIE } from '../lib/staff/cookies';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  createHire,
  dataDir,
  enroll,
  enrolledOnLaptop,
  expect,
  firstkey,
  heading,
  invite,
  origin,
  signIn,
  signedInAs,
  strayDevice,
  test,
  today,
  withoutPasskeyAutofill,
} from './fixtures';
import type { ReceivedWebhook } from './hr-receiver';
import { agentFor, send } from './raw-https';
import { E2E_WEBHOOK_SECRETS } from './webhook-secrets';

// Serial: the first test bootstraps the first IT admin, which only works while no admin exists.
test.describe.configure({ mode: 'serial' });

/** The links the MDM received for this person, oldest first (e2e/hr-receiver.ts records them). */
async function mdmPushes(employeeId: string) {
  const all = (await (
    await fetch(`${process.env.FIRSTKEY_E2E_RECEIVER}/received`)
  ).json()) as ReceivedWebhook[];
  // This person's only, before verifying: an e2e run outlasts the 5-minute timestamp tolerance, so
  // other tests' older pushes would fail the check.
  return all
    .filter(
      (message) =>
        message.channel === 'mdm' &&
        (JSON.parse(message.body) as { data: { employeeId: string } }).data.employeeId ===
          employeeId,
    )
    .map(
      (message) =>
        new Webhook(E2E_WEBHOOK_SECRETS.mdm).verify(message.body, message.headers) as {
          data: { employeeId: string; url?: string };
        },
    );
}

async function itConsole(browser: Browser, name: string) {
  const session = await signedInAs(browser, await createHire({ name, role: 'it' }));
  await expect(heading(session.page)).toHaveText('Hires');
  return session;
}

test('the bootstrap admin enrolls, signs in with the passkey, signs out, and signs in again', async ({
  browser,
}) => {
  const first = await firstkey<{
    adminExists: boolean;
    url: string;
    certPath: string;
    keyPath: string;
  }>('admin', 'first-start');
  expect(first.adminExists).toBe(false);
  const context = await contextWithCertificate(browser, {
    certPath: first.certPath,
    keyPath: first.keyPath,
    fingerprint: '',
  });
  const page = await context.newPage();
  const authenticator = await addVirtualAuthenticator(page);
  await enroll(page, first.url);
  expect((await firstkey<{ adminExists: boolean }>('admin', 'first-start')).adminExists).toBe(true);

  // Before the first visit to /signin: otherwise the authenticator answers the page's autofill by
  // itself, and the page signs in and leaves while the test is still on it.
  await withoutPasskeyAutofill(page);
  await page.goto('/it');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fit$/);
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  await signIn(page);
  await expect(heading(page)).toHaveText('Hires');
  await expect(page.getByText('Signed in as First IT admin')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
  ).toEqual([]);

  const session = (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)!;
  expect(session).toMatchObject({
    name: expect.stringMatching(/^__Host-/),
    domain: 'localhost',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Strict',
  });

  // The sign-in page asks for a passkey in the field's autofill; Chrome's virtual authenticator would
  // answer that by itself and sign straight back in (a person has to pick the passkey). It stays
  // untouched while the test checks that signing out signs out.
  await authenticator.setPresence(false);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/it');
  await expect(page).toHaveURL(/\/signin/);
  // A copy of the session cookie taken before signing out opens nothing and is not renewed.
  const copy = await browser.newContext({ ignoreHTTPSErrors: true });
  await copy.addCookies([session]);
  const copyPage = await copy.newPage();
  await copyPage.goto('/it');
  await expect(copyPage).toHaveURL(/\/signin\?callbackUrl=%2Fit$/);
  expect(await (await copyPage.request.get('/api/auth/session')).json()).toEqual({});
  await copy.close();

  // Away from the sign-in page before the authenticator answers again, so only the button signs in.
  await page.goto('about:blank');
  await authenticator.setPresence(true);
  await signIn(page);
  await expect(heading(page)).toHaveText('Hires');
  await context.close();
});

test('staff pages: anonymous visitors go to sign-in; a hire without a staff role signs in to their passkeys page, and /it is 403 for them', async ({
  browser,
}) => {
  const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
  const anonPage = await anonymous.newPage();
  const response = await anonPage.goto('/it/hires/anyone');
  expect(response?.status()).toBe(200);
  await expect(anonPage).toHaveURL(/\/signin\?callbackUrl=%2Fit%2Fhires%2Fanyone$/);
  await anonymous.close();

  // Issue 11 item 4: sign-in leads a hire without a role to their own page, not to a 403.
  const { context, page } = await signedInAs(browser, await createHire({ name: 'Plain Hire' }));
  await expect(heading(page)).toHaveText('Your passkeys');
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/it');
  await expect(heading(page)).toHaveText('You don\u2019t have access to this page');
  const forbidden = await page.request.get('/it');
  expect(forbidden.status()).toBe(403);
  await context.close();
});

test('IT sees hires in the console, filters them and opens the timeline', async ({ browser }) => {
  const target = await createHire({ name: 'Tomas Target' });
  await invite(target);
  const { context, page } = await itConsole(browser, 'Ivy Console');

  await page.getByLabel('Search').fill(target.employeeId);
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.locator(`tr[data-employee-id="${target.employeeId}"]`);
  await expect(row).toContainText('invited');
  await expect(row).toContainText(target.device.serial);
  await expect(page.getByText('1 hire', { exact: true })).toBeVisible();

  await page.getByLabel('State').selectOption('enrolled');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('0 hires')).toBeVisible();

  await page.goto(`/it?q=${target.employeeId}&state=bogus&page=-3`);
  await expect(page.getByText('Ignored invalid filters: state, page.')).toBeVisible();
  await page
    .locator(`tr[data-employee-id="${target.employeeId}"]`)
    .getByRole('link', { name: 'Tomas Target' })
    .click();
  await expect(heading(page)).toHaveText('Tomas Target');
  await expect(page.locator('li[data-action="link_issued"]')).toHaveCount(1);
  await expect(page.locator('li[data-action="device_registered"]')).toHaveCount(1);
  await expect(page.getByText(`SHA-256 ${target.device.fingerprint}`)).toBeVisible();
  for (const path of [`/it/hires/${target.employeeId}`, '/it/metrics', '/it/add-hire']) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${path} ${v.id}`),
    ).toEqual([]);
  }
  await expect(page.getByText('Secret-free onboarding rate')).toHaveCount(0);
  await page.goto('/it/metrics');
  await expect(page.getByText('Secret-free onboarding rate')).toBeVisible();
  await context.close();
});

test('IT adds a hire, registers the laptop and issues a link; the console shows `enrolled` live', async ({
  browser,
}) => {
  const { context, page } = await itConsole(browser, 'Iris Operator');
  const employeeId = `C${Date.now().toString(36)}`;
  const laptop = await strayDevice('console');

  await page.getByRole('link', { name: 'Add hire' }).click();
  await page.getByLabel('Employee id', { exact: true }).fill(employeeId);
  await page.getByLabel('Full name').fill('Carla Console');
  await page.getByLabel('Work email').fill(`${employeeId.toLowerCase()}@example.com`);
  await page.getByLabel('Start date').fill(today());
  await page.getByRole('button', { name: 'Add hire' }).click();
  await expect(heading(page)).toHaveText('Carla Console');

  await page.getByLabel('Serial or asset tag').fill('SN-CARLA');
  await page.getByLabel('Device certificate (PEM)').setInputFiles(laptop.certPath);
  await page.getByRole('button', { name: 'Register device' }).click();
  await expect(page.getByRole('status')).toHaveText('Device SN-CARLA registered.');

  await page.getByLabel('Reason', { exact: true }).first().fill('First link');
  await page.getByRole('button', { name: 'Issue link' }).click();
  const url = (await page.getByTestId('issued-link').textContent())!.trim();
  expect(url).toMatch(/\/enroll#[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();

  // IT watches the table while the hire, on their own laptop in another browser, enrolls.
  await page.goto(`/it?q=${employeeId}`);
  const row = page.locator(`tr[data-employee-id="${employeeId}"]`);
  await expect(row).toContainText('invited');
  const hireContext = await contextWithCertificate(browser, laptop);
  const hirePage = await hireContext.newPage();
  await addVirtualAuthenticator(hirePage);
  await enroll(hirePage, url);
  // No reload: the console refreshes itself.
  await expect(row).toContainText('enrolled', { timeout: 30_000 });
  await Promise.all([hireContext.close(), context.close()]);
});

test('revoking a link shows the hire the cancelled page; reissuing works; both are in the timeline', async ({
  browser,
}) => {
  const { context, page } = await itConsole(browser, 'Rex Revoker');
  const hire = await createHire({ name: 'Rita Revoked' });
  const first = await invite(hire);
  await page.goto(`/it/hires/${hire.employeeId}`);
  await page
    .getByRole('form', { name: 'Revoke link' })
    .getByLabel('Reason')
    .fill('Sent to the wrong laptop');
  await page.getByRole('button', { name: 'Revoke link' }).click();
  await expect(page.getByRole('status')).toHaveText('Link revoked.');

  const hireContext = await contextWithCertificate(browser, hire.device);
  const hirePage = await hireContext.newPage();
  await addVirtualAuthenticator(hirePage);
  await hirePage.goto(first.url);
  await expect(heading(hirePage)).toHaveText('This link was cancelled');

  await page
    .getByRole('form', { name: 'Issue link' })
    .getByLabel('Reason')
    .fill('Replacement for the revoked link');
  await page.getByRole('button', { name: /Issue link|Reissue link/ }).click();
  const url = (await page.getByTestId('issued-link').textContent())!.trim();
  await enroll(hirePage, url);
  await expect(page.locator('li[data-action="link_revoked"]')).toContainText(
    'Sent to the wrong laptop',
  );
  await expect(page.locator('li[data-action="link_issued"]').first()).toContainText(
    'Replacement for the revoked link',
  );
  await Promise.all([hireContext.close(), context.close()]);
});

test('each issued link records the reason typed for it, not the previous one', async ({
  browser,
}) => {
  const { context, page } = await itConsole(browser, 'Rhea Reasoner');
  const hire = await createHire({ name: 'Remy Reissued' });
  await page.goto(`/it/hires/${hire.employeeId}`);
  const issueForm = page.getByRole('form', { name: 'Issue link' });
  await issueForm.getByLabel('Reason').fill('Laptop handed over at the desk');
  await issueForm.getByRole('button', { name: 'Issue link' }).click();
  await expect(page.getByTestId('issued-link')).toBeVisible();
  // The form starts empty again: a reissue must not silently carry the first link's reason.
  await expect(issueForm.getByLabel('Reason')).toHaveValue('');
  await issueForm.getByLabel('Reason').fill('Hire closed the tab before enrolling');
  await issueForm.getByRole('button', { name: 'Reissue link' }).click();
  const issued = page.locator('li[data-action="link_issued"]');
  await expect(issued).toHaveCount(2);
  await expect(issued.first()).toContainText('Hire closed the tab before enrolling');
  await expect(issued.nth(1)).toContainText('Laptop handed over at the desk');
  await context.close();
});

test('recovery needs two people: one IT member asks, another approves, and the link works on the hire\u2019s laptop', async ({
  browser,
}) => {
  const hire = await createHire({ name: 'Lena Lost' });
  const { context: hireContext, page: hirePage } = await enrolledOnLaptop(browser, hire);

  const asker = await itConsole(browser, 'Ada Asker');
  await asker.page.goto(`/it/hires/${hire.employeeId}`);
  await asker.page
    .getByRole('form', { name: 'Request recovery' })
    .getByLabel('Reason')
    .fill('Passkey lost with her phone');
  await asker.page.getByRole('button', { name: 'Request recovery' }).click();
  await expect(asker.page.getByText('Waiting for a second person to approve.')).toBeVisible();
  await expect(asker.page.getByRole('button', { name: 'Approve recovery' })).toHaveCount(0);

  const approver = await itConsole(browser, 'Bo Approver');
  await approver.page.goto(`/it/hires/${hire.employeeId}`);
  const pushedBefore = (await mdmPushes(hire.employeeId)).length;
  await approver.page.getByRole('button', { name: 'Approve recovery' }).click();
  // The approver never sees the link: with the MDM configured (as in these tests) it goes to the laptop.
  await expect(approver.page.getByRole('status')).toHaveText(
    `Approved. The new link was pushed to the laptop ${hire.device.serial}.`,
  );
  await expect(approver.page.getByTestId('recovery-link')).toHaveCount(0);
  await expect(approver.page.locator('body')).not.toContainText('/enroll#');

  // The MDM receives the recovery link (the outbox worker runs every 2 s).
  await expect
    .poll(async () => (await mdmPushes(hire.employeeId)).length, { timeout: 30_000 })
    .toBe(pushedBefore + 1);
  const url = (await mdmPushes(hire.employeeId)).at(-1)!.data.url!;
  const stranger = await contextWithCertificate(browser, await strayDevice('recovery'));
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(url);
  await expect(heading(strangerPage)).toHaveText(/only on the laptop/);
  await stranger.close();

  // A recovery enrollment is not a welcome: the new passkey replaces the lost one.
  await enroll(hirePage, url, 'Your new passkey is ready');
  await expect(hirePage.getByText('It replaces the lost one')).toBeVisible();
  expect(
    await firstkey<{ state: string }>('status', '--employee-id', hire.employeeId).then(
      (status) => status.state,
    ),
  ).toBe('enrolled');
  await expect(approver.page.locator('li[data-action="recovery_approved"]')).toHaveCount(1);
  await Promise.all([hireContext.close(), asker.context.close(), approver.context.close()]);
});

test('granting the IT role takes two IT members: one asks, another approves on the person\u2019s page', async ({
  browser,
}) => {
  const person = await createHire({ name: 'Rae Newadmin' });
  const asker = await itConsole(browser, 'Ari Asker');
  await asker.page.goto(`/it/hires/${person.employeeId}`);
  await asker.page
    .getByLabel('Reason for the change (recorded in the audit trail)')
    .fill('Joins the service desk');
  await asker.page.getByRole('button', { name: 'Ask to grant IT role' }).click();
  await expect(asker.page.getByText('Waiting for a second IT member to approve.')).toBeVisible();
  await expect(asker.page.getByRole('button', { name: 'Approve role' })).toHaveCount(0);
  await expect(asker.page.getByRole('button', { name: 'Revoke IT role' })).toHaveCount(0);

  const approver = await itConsole(browser, 'Bea Approver');
  await approver.page.goto(`/it/hires/${person.employeeId}`);
  await approver.page.getByRole('button', { name: 'Approve role' }).click();
  await expect(approver.page.getByText('Approved: the role is granted.')).toBeVisible();
  await expect(approver.page.getByRole('button', { name: 'Revoke IT role' })).toBeVisible();
  await expect(approver.page.locator('li[data-action="role_granted"]')).toHaveCount(1);
  await Promise.all([asker.context.close(), approver.context.close()]);
});

test("a manager sees only their reports with verdicts that match, on a phone; 'Ask IT' reaches the console", async ({
  browser,
}) => {
  const manager = await createHire({ name: 'Maya Manager', role: 'manager' });
  const enrolled = await createHire({ name: 'Eli Enrolled', manager: manager.employeeId });
  const invited = await createHire({ name: 'Ivo Invited', manager: manager.employeeId });
  const stranger = await createHire({ name: 'Sam Elsewhere' });
  await invite(invited);
  await invite(stranger);
  const enrolledContext = await contextWithCertificate(browser, enrolled.device);
  const enrolledPage = await enrolledContext.newPage();
  await addVirtualAuthenticator(enrolledPage);
  await enroll(enrolledPage, (await invite(enrolled)).url);
  await enrolledContext.close();

  const { context, page } = await signedInAs(browser, manager, { width: 390, height: 844 });
  await expect(heading(page)).toHaveText('My new hires');

  const card = (hire: { employeeId: string }) =>
    page.locator(`li[data-employee-id="${hire.employeeId}"]`);
  await expect(card(enrolled).locator('[data-verdict]')).toHaveAttribute('data-verdict', 'ready');
  await expect(card(invited).locator('[data-verdict]')).toHaveAttribute('data-verdict', 'at_risk');
  await expect(card(invited)).toContainText('has not opened the link yet; starts today');
  await expect(card(stranger)).toHaveCount(0);
  await expect(page.getByText('Sam Elsewhere')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
  ).toEqual([]);
  // Nothing wider than the phone's screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await card(invited)
    .getByPlaceholder('What should IT know? (optional)')
    .fill('Laptop still in customs');
  await card(invited).getByRole('button', { name: 'Ask IT for help' }).click();
  await expect(card(invited).getByRole('status')).toHaveText('IT has been asked for help.');
  expect((await page.request.get('/it')).status()).toBe(403);

  const it = await itConsole(browser, 'Hal Helpdesk');
  await expect(it.page.getByText('Laptop still in customs')).toBeVisible();
  // Other tests' hires may have open requests too (one entry per person): handle this hire's.
  await it.page
    .getByRole('listitem')
    .filter({ hasText: 'Laptop still in customs' })
    .getByRole('button', { name: 'Mark handled' })
    .click();
  await expect(it.page.getByText('Laptop still in customs')).toHaveCount(0);
  await Promise.all([context.close(), it.context.close()]);
});

test('a sensitive action with a stale passkey assertion prompts for the passkey, then goes through', async ({
  browser,
}) => {
  const { context, page } = await itConsole(browser, 'Stella Stale');
  const hire = await createHire({ name: 'Otto Open' });
  await invite(hire);
  // Age this session's passkey assertion past 5 minutes: same person, same epoch, asserted 6 minutes ago.
  const secret = fs.readFileSync(path.join(dataDir, 'secrets', 'session-key'), 'utf8').trim();
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE)!;
  const claims = await decode({ token: session.value, secret });
  const sixMinutesAgo = Date.now() - 6 * 60_000;
  await context.addCookies([
    {
      ...session,
      value: await encode({
        token: { ...claims, signedInAt: sixMinutesAgo, assertedAt: sixMinutesAgo },
        secret,
      }),
    },
  ]);

  await page.goto(`/it/hires/${hire.employeeId}`);
  await page
    .getByRole('form', { name: 'Revoke link' })
    .getByLabel('Reason')
    .fill('Testing the step-up');
  const stale = page.waitForResponse(
    (response) => response.url().endsWith('/links/revoke') && response.status() === 403,
  );
  await page.getByRole('button', { name: 'Revoke link' }).click();
  expect((await (await stale).json()).error.code).toBe('stale_assertion');
  // The console asked the authenticator for the passkey, renewed the session and retried.
  await expect(page.getByRole('status')).toHaveText('Link revoked.');
  expect(
    await firstkey<{ state: string }>('status', '--employee-id', hire.employeeId).then(
      (status) => status.state,
    ),
  ).toBe('revoked');
  await context.close();
});

test('IT creates a SCIM connection on the console (token shown once); the IdP provisions a person with it over HTTPS, and the person is on the console', async ({
  browser,
}) => {
  // Enrolling the IT member, the console and the SCIM round trips: more steps than most tests here.
  test.setTimeout(300_000);
  const { context, page } = await itConsole(browser, 'Sid Scim');
  await page.getByRole('link', { name: 'Connections' }).click();
  await expect(heading(page)).toHaveText('Connections');
  await expect(page.getByText(`${origin}/scim/v2`)).toBeVisible();
  await page.getByLabel('Name (e.g. Okta, Entra ID)').fill('Okta e2e');
  await page.getByRole('button', { name: 'Create connection' }).click();
  const shown = page.getByTestId('scim-token');
  await expect(shown).toHaveText(/^fkscim_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;
  const row = page.locator('tr', { hasText: 'Okta e2e' });
  await expect(row.getByTestId('last-used')).toHaveText('never');
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
  ).toEqual([]);

  // The IdP's side: plain HTTPS with the bearer token, no cookie, no client certificate.
  const agent = agentFor(null);
  const employeeId = `SCIM${Date.now().toString(36)}`;
  const scim = async (method: string, target: string, body?: unknown, bearer = token) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const answer = await send(origin, agent, {
      method,
      target,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(payload
          ? { 'content-type': 'application/scim+json', 'content-length': String(payload.length) }
          : {}),
      },
      body: payload,
    });
    return { ...answer, json: JSON.parse(answer.body.toString('utf8') || '{}') };
  };
  const lookup = await scim(
    'GET',
    `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${employeeId}@example.com"`)}`,
  );
  expect([lookup.status, lookup.json.totalResults]).toEqual([200, 0]);
  expect(lookup.headers['content-type']).toBe('application/scim+json');
  const created = await scim('POST', '/scim/v2/Users', {
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ],
    userName: `${employeeId}@example.com`,
    name: { givenName: 'Priya', familyName: 'Provisioned' },
    emails: [{ primary: true, type: 'work', value: `${employeeId}@example.com` }],
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: employeeId },
  });
  expect(created.status).toBe(201);
  expect(created.headers.location).toBe(`${origin}/scim/v2/Users/${created.json.id}`);
  expect((await scim('GET', '/scim/v2/Users', undefined, `${token}x`)).status).toBe(401);

  await page.goto(`/it?q=${employeeId}`);
  const hire = page.locator(`tr[data-employee-id="${employeeId}"]`);
  await expect(hire).toContainText('Priya Provisioned');
  await expect(hire).toContainText('awaiting device');
  await page.goto('/it/connections');
  await expect(page.getByTestId('scim-token')).toHaveCount(0);
  await expect(row.getByTestId('last-used')).not.toHaveText('never');

  await row.getByRole('button', { name: 'Revoke Okta e2e' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Okta e2e is revoked: its token no longer works.',
  );
  await expect(row).toContainText('revoked');
  expect((await scim('GET', '/scim/v2/Users')).status).toBe(401);
  agent.destroy();
  await context.close();
});
