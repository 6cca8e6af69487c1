import type { Page } from '@playwright/test';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  createHire,
  enroll,
  expect,
  heading,
  invite,
  lapse,
  seriousAxeViolations,
  signedInAs,
  strayDevice,
  test,
} from './fixtures';

// Every page a person can reach — public, the hire's, sign-in, account, IT, manager, 403, 404 — has
// no serious or critical axe violation at desktop width (1280 px) and on a phone (390 px).
// Runs after the `chromium` project (playwright.config.ts): it enrolls an IT member.

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

test('no serious or critical axe violations on any page, at 1280 px and 390 px', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const found: string[] = [];
  const visited: string[] = [];
  /** Checks the page as it is now at both widths; `label` names the page state in the report. */
  async function check(page: Page, label: string) {
    await expect(heading(page)).toBeVisible();
    // A sign-in lands through redirects (/console → /account); check the page it settles on.
    await page.waitForLoadState('networkidle');
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport);
      visited.push(`${label} @${viewport.width}`);
      for (const violation of await seriousAxeViolations(page))
        found.push(`${label} @${viewport.width}px — ${violation}`);
    }
  }

  // Public pages, signed out.
  const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
  const visitor = await anonymous.newPage();
  for (const [path, label] of [
    ['/', 'home'],
    ['/signin', 'staff sign-in'],
    ['/no-such-page', '404'],
    ['/enroll', 'enroll without a link'],
  ] as const) {
    await visitor.goto(path);
    await check(visitor, label);
  }

  // The hire's pages: welcome, ready, then the failure pages of their links.
  const hire = await createHire({ name: 'Axel Access' });
  const laptop = await contextWithCertificate(browser, hire.device);
  const page = await laptop.newPage();
  await addVirtualAuthenticator(page);
  const first = await invite(hire);
  await page.goto(first.url);
  await expect(page.getByRole('button', { name: 'Create my passkey' })).toBeVisible();
  await check(page, 'enroll: welcome');
  await page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(page)).toHaveText('You\u2019re ready for day one');
  await check(page, 'enroll: ready');
  await page.goto(first.url);
  await check(page, 'enroll: link already used');

  const other = await createHire({ name: 'Otto Other' });
  const revoked = await invite(other);
  const current = await invite(other);
  const otherLaptop = await contextWithCertificate(browser, other.device);
  const otherPage = await otherLaptop.newPage();
  await otherPage.goto(revoked.url);
  await check(otherPage, 'enroll: link revoked');
  lapse('BridgeToken', other.employeeId, 'expiresAt');
  await otherPage.goto(current.url);
  await check(otherPage, 'enroll: link expired');
  const stranger = await contextWithCertificate(browser, await strayDevice('axe'));
  const strangerPage = await stranger.newPage();
  await strangerPage.goto((await invite(await createHire({ name: 'Wanda Wrong' }))).url);
  await check(strangerPage, 'enroll: wrong laptop');
  const bare = await contextWithCertificate(browser, null);
  const barePage = await bare.newPage();
  await barePage.goto((await invite(await createHire({ name: 'Nico Nocert' }))).url);
  await check(barePage, 'enroll: no certificate');

  // A hire without a staff role: their passkeys page, and the console's 403.
  const plain = await signedInAs(browser, await createHire({ name: 'Pia Plain' }));
  await expect(heading(plain.page)).toHaveText('Your passkeys');
  await check(plain.page, 'account');
  await plain.page.goto('/it');
  await check(plain.page, '403');

  // IT: every console page, one hire with a recovery waiting, a form showing its errors, a 404.
  const manager = await createHire({ name: 'Mona Manager', role: 'manager' });
  const report = await createHire({ name: 'Rex Report', manager: manager.employeeId });
  const reportLaptop = await contextWithCertificate(browser, report.device);
  const reportPage = await reportLaptop.newPage();
  await addVirtualAuthenticator(reportPage);
  await enroll(reportPage, (await invite(report)).url);
  const it = await signedInAs(browser, await createHire({ name: 'Ida Inspector', role: 'it' }));
  await check(it.page, 'IT: hires');
  await it.page.goto(`/it/hires/${report.employeeId}`);
  await it.page
    .getByRole('form', { name: 'Request recovery' })
    .getByLabel('Reason')
    .fill('Laptop stolen');
  await it.page.getByRole('button', { name: 'Request recovery' }).click();
  await expect(it.page.getByText('Waiting for a second person to approve.')).toBeVisible();
  await check(it.page, 'IT: hire page');
  for (const [path, label] of [
    ['/it/metrics', 'IT: metrics'],
    ['/it/apps', 'IT: apps'],
    ['/it/add-hire', 'IT: add hire'],
  ] as const) {
    await it.page.goto(path);
    await check(it.page, label);
  }
  await it.page.getByRole('button', { name: 'Add hire' }).click();
  await expect(it.page.getByTestId('error-summary')).toBeVisible();
  await check(it.page, 'IT: add hire, with errors');
  await it.page.goto('/it/hires/NOBODY-HERE');
  await check(it.page, 'IT: unknown hire');

  // The manager, with the approval banner.
  const boss = await signedInAs(browser, manager);
  await expect(boss.page.getByTestId('approvals-waiting')).toBeVisible();
  await check(boss.page, 'manager');

  expect(visited.length).toBeGreaterThanOrEqual(2 * 21);
  expect(found).toEqual([]);
  await Promise.all(
    [anonymous, laptop, otherLaptop, stranger, bare, reportLaptop].map((context) =>
      context.close(),
    ),
  );
  await Promise.all([plain.context.close(), it.context.close(), boss.context.close()]);
});
