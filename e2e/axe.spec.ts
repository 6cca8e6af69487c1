import type { Browser, BrowserContext, Page } from '@playwright/test';
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
// no serious or critical axe violation at desktop width (1280 px) and on a phone (390 px): 21 page
// states in six independent tests, so the two workers share them.
// Runs after the `chromium` project (playwright.config.ts): it enrolls IT members.

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/**
 * Checks pages at both widths. `check` takes the page as it is now; `label` names the page state in
 * the report. `done` asserts every state was visited at both widths and none had a violation, then
 * closes the contexts the test opened.
 */
function axeChecker() {
  const found: string[] = [];
  const visited: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    open<T extends BrowserContext>(context: T): T {
      contexts.push(context);
      return context;
    },
    async check(page: Page, label: string) {
      await expect(heading(page)).toBeVisible();
      // A sign-in lands through redirects (/console → /account); check the page it settles on.
      await page.waitForLoadState('networkidle');
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        visited.push(`${label} @${viewport.width}`);
        for (const violation of await seriousAxeViolations(page))
          found.push(`${label} @${viewport.width}px — ${violation}`);
      }
    },
    async done(states: number) {
      expect(visited).toHaveLength(2 * states);
      expect(found).toEqual([]);
      await Promise.all(contexts.map((context) => context.close()));
    },
  };
}

async function signedIn(
  axe: ReturnType<typeof axeChecker>,
  browser: Browser,
  hire: Parameters<typeof signedInAs>[1],
) {
  const session = await signedInAs(browser, hire);
  axe.open(session.context);
  return session;
}

test('no serious or critical axe violations at 1280 px and 390 px: public pages, signed out', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const axe = axeChecker();
  const anonymous = axe.open(await browser.newContext({ ignoreHTTPSErrors: true }));
  const visitor = await anonymous.newPage();
  for (const [path, label] of [
    ['/', 'home'],
    ['/signin', 'staff sign-in'],
    ['/no-such-page', '404'],
    ['/enroll', 'enroll without a link'],
  ] as const) {
    await visitor.goto(path);
    await axe.check(visitor, label);
  }
  await axe.done(4);
});

test('no serious or critical axe violations at 1280 px and 390 px: the hire’s welcome, ready and used-link pages', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const axe = axeChecker();
  const hire = await createHire({ name: 'Axel Access' });
  const laptop = axe.open(await contextWithCertificate(browser, hire.device));
  const page = await laptop.newPage();
  await addVirtualAuthenticator(page);
  const first = await invite(hire);
  await page.goto(first.url);
  await expect(page.getByRole('button', { name: 'Create my passkey' })).toBeVisible();
  await axe.check(page, 'enroll: welcome');
  await page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(page)).toHaveText('You\u2019re ready for day one');
  await axe.check(page, 'enroll: ready');
  await page.goto(first.url);
  await axe.check(page, 'enroll: link already used');
  await axe.done(3);
});

test('no serious or critical axe violations at 1280 px and 390 px: the failure pages of a hire’s links', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const axe = axeChecker();
  const other = await createHire({ name: 'Otto Other' });
  const revoked = await invite(other);
  const current = await invite(other);
  const otherLaptop = axe.open(await contextWithCertificate(browser, other.device));
  const otherPage = await otherLaptop.newPage();
  await otherPage.goto(revoked.url);
  await axe.check(otherPage, 'enroll: link revoked');
  lapse('BridgeToken', other.employeeId, 'expiresAt');
  await otherPage.goto(current.url);
  await axe.check(otherPage, 'enroll: link expired');
  const stranger = axe.open(await contextWithCertificate(browser, await strayDevice('axe')));
  const strangerPage = await stranger.newPage();
  await strangerPage.goto((await invite(await createHire({ name: 'Wanda Wrong' }))).url);
  await axe.check(strangerPage, 'enroll: wrong laptop');
  const bare = axe.open(await contextWithCertificate(browser, null));
  const barePage = await bare.newPage();
  await barePage.goto((await invite(await createHire({ name: 'Nico Nocert' }))).url);
  await axe.check(barePage, 'enroll: no certificate');
  await axe.done(4);
});

test('no serious or critical axe violations at 1280 px and 390 px: a hire without a staff role (passkeys page, the console’s 403)', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const axe = axeChecker();
  const plain = await signedIn(axe, browser, await createHire({ name: 'Pia Plain' }));
  await expect(heading(plain.page)).toHaveText('Your passkeys');
  await axe.check(plain.page, 'account');
  await plain.page.goto('/it');
  await axe.check(plain.page, '403');
  await axe.done(2);
});

test('no serious or critical axe violations at 1280 px and 390 px: IT’s hires and hire page with a recovery waiting, and the manager’s approval banner', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const axe = axeChecker();
  const manager = await createHire({ name: 'Mona Manager', role: 'manager' });
  const report = await createHire({ name: 'Rex Report', manager: manager.employeeId });
  const reportLaptop = axe.open(await contextWithCertificate(browser, report.device));
  const reportPage = await reportLaptop.newPage();
  await addVirtualAuthenticator(reportPage);
  await enroll(reportPage, (await invite(report)).url);
  const it = await signedIn(axe, browser, await createHire({ name: 'Ida Inspector', role: 'it' }));
  await axe.check(it.page, 'IT: hires');
  await it.page.goto(`/it/hires/${report.employeeId}`);
  await it.page
    .getByRole('form', { name: 'Request recovery' })
    .getByLabel('Reason')
    .fill('Laptop stolen');
  await it.page.getByRole('button', { name: 'Request recovery' }).click();
  await expect(it.page.getByText('Waiting for a second person to approve.')).toBeVisible();
  await axe.check(it.page, 'IT: hire page');

  // The manager, with the approval banner.
  const boss = await signedIn(axe, browser, manager);
  await expect(boss.page.getByTestId('approvals-waiting')).toBeVisible();
  await axe.check(boss.page, 'manager');
  await axe.done(3);
});

test('no serious or critical axe violations at 1280 px and 390 px: IT’s metrics, apps, add-hire form (with its errors) and unknown-hire pages', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const axe = axeChecker();
  const it = await signedIn(axe, browser, await createHire({ name: 'Ivo Inspector', role: 'it' }));
  await expect(heading(it.page)).toHaveText('Hires');
  for (const [path, label] of [
    ['/it/metrics', 'IT: metrics'],
    ['/it/apps', 'IT: apps'],
    ['/it/add-hire', 'IT: add hire'],
  ] as const) {
    await it.page.goto(path);
    await axe.check(it.page, label);
  }
  await it.page.getByRole('button', { name: 'Add hire' }).click();
  await expect(it.page.getByTestId('error-summary')).toBeVisible();
  await axe.check(it.page, 'IT: add hire, with errors');
  await it.page.goto('/it/hires/NOBODY-HERE');
  await axe.check(it.page, 'IT: unknown hire');
  await axe.done(5);
});
