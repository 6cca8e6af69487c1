import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { CEREMONY_TIMEOUT } from '../lib/enrollment/policy';
import { problemPage, type ProblemPageCode } from '../lib/enrollment/messages';
import { E2E_HELP_CONTACT } from './help-contact';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  createHire,
  enroll,
  expect,
  heading,
  invite,
  lapse,
  signIn,
  strayDevice,
  test,
} from './fixtures';

// Every failure page a hire can meet, walked in the browser: the tab's title is the heading, the page
// says what to do now and whom to contact, and axe finds nothing serious at desktop and phone widths.

async function expectNoSeriousAxeViolationsAtBothWidths(page: Page) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(serious.map((violation) => `${width}px ${violation.id}: ${violation.help}`)).toEqual([]);
  }
}

/** The failure page for `code`: title = heading, what happened, what to do now, the help contact. */
async function expectFailurePage(page: Page, code: ProblemPageCode) {
  const text = problemPage(code);
  await expect(heading(page)).toHaveText(text.title);
  await expect(page).toHaveTitle(text.title);
  await expect(page.locator(`[data-problem="${code}"]`)).toBeVisible();
  await expect(page.getByText(text.happened)).toBeVisible();
  await expect(page.locator('[data-next-action]')).toHaveText(text.next);
  await expect(page.locator('[data-help-contact]')).toContainText(`Contact ${E2E_HELP_CONTACT}`);
  await expect(page.getByRole('button', { name: 'Ask IT for a new link' })).toHaveCount(
    text.askForLink ? 1 : 0,
  );
  await expectNoSeriousAxeViolationsAtBothWidths(page);
}

const reference = (page: Page) => page.locator('[data-reference]');

test.describe('failure pages', () => {
  // Each test runs axe at two widths on each page it visits, as e2e/axe.spec.ts does.
  test.describe.configure({ timeout: 600_000 });
  test('cancelled and expired links: the page offers a new link, IT sees the request on the console and finds the hire by the reference', async ({
    device,
    hire,
    browser,
  }) => {
    const { page } = device;
    const first = await invite(hire);
    await invite(hire);
    await page.goto(first.url);
    await expectFailurePage(page, 'revoked');
    await expect(reference(page)).toHaveText(/^FK-[0-9A-F]{8}$/);

    lapse('BridgeToken', hire.employeeId, 'expiresAt');
    const second = await invite(hire);
    lapse('BridgeToken', hire.employeeId, 'expiresAt');
    await page.goto(second.url);
    await expectFailurePage(page, 'expired');
    const code = (await reference(page).textContent())!;
    await page.getByRole('button', { name: 'Ask IT for a new link' }).click();
    await expect(page.getByRole('status')).toHaveText(/IT has your request/);
    // A second press (after a reload) finds the first request.
    await page.goto(second.url);
    await page.getByRole('button', { name: 'Ask IT for a new link' }).click();
    await expect(page.getByRole('status')).toHaveText(/IT already has your request/);

    const it = await itConsole(browser);
    await it.goto(`/it?q=${encodeURIComponent(code)}`);
    await expect(it.getByRole('cell', { name: hire.employeeId, exact: true })).toBeVisible();
    await expect(
      it.getByText(`Asks for a new enrollment link: the link expired (reference ${code}).`),
    ).toBeVisible();
    await it.context().close();
  });

  test('not yet valid, wrong laptop, no certificate, throttled, no WebAuthn: each its own page with the next step and the contact', async ({
    browser,
    device,
    hire,
  }) => {
    const later = await invite(
      hire,
      '--not-before',
      new Date(Date.now() + 2 * 86_400_000).toISOString(),
    );
    await device.page.goto(later.url);
    await expectFailurePage(device.page, 'not_yet_valid');
    await expect(device.page.getByText('It becomes active on')).toBeVisible();

    const stranger = await contextWithCertificate(browser, await strayDevice());
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(later.url);
    await expectFailurePage(strangerPage, 'wrong_device');
    await expect(strangerPage.getByText(hire.name)).toHaveCount(0);

    const bare = await contextWithCertificate(browser, null);
    const barePage = await bare.newPage();
    await barePage.goto(later.url);
    await expectFailurePage(barePage, 'no_certificate');

    // A laptop poking at links it does not have is throttled after 10 failures.
    const poker = await contextWithCertificate(browser, await strayDevice('poker'));
    for (let i = 0; i < 10; i++) {
      const response = await poker.request.post('/api/enroll/peek', {
        data: { token: `${'A'.repeat(40)}${String(i).padStart(3, '0')}` },
      });
      expect(response.status()).toBe(404);
    }
    const pokerPage = await poker.newPage();
    await pokerPage.goto(later.url);
    await expectFailurePage(pokerPage, 'throttled');
    await expect(pokerPage.getByText(/You can try again in about \d+ minutes/)).toBeVisible();

    const noWebAuthn = await contextWithCertificate(browser, hire.device);
    const noWebAuthnPage = await noWebAuthn.newPage();
    await noWebAuthnPage.addInitScript(() =>
      Object.defineProperty(window, 'PublicKeyCredential', {
        value: undefined,
        configurable: true,
      }),
    );
    await noWebAuthnPage.goto(later.url);
    await expectFailurePage(noWebAuthnPage, 'unsupported');
    await Promise.all([stranger.close(), bare.close(), poker.close(), noWebAuthn.close()]);
  });

  test('a used link: its enrolled owner is told they are set up and where to go; on the same laptop without a passkey it is "used" with a new-link button', async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    await enroll(device.page, link.url);
    await device.page.goto(link.url);
    await expectFailurePage(device.page, 'already_enrolled');
    await expect(device.page.getByText('contact IT right away')).toHaveCount(0);
    await expect(device.page.getByRole('link', { name: 'Sign in' })).toHaveAttribute(
      'href',
      '/signin',
    );
    await expect(device.page.getByRole('link', { name: 'Your passkeys' })).toHaveAttribute(
      'href',
      '/account',
    );
  });

  test('the lapsed enrollment window says when it opened and offers a new link; a used link without a passkey says "used"', async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    await authenticator.setUserVerified(false);
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText('Your passkey wasn\u2019t created yet');

    lapse('EnrollmentSession', hire.employeeId, 'expiresAt');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expectFailurePage(page, 'session_expired');
    await expect(page.getByText(/^Your enrollment opened at .+\.$/)).toBeVisible();
    await page.getByRole('button', { name: 'Ask IT for a new link' }).click();
    await expect(page.getByRole('status')).toHaveText(/IT has your request/);

    // The same link opened again: used, and the hire has no passkey, so "used" (not "set up").
    await page.goto(link.url);
    await expectFailurePage(page, 'used');
    await page.getByRole('button', { name: 'Ask IT for a new link' }).click();
    await expect(page.getByRole('status')).toHaveText(/IT already has your request/);
  });
});

