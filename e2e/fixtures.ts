import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from '@playwright/test';

// Fixtures every end-to-end test builds on:
//   firstkey(...)  the CLI against the server's own data folder (what an operator would type)
//   hire           a fresh hire with a registered device and that device's certificate files
//   device         a browser context presenting the hire's device certificate over TLS, with
//                  Chrome's virtual WebAuthn authenticator (user verification on) attached over CDP

const exec = promisify(execFile);
export const dataDir = process.env.FIRSTKEY_E2E_DATA_DIR!;
export const origin = process.env.FIRSTKEY_E2E_ORIGIN!;

export async function firstkey<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const { stdout } = await exec(process.execPath, ['bin/firstkey.mjs', ...args], {
    env: { ...process.env, FIRSTKEY_DATA_DIR: dataDir, PORT: new URL(origin).port },
  });
  return JSON.parse(stdout) as T;
}

export type DeviceFiles = { certPath: string; keyPath: string; fingerprint: string };
export type Hire = { employeeId: string; name: string; device: DeviceFiles & { serial: string } };

/** Today as YYYY-MM-DD: a hire starting today has a link that is valid at once. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Issues a link with the CLI, as IT would; returns the URL with the token in its fragment. */
export async function invite(
  hire: Hire,
  ...flags: string[]
): Promise<{ url: string; expiresAt: string; notBefore: string }> {
  return firstkey('invite', '--employee-id', hire.employeeId, ...flags);
}

export function tokenOf(url: string): string {
  return new URL(url).hash.slice(1);
}

