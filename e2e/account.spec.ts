import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { decode, encode } from 'next-auth/jwt';
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
  heading,
  invite,
  signIn,
  signedInAs,
  test,
} from './fixtures';
import type { ReceivedWebhook } from './hr-receiver';
import { E2E_WEBHOOK_SECRETS } from './webhook-secrets';

// Every person's own passkeys page, walked by an ordinary hire (no role) in Chromium with Chrome's
// virtual authenticators: sign-in lands on /account, a backup passkey on a second authenticator,
// the first removed, the last one kept, a stale assertion asked for again.

async function hrWebhooks(employeeId: string): Promise<string[]> {
  const all = (await (
    await fetch(`${process.env.FIRSTKEY_E2E_RECEIVER}/received`)
  ).json()) as ReceivedWebhook[];
  return all
    .filter((message) => message.channel === 'hr')
    .map(
      (message) =>
        new Webhook(E2E_WEBHOOK_SECRETS.hrStatus).verify(message.body, message.headers) as {
          type: string;
          data: { employeeId: string };
        },
    )
    .filter((body) => body.data.employeeId === employeeId)
    .map((body) => body.type);
}

/** Ages the session's passkey assertion past 5 minutes: same person, same epoch, asserted 6 minutes ago. */
async function ageAssertion(context: BrowserContext) {
  const secret = fs.readFileSync(path.join(dataDir, 'secrets', 'session-key'), 'utf8').trim();
  const session = (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)!;
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
}

test('a hire signs in to their passkeys page, adds a backup on a second authenticator, removes the first, and keeps the last', async ({
  browser,
}) => {
  const hire = await createHire({ name: 'Bea Backup' });
  const context = await contextWithCertificate(browser, hire.device);
  const page = await context.newPage();
  const laptop = await addVirtualAuthenticator(page);
  await enroll(page, (await invite(hire)).url);
  await expect(page.getByRole('link', { name: 'Add a backup passkey' })).toHaveAttribute(
    'href',
    '/account',
  );
  await expect(page.getByRole('link', { name: 'Go to the console' })).toHaveCount(0);

  // Issue 11 item 4: following the ready page's advice must not end on a 403.
  await signIn(page);
  await expect(page).toHaveURL(/\/account$/);
  await expect(heading(page)).toHaveText('Your passkeys');
  await expect(page.getByRole('heading', { name: '1 passkey' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
  ).toEqual([]);

  // The laptop's authenticator goes away; a second one (a security key, say) answers from now on.
  await laptop.cdp.send('WebAuthn.removeVirtualAuthenticator', {
    authenticatorId: laptop.authenticatorId,
  });
  const key = await addVirtualAuthenticator(page);
  // Keyboard only: Tab to "Add a backup passkey" and press Enter.
  const add = page.getByRole('button', { name: 'Add a backup passkey' });
  for (
    let presses = 0;
    presses < 20 && !(await add.evaluate((el) => el === document.activeElement));
    presses += 1
  )
    await page.keyboard.press('Tab');
  await expect(add).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Backup passkey added.');
  await expect(page.getByRole('heading', { name: '2 passkeys' })).toBeVisible();
  expect(await key.credentials()).toHaveLength(1);

  // Remove the laptop's passkey (the first): every session ends, and the backup signs back in.
  const first = page.getByRole('listitem').first();
  const firstName = (await first.getByRole('heading', { level: 3 }).textContent())!;
  await page
    .getByRole('button', { name: `Remove ${firstName}` })
    .first()
    .click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount&removed=1$/);
  await expect(page.getByRole('status')).toContainText('Your passkey was removed');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: '1 passkey' })).toBeVisible();

  // The last passkey stays, even after the stale assertion is confirmed again.
  await ageAssertion(context);
  await page.reload();
  const stale = page.waitForResponse(
    (response) => response.url().endsWith('/remove') && response.status() === 403,
  );
  const only = (await page.getByRole('listitem').getByRole('heading', { level: 3 }).textContent())!;
  await page.getByRole('button', { name: `Remove ${only}` }).click();
  expect((await (await stale).json()).error.code).toBe('stale_assertion');
  // (Next.js keeps an empty route announcer with role=alert on every page.)
  await expect(
    page.getByRole('alert').filter({ hasText: 'This is your only passkey' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: '1 passkey' })).toBeVisible();

  await expect
    .poll(() => hrWebhooks(hire.employeeId), { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['person.passkey_added', 'person.passkey_removed']));
  await context.close();
});

test('a stale assertion asks for the passkey again before a backup is added', async ({
  browser,
}) => {
  const { context, page } = await signedInAs(browser, await createHire({ name: 'Sid Stale' }));
  await expect(heading(page)).toHaveText('Your passkeys');
  await ageAssertion(context);
  await page.reload();
  const stale = page.waitForResponse(
    (response) =>
      response.url().endsWith('/api/account/passkeys/options') && response.status() === 403,
  );
  const asserted = page.waitForResponse((response) =>
    response.url().includes('/api/auth/callback/passkey'),
  );
  await page.getByRole('button', { name: 'Add a backup passkey' }).click();
  expect((await (await stale).json()).error.code).toBe('stale_assertion');
  await asserted;
  // The only authenticator already holds a passkey for this person: it is excluded, and the page says so.
  await expect(
    page.getByRole('alert').filter({ hasText: 'already holds one of your passkeys' }),
  ).toBeVisible();
  await context.close();
});

test('a rename without a name shows the error summary linked to the field, as the staff forms do', async ({
  browser,
}) => {
  const { context, page } = await signedInAs(browser, await createHire({ name: 'Rena Rename' }));
  await expect(heading(page)).toHaveText('Your passkeys');

  await page.getByRole('button', { name: 'Rename' }).click();
  const summary = page.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  const field = page.getByRole('textbox', { name: /New name for/ });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await summary.getByRole('link', { name: 'Give the passkey a name' }).click();
  await expect(field).toBeFocused();
  await context.close();
});

test('a passkey picked from the sign-in field’s autofill signs in without the button', async ({
  browser,
}) => {
  const { context, page } = await enrolledOnLaptop(
    browser,
    await createHire({ name: 'Otto Autofill' }),
  );
  // No click: the page asks for a passkey in the field's autofill (conditional mediation), and
  // Chrome's virtual authenticator picks its one passkey there as a person would.
  await page.goto('/signin?callbackUrl=%2Faccount');
  await expect(page).toHaveURL(/\/account$/);
  await expect(heading(page)).toHaveText('Your passkeys');
  await context.close();
});