test.describe('while the laptop shows its passkey prompt', () => {
  test('a waiting state with the minutes left, "Having trouble?" and Cancel, which stops the prompt; the link still works', async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    // No authenticator: the browser's prompt waits for one that never answers.
    await authenticator.cdp.send('WebAuthn.removeVirtualAuthenticator', {
      authenticatorId: authenticator.authenticatorId,
    });
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText(
      'Follow your laptop\u2019s prompt to create your passkey',
    );
    await expect(page).toHaveTitle('Follow your laptop\u2019s prompt to create your passkey');
    await expect(page.locator('[data-minutes-left]')).toHaveText(
      /^You have (10|9) minutes left to finish\.$/,
    );
    await page.getByText('Having trouble?').click();
    await expect(page.getByText(`Still stuck? Contact ${E2E_HELP_CONTACT}.`)).toBeVisible();
    await expectNoSeriousAxeViolationsAtBothWidths(page);

    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(heading(page)).toHaveText('Your passkey wasn\u2019t created yet');
    await expect(page.getByText('You cancelled the passkey prompt.')).toBeVisible();
    await expect(page.locator('[data-minutes-left]')).toHaveText(/minutes? left to finish/);

    const working = await addVirtualAuthenticator(page);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(heading(page)).toHaveText('You\u2019re ready for day one');
    expect(await working.credentials()).toHaveLength(1);
  });

  test(`a prompt nobody answers is stopped after ${CEREMONY_TIMEOUT / 60_000} minutes with a clear message`, async ({
    device,
    hire,
  }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    await page.clock.install();
    await authenticator.cdp.send('WebAuthn.removeVirtualAuthenticator', {
      authenticatorId: authenticator.authenticatorId,
    });
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(heading(page)).toHaveText(
      'Follow your laptop\u2019s prompt to create your passkey',
    );
    await page.clock.fastForward(CEREMONY_TIMEOUT - 5_000);
    await expect(heading(page)).toHaveText(
      'Follow your laptop\u2019s prompt to create your passkey',
    );
    await page.clock.fastForward(10_000);
    await expect(heading(page)).toHaveText('Your passkey wasn\u2019t created yet');
    await expect(
      page.getByText(
        `Your laptop\u2019s passkey prompt got no answer for ${CEREMONY_TIMEOUT / 60_000} minutes, so we stopped waiting.`,
      ),
    ).toBeVisible();
  });
});

/** An IT member's console in a browser of their own. */
async function itConsole(browser: import('@playwright/test').Browser): Promise<Page> {
  const admin = await createHire({ name: 'Grace Hopper', role: 'it' });
  const context: BrowserContext = await contextWithCertificate(browser, admin.device);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, (await invite(admin)).url);
  await signIn(page);
  await expect(heading(page)).toHaveText('Hires');
  return page;
}
