import crypto from 'node:crypto';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import de from '../lib/i18n/messages/de.json' with { type: 'json' };
import { problemPage } from '../lib/enrollment/messages';
import { E2E_HELP_CONTACT } from './help-contact';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  expect,
  heading,
  invite,
  readText,
  seriousAxeViolations,
  signIn,
  strayDevice,
  test,
  today,
  type Hire,
} from './fixtures';
import { E2E_WEBHOOK_SECRETS, signedWebhookHeaders } from './webhook-secrets';

// The hire's pages in the hire's language (README "Languages"), in Chromium: the language on the
// person's HR record wins; without one, the browser's Accept-Language; the URL never changes. The
// nonce CSP holds (no violation reported) and axe finds nothing serious on the German pages.

/** A joiner from HR, with their laptop and (maybe) the language on their record. */
async function hrJoiner(
  request: APIRequestContext,
  name: string,
  preferredLanguage?: string,
): Promise<Hire> {
  const employeeId = `L${Date.now().toString(36)}${crypto.randomInt(1000)}`;
  const laptop = await strayDevice('lang');
  const serial = `SN-${employeeId}`;
  const body = JSON.stringify({
    type: 'joiner',
    data: {
      employeeId,
      name,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: today(),
      ...(preferredLanguage ? { preferredLanguage } : {}),
      device: { serial, certificatePem: readText(laptop.certPath) },
    },
  });
  const response = await request.post('/api/hr/events', {
    headers: signedWebhookHeaders(E2E_WEBHOOK_SECRETS.hrIn, body),
    data: body,
  });
  expect(response.status()).toBe(200);
  return { employeeId, name, device: { ...laptop, serial } };
}

/** A laptop browser whose Accept-Language names `locale`, recording any CSP violation. */
async function laptop(browser: Browser, hire: Hire, locale: string) {
  const context: BrowserContext = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale,
    clientCertificates: [
      {
        origin: process.env.FIRSTKEY_E2E_ORIGIN!,
        certPath: hire.device.certPath,
        keyPath: hire.device.keyPath,
      },
    ],
  });
  const violations: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
      (window as unknown as { cspViolations: string[] }).cspViolations.push(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  const authenticator = await addVirtualAuthenticator(page);
  const cspViolations = async () => [
    ...violations,
    ...(await page.evaluate(
      () => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [],
    )),
  ];
  return { context, page, authenticator, cspViolations };
}

