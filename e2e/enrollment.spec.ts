import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  expect,
  invite,
  lapse,
  stateOf,
  strayDevice,
  test,
  tokenOf,
} from './fixtures';

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
// `npm run screenshots` refreshes the README's pictures; ordinary runs keep theirs with the results.
const SCREENSHOTS = process.env.FIRSTKEY_SCREENSHOTS_DIR ?? 'test-results/screenshots';

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

test.describe('new-hire enrollment', () => {
  test('link → passkey → ready; the hire is enrolled and the passkey signs in', async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    await page.goto(link.url);
    await expect(heading(page)).toHaveText(`Welcome, ${hire.name}`);
    // The token leaves the address bar as soon as the page has read it.
    expect(page.url()).not.toContain('#');
    expect(await stateOf(hire)).toBe('opened');
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, '1-welcome');

    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText('You\u2019re ready for day one');
    await expect(page.getByText(`${hire.name}, your passkey is saved`)).toBeVisible();
    await expect(page.getByText('we just checked that it works')).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, '2-ready');

    const credentials = await authenticator.credentials();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    // Registration, then the proving sign-in: the authenticator signed at least once.
    expect(credentials[0]!.signCount).toBeGreaterThanOrEqual(1);
    expect(await stateOf(hire)).toBe('enrolled');
    await expect(page.locator('input[type="password"]')).toHaveCount(0);

    // Replay of the used link, on the very same laptop, by its enrolled owner: nothing to worry about.
    await page.goto(link.url);
    await expect(heading(page)).toHaveText('You\u2019re already set up');
  });

  test('works with the keyboard alone', async ({ device, hire }) => {
    const link = await invite(hire);
    await device.page.goto(link.url);
    await expect(heading(device.page)).toHaveText(`Welcome, ${hire.name}`);
    await device.page.keyboard.press('Tab');
    await expect(device.page.getByRole('button', { name: 'Create my passkey' })).toBeFocused();
    await device.page.keyboard.press('Enter');
    await expect(heading(device.page)).toHaveText('You\u2019re ready for day one');
    await expect(heading(device.page)).toBeFocused();
  });

  test('every page carries the security headers, with a CSP nonce on the scripts', async ({
    device,
  }) => {
    const response = await device.page.goto('/enroll');
    const headers = response!.headers();
    const nonce = /'nonce-([^']+)'/.exec(headers['content-security-policy'] ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("object-src 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    const scripts = await device.page
      .locator('script')
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(new Set(scripts)).toEqual(new Set([nonce]));
    // Nonces are per response.
    const again = await device.page.request.get('/enroll');
    expect(again.headers()['content-security-policy']).not.toContain(nonce!);
  });
});

