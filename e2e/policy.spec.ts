import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Browser } from '@playwright/test';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  createHire,
  dataDir,
  enroll,
  expect,
  firstkey,
  heading,
  invite,
  signIn,
  test,
  type Hire,
} from './fixtures';

// The passkey policy in Chromium with Chrome's virtual authenticator: a blocked authenticator and a
// synced passkey are refused with a page that says what to use instead, the hire tries again with an
// accepted one on the same link, and IT sees the refusal on the policy page. This project runs alone
// (playwright.config.ts): the policy applies to every enrollment on the server.

// Several people enroll and sign in per test: more than the default 30 s on a busy machine.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

test.afterAll(async () => {
  await firstkey('policy', 'set', '--any-aaguid', '--device-bound-only', 'no');
});

/** The AAGUID the server recorded for the hire's passkey (Chrome's virtual authenticator's). */
function aaguidOf(hire: Hire): string {
  const sqlite = new Database(path.join(dataDir, 'firstkey.db'), { readonly: true });
  try {
    const row = sqlite
      .prepare(
        'SELECT "aaguid" FROM "Passkey" WHERE "userId" = (SELECT "id" FROM "User" WHERE "employeeId" = ?)',
      )
      .get(hire.employeeId) as { aaguid: string } | undefined;
    return row!.aaguid;
  } finally {
    sqlite.close();
  }
}

async function onLaptop(browser: Browser, hire: Hire, options: { backupEligible?: boolean } = {}) {
  const context = await contextWithCertificate(browser, hire.device);
  const page = await context.newPage();
  const authenticator = await addVirtualAuthenticator(page, options);
  return { context, page, authenticator };
}

const seriousAxe = async (page: import('@playwright/test').Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => violation.id);

test('a blocked authenticator is refused with what to use instead; once allowed, the same link enrolls; IT sees the refusal', async ({
  browser,
}) => {
  const admin = await createHire({ name: 'Ines Policy', role: 'it' });
  const it = await onLaptop(browser, admin);
  await enroll(it.page, (await invite(admin)).url);
  const virtualAaguid = aaguidOf(admin);

  await firstkey('policy', 'set', '--block', virtualAaguid);
  const hire = await createHire({ name: 'Bram Blocked' });
  const laptop = await onLaptop(browser, hire);
  await laptop.page.goto((await invite(hire)).url);
  await laptop.page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(laptop.page)).toHaveText('Your passkey wasn\u2019t created yet');
  await expect(
    laptop.page.getByText('Your company does not accept this kind of passkey'),
  ).toBeVisible();
  await expect(
    laptop.page.getByText(
      /Use this laptop\u2019s built-in passkey \(Windows Hello on Windows, Touch ID on a Mac\)/,
    ),
  ).toBeVisible();
  expect(await seriousAxe(laptop.page)).toEqual([]);
  expect(await laptop.authenticator.credentials()).toHaveLength(1);
  expect(
    (await firstkey<{ state: string }>('status', '--employee-id', hire.employeeId)).state,
  ).toBe('enrolling');

  // IT allows exactly this authenticator; the hire tries again within the same enrollment window.
  await firstkey('policy', 'set', '--allow', virtualAaguid);
  await laptop.authenticator.cdp.send('WebAuthn.clearCredentials', {
    authenticatorId: laptop.authenticator.authenticatorId,
  });
  await laptop.page.getByRole('button', { name: 'Try again' }).click();
  await expect(heading(laptop.page)).toHaveText('You\u2019re ready for day one');

  await signIn(it.page);
  await expect(heading(it.page)).toHaveText('Hires');
  await it.page.getByRole('link', { name: 'Passkey policy' }).click();
  await expect(heading(it.page)).toHaveText('Passkey policy');
  const refusal = it.page.getByTestId('policy-refusal').filter({ hasText: 'Bram Blocked' });
  await expect(refusal).toContainText(virtualAaguid);
  await expect(refusal).toContainText('blocked');
  await expect(it.page.getByTestId('policy-aaguids')).toContainText('only:');
  expect(await seriousAxe(it.page)).toEqual([]);
  // And on the hire's timeline, with the AAGUID and the rule.
  await refusal.getByRole('link', { name: 'Bram Blocked' }).click();
  await expect(heading(it.page)).toContainText('Bram Blocked');
  const event = it.page.locator('[data-action="passkey_policy_refused"]');
  await expect(event).toContainText(`aaguid: ${virtualAaguid}`);
  await expect(event).toContainText('rule: aaguid_blocked');
  await laptop.context.close();
  await it.context.close();
});

test('device-bound only: a synced (backup-eligible) passkey is refused, a device-bound one enrolls', async ({
  browser,
}) => {
  await firstkey('policy', 'set', '--any-aaguid', '--device-bound-only', 'yes');
  const hire = await createHire({ name: 'Sia Synced' });
  const synced = await onLaptop(browser, hire, { backupEligible: true });
  const url = (await invite(hire)).url;
  await synced.page.goto(url);
  await synced.page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(synced.page)).toHaveText('Your passkey wasn\u2019t created yet');
  await expect(
    synced.page.getByText(/accepts only passkeys that stay on one device/),
  ).toBeVisible();

  // The same laptop, its built-in (device-bound) authenticator instead.
  await synced.authenticator.cdp.send('WebAuthn.removeVirtualAuthenticator', {
    authenticatorId: synced.authenticator.authenticatorId,
  });
  await addVirtualAuthenticator(synced.page);
  await synced.page.getByRole('button', { name: 'Try again' }).click();
  await expect(heading(synced.page)).toHaveText('You\u2019re ready for day one');
  await synced.context.close();
});
