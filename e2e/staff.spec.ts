import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addVirtualAuthenticator, contextWithCertificate, createHire, expect, firstkey, invite, test } from './fixtures';

// Serial: the first test bootstraps the first IT admin, which only works while no admin exists.
test.describe.configure({ mode: 'serial' });

const heading = (page: Page) => page.getByRole('heading', { level: 1 });

async function enroll(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(page)).toHaveText('You\u2019re ready for day one');
}

async function signIn(page: Page) {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
}

test('the bootstrap admin enrolls, signs in with the passkey, signs out, and signs in again', async ({ browser }) => {
  const first = await firstkey<{ adminExists: boolean; url: string; certPath: string; keyPath: string }>('admin', 'first-start');
  expect(first.adminExists).toBe(false);
  const context = await contextWithCertificate(browser, { certPath: first.certPath, keyPath: first.keyPath, fingerprint: '' });
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, first.url);
  expect((await firstkey<{ adminExists: boolean }>('admin', 'first-start')).adminExists).toBe(true);

  await page.goto('/it');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fit$/);
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  await signIn(page);
  await expect(heading(page)).toHaveText('Hires');
  await expect(page.getByText('Signed in as First IT admin')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/it');
  await expect(page).toHaveURL(/\/signin/);

  await signIn(page);
  await expect(heading(page)).toHaveText('Hires');
  await context.close();
});

test('staff pages: anonymous visitors go to sign-in, a hire without a staff role gets 403', async ({ browser }) => {
  const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
  const anonPage = await anonymous.newPage();
  const response = await anonPage.goto('/it/hires/anyone');
  expect(response?.status()).toBe(200);
  await expect(anonPage).toHaveURL(/\/signin\?callbackUrl=%2Fit%2Fhires%2Fanyone$/);
  await anonymous.close();

  const hire = await createHire({ name: 'Plain Hire' });
  const context = await contextWithCertificate(browser, hire.device);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, (await invite(hire)).url);
  await signIn(page);
  await page.waitForURL(/\/it$/);
  await expect(heading(page)).toHaveText('You don\u2019t have access to this page');
  const forbidden = await page.request.get('/it');
  expect(forbidden.status()).toBe(403);
  await context.close();
});

test('IT sees hires in the console, filters them and opens the timeline', async ({ browser }) => {
  const itStaff = await createHire({ name: 'Ivy Console', role: 'it' });
  const target = await createHire({ name: 'Tomas Target' });
  await invite(target);
  const context = await contextWithCertificate(browser, itStaff.device);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, (await invite(itStaff)).url);
  await signIn(page);
  await expect(heading(page)).toHaveText('Hires');

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
  await page.getByRole('link', { name: 'Tomas Target' }).click();
  await expect(heading(page)).toHaveText('Tomas Target');
  await expect(page.locator('li[data-action="link_issued"]')).toHaveCount(1);
  await expect(page.locator('li[data-action="device_registered"]')).toHaveCount(1);
  await expect(page.getByText(`SHA-256 ${target.device.fingerprint}`)).toBeVisible();
  await context.close();
});