test.describe('a link in the wrong hands', () => {
  test('another laptop, and a browser without a certificate, get the device page; the link still works on the right laptop', async ({
    browser,
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const stranger = await contextWithCertificate(browser, await strayDevice());
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(link.url);
    await expect(heading(strangerPage)).toHaveText(
      'This link works only on the laptop issued to you',
    );
    await expect(strangerPage.getByText(hire.name)).toHaveCount(0);
    await expectNoSeriousAxeViolations(strangerPage);
    await screenshot(strangerPage, '3-wrong-device');

    const bare = await contextWithCertificate(browser, null);
    const barePage = await bare.newPage();
    await barePage.goto(link.url);
    await expect(heading(barePage)).toHaveText('This link works only on the laptop issued to you');
    await expect(
      barePage.getByText('did not present your laptop\u2019s device certificate'),
    ).toBeVisible();
    await Promise.all([stranger.close(), bare.close()]);

    await device.page.goto(link.url);
    await device.page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(device.page)).toHaveText('You\u2019re ready for day one');
  });

  test("a mail scanner's GET and HEAD of the link, with or without a query string, consume nothing", async ({
    browser,
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const scanner = await contextWithCertificate(browser, null);
    const base = link.url.split('#')[0]!;
    for (const url of [
      link.url,
      base,
      `${base}?token=${tokenOf(link.url)}`,
      `${base}?utm_source=mail`,
    ]) {
      expect((await scanner.request.get(url)).status()).toBe(200);
      expect((await scanner.request.head(url)).status()).toBe(200);
    }
    await scanner.close();
    expect(await stateOf(hire)).toBe('invited');
    await device.page.goto(link.url);
    await device.page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(device.page)).toHaveText('You\u2019re ready for day one');
  });

  test('revoked, expired, not yet valid, unknown and damaged links each have their own page', async ({
    device,
    hire,
  }) => {
    const page = device.page;
    const first = await invite(hire);
    const second = await invite(hire);
    await page.goto(first.url);
    await expect(heading(page)).toHaveText('This link was cancelled');

    lapse('BridgeToken', hire.employeeId, 'expiresAt');
    await page.goto(second.url);
    await expect(heading(page)).toHaveText('This link has expired');
    expect(await stateOf(hire)).toBe('expired');

    const later = await invite(
      hire,
      '--not-before',
      new Date(Date.now() + 2 * 86_400_000).toISOString(),
    );
    await page.goto(later.url);
    await expect(heading(page)).toHaveText('This link isn\u2019t active yet');
    await expect(page.getByText('It becomes active on')).toBeVisible();

    await page.goto(`/enroll#${'Q'.repeat(43)}`);
    await expect(heading(page)).toHaveText('We don\u2019t recognise this link');
    await page.goto('/enroll#cut-short');
    await expect(heading(page)).toHaveText('This link is incomplete');
    await expectNoSeriousAxeViolations(page);
  });
});

test('a browser without WebAuthn gets its own page, and the link is not used up', async ({
  device,
  hire,
}) => {
  const link = await invite(hire);
  await device.page.addInitScript(() =>
    Object.defineProperty(window, 'PublicKeyCredential', { value: undefined, configurable: true }),
  );
  await device.page.goto(link.url);
  await expect(heading(device.page)).toHaveText('This browser can\u2019t create passkeys');
  expect(await stateOf(hire)).toBe('invited');
});

test.describe('retries without burning the link', () => {
  test('the hire cancels the passkey prompt, tries again and enrolls with the same link', async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    await authenticator.setUserVerified(false); // the prompt is dismissed: no user verification given
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText('Your passkey wasn\u2019t created yet');
    expect(await stateOf(hire)).toBe('enrolling');
    await expectNoSeriousAxeViolations(page);

    await authenticator.setUserVerified(true);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(heading(page)).toHaveText('You\u2019re ready for day one');
    expect(await stateOf(hire)).toBe('enrolled');
  });

  test('after a reload inside the enrollment window the hire continues; after it lapses the page says to ask IT', async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    await authenticator.setUserVerified(false);
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText('Your passkey wasn\u2019t created yet');

    await page.goto('/enroll');
    await expect(heading(page)).toHaveText('Let\u2019s finish creating your passkey');

    lapse('EnrollmentSession', hire.employeeId, 'expiresAt');
    await authenticator.setUserVerified(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(heading(page)).toHaveText('Your enrollment window has closed');
    // The reloaded page no longer has the link: the enrollment session's cookie names it.
    await page.getByRole('button', { name: 'Ask IT for a new link' }).click();
    await expect(page.getByRole('status')).toHaveText(/IT has your request/);
    expect(await authenticator.credentials()).toHaveLength(0);
  });

  test('an authenticator without user verification cannot enroll', async ({ browser, hire }) => {
    const context = await contextWithCertificate(browser, hire.device);
    const page = await context.newPage();
    const authenticator = await addVirtualAuthenticator(page, { hasUserVerification: false });
    const link = await invite(hire);
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText('Your passkey wasn\u2019t created yet');
    expect(await authenticator.credentials()).toHaveLength(0);
    expect(await stateOf(hire)).not.toBe('enrolled');
    await context.close();
  });
});