/** The page's title says what its heading says (server-rendered pages add " · Firstkey"). */
async function expectTitleIsHeading(page: Page, text: string) {
  await expect(heading(page)).toHaveText(text);
  await expect(page).toHaveTitle(
    new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( · Firstkey)?$`),
  );
}

async function expectNoSeriousAxeViolations(page: Page) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousAxeViolations(page)).toEqual([]);
  }
}

test.describe('languages', () => {
  test('a hire whose HR record says German enrolls in German though the browser asks for English; the CSP holds', async ({
    browser,
    request,
  }) => {
    const hire = await hrJoiner(request, 'Greta Deutsch', 'de-DE');
    const link = await invite(hire);
    const { page, context, cspViolations } = await laptop(browser, hire, 'en-US');
    await page.goto(link.url);
    await expectTitleIsHeading(page, 'Willkommen, Greta Deutsch');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    // The same URL in every language: no locale prefix, and the token has left the address bar.
    expect(new URL(page.url()).pathname).toBe('/enroll');
    // The link's end in German, naming its zone ("28. Nov. 2026, 23:59 UTC").
    await expect(
      page.getByText(/Er ist gültig bis \d{1,2}\. \S+ \d{4}, \d{2}:\d{2} \S+\.$/),
    ).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('button', { name: 'Meinen Passkey erstellen' }).click();
    await expectTitleIsHeading(page, 'Sie sind bereit für Ihren ersten Tag');
    await expect(page.getByText('Greta Deutsch, Ihr Passkey ist')).toBeVisible();
    await expect(page.getByText('wir haben gerade geprüft, dass er funktioniert')).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Einen Ersatz-Passkey hinzufügen' }),
    ).toHaveAttribute('href', '/account');
    await expectNoSeriousAxeViolations(page);

    // Her passkeys page speaks her record's language too, dates included.
    await signIn(page);
    await expect(page).toHaveURL(/\/account$/);
    await expectTitleIsHeading(page, 'Ihre Passkeys');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { name: '1 Passkey' })).toBeVisible();
    await expect(page.getByText(/^\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} UTC$/).first()).toBeVisible();
    // A rename without a name: the error summary, in German, links to the field.
    await page.getByRole('button', { name: 'Umbenennen' }).click();
    const summary = page.getByTestId('error-summary');
    await expect(summary.getByRole('heading')).toHaveText('Es gibt ein Problem');
    await summary.getByRole('link', { name: de.refusals.name_required }).click();
    await expect(page.getByRole('textbox', { name: /Neuer Name für/ })).toBeFocused();
    await expectNoSeriousAxeViolations(page);

    expect(await cspViolations()).toEqual([]);
    // The watch itself works: the same server page with an inline script lacking the nonce (added
    // on the way in, the server's CSP header kept) has that script refused and reported.
    await page.route('**/signin', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(
        '</head>',
        '<script>document.documentElement.dataset.ran = "yes"</script></head>',
      );
      await route.fulfill({ response, body });
    });
    await page.goto('/signin');
    await expect.poll(cspViolations).toContainEqual(expect.stringMatching(/^script-src/));
    await expect(page.locator('html')).not.toHaveAttribute('data-ran', 'yes');
    await context.close();
  });

  test("the record's German reaches a failure page on the hire's own laptop; another laptop learns nothing of it", async ({
    browser,
    request,
  }) => {
    const hire = await hrJoiner(request, 'Karl Kaputt', 'de');
    const first = await invite(hire);
    await invite(hire);
    const own = await laptop(browser, hire, 'en-US');
    await own.page.goto(first.url);
    const revoked = problemPage('revoked', 'de');
    await expectTitleIsHeading(own.page, revoked.title);
    await expect(own.page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(own.page.locator('[data-next-action]')).toHaveText(revoked.next);
    await own.context.close();

    const stranger = await contextWithCertificate(browser, await strayDevice('lang-stranger'));
    const page = await stranger.newPage();
    await page.goto(first.url);
    await expectTitleIsHeading(page, problemPage('revoked', 'en').title);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await stranger.close();
  });

  test('no language on the record: the browser’s German, on a failure page with its next step, contact and new-link answer', async ({
    browser,
    request,
  }) => {
    const hire = await hrJoiner(request, 'Ida Ohnesprache');
    const first = await invite(hire);
    await invite(hire);
    const { page, context, cspViolations } = await laptop(browser, hire, 'de-DE');
    await page.goto(first.url);
    const revoked = problemPage('revoked', 'de');
    await expectTitleIsHeading(page, revoked.title);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByText(revoked.happened)).toBeVisible();
    await expect(page.locator('[data-next-action]')).toHaveText(revoked.next);
    await expect(page.locator('[data-help-contact]')).toHaveText(
      new RegExp(
        `^Wenden Sie sich an ${E2E_HELP_CONTACT.replace(/[+]/g, '\\+')} und nennen Sie diese Referenz: FK-[0-9A-F]{8}\\.$`,
      ),
    );
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('button', { name: 'Die IT um einen neuen Link bitten' }).click();
    await expect(page.getByRole('status')).toHaveText(de.newLink.requested);
    expect(await cspViolations()).toEqual([]);
    await context.close();
  });

  test('the record wins: English on the record stays English in a German browser', async ({
    browser,
    request,
  }) => {
    const hire = await hrJoiner(request, 'Emma English', 'en');
    const { page, context } = await laptop(browser, hire, 'de-DE');
    await page.goto((await invite(hire)).url);
    await expectTitleIsHeading(page, 'Welcome, Emma English');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('button', { name: 'Create my passkey' })).toBeVisible();
    await context.close();
  });

  test('sign-in and "page not found" follow the browser; the start page stays English', async ({
    browser,
  }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto('/signin');
    await expect(heading(page)).toHaveText('Bei Firstkey anmelden');
    await expect(page).toHaveTitle('Anmelden · Firstkey');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('button', { name: 'Mit einem Passkey anmelden' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    const missing = await page.goto('/keine-solche-seite');
    expect(missing?.status()).toBe(404);
    await expectTitleIsHeading(page, 'Seite nicht gefunden');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(heading(page)).toHaveText('Day one, without a password');
    await context.close();
  });
});