let counter = 0;
function uniqueId(prefix: string) {
  counter += 1;
  return `${prefix}${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A device certificate from the dev CA that is registered to nobody (a stranger's laptop). */
export async function strayDevice(label = 'stray'): Promise<DeviceFiles> {
  return firstkey<DeviceFiles>(
    'device',
    'issue-cert',
    '--employee-id',
    uniqueId(label),
    '--out',
    path.join(dataDir, 'devices', uniqueId(label)),
  );
}

export async function createHire(
  options: { name?: string; startDate?: string; role?: 'it' | 'manager'; manager?: string } = {},
): Promise<Hire> {
  const employeeId = uniqueId('E');
  const name = options.name ?? 'Ada Lovelace';
  // The laptop's certificate comes from the dev CA alone, so it is made while the hire is added.
  const added = firstkey(
    'hire',
    'add',
    '--employee-id',
    employeeId,
    '--name',
    name,
    '--email',
    `${employeeId.toLowerCase()}@example.com`,
    '--start-date',
    options.startDate ?? today(),
    ...(options.role ? ['--role', options.role] : []),
    ...(options.manager ? ['--manager', options.manager] : []),
  );
  const files = await firstkey<DeviceFiles>(
    'device',
    'issue-cert',
    '--employee-id',
    employeeId,
    '--out',
    path.join(dataDir, 'devices', employeeId),
  );
  await added;
  const serial = `SN-${employeeId}`;
  await firstkey(
    'device',
    'register',
    '--employee-id',
    employeeId,
    '--serial',
    serial,
    '--cert',
    files.certPath,
  );
  return { employeeId, name, device: { ...files, serial } };
}

export type VirtualAuthenticator = {
  cdp: CDPSession;
  authenticatorId: string;
  credentials(): Promise<
    { credentialId: string; isResidentCredential: boolean; signCount: number }[]
  >;
  setUserVerified(verified: boolean): Promise<void>;
  /** Whether the authenticator answers by itself (as if touched): with it on, Chrome's virtual
   * authenticator also answers the sign-in page's autofill request, which a person would have to pick. */
  setPresence(automatic: boolean): Promise<void>;
};

/** Chrome's virtual authenticator: a platform authenticator with resident keys and user verification. */
export async function addVirtualAuthenticator(
  page: Page,
  options: { hasUserVerification?: boolean; backupEligible?: boolean } = {},
): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const hasUserVerification = options.hasUserVerification ?? true;
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification,
      isUserVerified: hasUserVerification,
      automaticPresenceSimulation: true,
      // A synced passkey (a password manager's, a phone's): backup eligible and backed up.
      ...(options.backupEligible
        ? { defaultBackupEligibility: true, defaultBackupState: true }
        : {}),
    },
  });
  return {
    cdp,
    authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
    async setUserVerified(verified) {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: verified });
    },
    async setPresence(automatic) {
      await cdp.send('WebAuthn.setAutomaticPresenceSimulation', {
        authenticatorId,
        enabled: automatic,
      });
    },
  };
}

export async function contextWithCertificate(
  browser: import('@playwright/test').Browser,
  files: DeviceFiles | null,
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport,
    clientCertificates: files ? [{ origin, certPath: files.certPath, keyPath: files.keyPath }] : [],
  });
}

type Fixtures = {
  hire: Hire;
  device: { context: BrowserContext; page: Page; authenticator: VirtualAuthenticator };
};

export const test = base.extend<Fixtures>({
  hire: async ({}, provide) => {
    await provide(await createHire());
  },
  device: async ({ browser, hire }, provide) => {
    const context = await contextWithCertificate(browser, hire.device);
    const page = await context.newPage();
    const authenticator = await addVirtualAuthenticator(page);
    await provide({ context, page, authenticator });
    await context.close();
  },
});

export { expect };

/** The page's one h1 (every Firstkey page has exactly one). */
export const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** Opens an enrollment link and creates the passkey, as a hire does, then waits for the ready page. */
export async function enroll(page: Page, url: string, ready = 'You\u2019re ready for day one') {
  await page.goto(url);
  await page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(page)).toHaveText(ready);
}

/**
 * Waits until React runs the page (components/ui/interactive-mark.tsx). After a full-page navigation
 * a click that comes sooner is the browser's own: a form's button reloads the page and nothing else.
 */
export async function interactive(page: Page) {
  await expect(page.locator('html[data-interactive]')).toHaveCount(1);
}

const autofillOff = new WeakSet<Page>();

/**
 * Makes this page's browser say it has no passkey autofill, as browsers without it do, from its next
 * navigation on. The sign-in page offers passkeys in the field's autofill (conditional mediation),
 * which a person has to pick; Chrome's virtual authenticator answers that request by itself, and a
 * page that merely lands on /signin then signs in and leaves it a moment later (CI saw the page sign in
 * on its own and a click on the sign-in button hang). A test that lands on /signin before calling
 * signIn calls this first.
 */
export async function withoutPasskeyAutofill(page: Page) {
  if (autofillOff.has(page)) return;
  autofillOff.add(page);
  await page.addInitScript(() => {
    if (window.PublicKeyCredential)
      PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
  });
}

/**
 * Signs in at /signin with the button and the passkey the page's virtual authenticator holds, and
 * waits until the page it lands on (a full-page navigation) is interactive. Only the button signs
 * in: the page's passkey autofill is off (withoutPasskeyAutofill).
 */
export async function signIn(page: Page) {
  await withoutPasskeyAutofill(page);
  await page.goto('/signin');
  await interactive(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin');
  await interactive(page);
}

/** Reads a file the CLI wrote (certificates) — for tests that hand PEM text to the console. */
export function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/**
 * Moves a hire's clock forward for one record, standing in for time passing (links live hours, tests
 * seconds). Touches only the named timestamp, through the same database file the server uses.
 */
export function lapse(
  table: 'BridgeToken' | 'EnrollmentSession',
  employeeId: string,
  column: 'expiresAt',
): void {
  const sqlite = new Database(path.join(dataDir, 'firstkey.db'));
  try {
    sqlite
      .prepare(
        `UPDATE "${table}" SET "${column}" = ? WHERE "userId" = (SELECT "id" FROM "User" WHERE "employeeId" = ?)`,
      )
      // The format Prisma's SQLite adapter writes, so comparisons (which are textual) stay correct.
      .run(new Date(Date.now() - 1_000).toISOString().replace('Z', '+00:00'), employeeId);
  } finally {
    sqlite.close();
  }
}

/** The ids of the portal's server actions, as the browser finds them in the pages' JavaScript. */
export function serverActionIds(): string[] {
  const manifest = JSON.parse(
    fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8'),
  ) as { node: Record<string, unknown> };
  return Object.keys(manifest.node);
}

export async function stateOf(hire: Hire): Promise<string> {
  return (await firstkey<{ state: string }>('status', '--employee-id', hire.employeeId)).state;
}

/** A person enrolled through their link on their own laptop: the browser holds the new passkey. */
export async function enrolledOnLaptop(
  browser: Browser,
  hire: Hire,
  viewport?: { width: number; height: number },
) {
  const context = await contextWithCertificate(browser, hire.device, viewport);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, (await invite(hire)).url);
  return { context, page };
}

/** A person enrolled through their link on their own laptop, then signed in with the new passkey. */
export async function signedInAs(
  browser: Browser,
  hire: Hire,
  viewport?: { width: number; height: number },
) {
  const session = await enrolledOnLaptop(browser, hire, viewport);
  await signIn(session.page);
  return session;
}

/** The serious and critical axe violations on the page as it is now, as "rule: help" lines. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}
