import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
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
  origin,
  test,
  type Hire,
} from './fixtures';
import { E2E_WEBHOOK_SECRETS, signedWebhookHeaders } from './webhook-secrets';

// Firstkey as an OpenID Connect provider, seen from a real, independent app (e2e/oidc-rp.ts on
// openid-client) registered with the CLI, as IT would: a person enrolls on their laptop, then signs in
// to the app with the same passkey.

// One app process for the file: serial, so one worker owns it.
test.describe.configure({ mode: 'serial' });

type RpResult = {
  ok: boolean;
  error?: string;
  description?: string;
  session?: string;
  idToken?: Record<string, unknown>;
  userinfo?: Record<string, unknown>;
  rotated?: boolean;
  hasRefreshToken?: boolean;
};

let app: { process: ChildProcess; base: string; clientId: string };

test.beforeAll(async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/oidc-rp.ts'], {
    // The app trusts Firstkey's dev CA, as a company app trusts the company's CA.
    env: {
      ...process.env,
      RP_ISSUER: origin,
      NODE_EXTRA_CA_CERTS: path.join(dataDir, 'ca', 'ca.pem'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const listening = /listening (\S+)/.exec(chunk.toString());
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the test app exited (${code})`)));
  });
  const client = await firstkey<{
    client_id: string;
    client_secret: string;
    token_endpoint_auth_method: string;
  }>(
    'oidc',
    'client',
    'add',
    '--name',
    'Team Wiki',
    '--redirect-uri',
    `${base}/callback`,
    '--home-url',
    base,
  );
  expect(client.token_endpoint_auth_method).toBe('client_secret_basic');
  const configured = await fetch(`${base}/configure`, {
    method: 'POST',
    body: JSON.stringify({ clientId: client.client_id, clientSecret: client.client_secret }),
  });
  expect(await configured.json()).toEqual({ ok: true, issuer: origin });
  app = { process: child, base, clientId: client.client_id };
});

test.afterAll(() => {
  app?.process.kill();
});

/** A hire enrolled through their link on their own laptop (the browser context keeps the passkey). */
async function enrolledPerson(browser: Browser, hire?: Hire) {
  const person = hire ?? (await createHire({ name: 'Grace Hopper' }));
  const context = await contextWithCertificate(browser, person.device);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, (await invite(person)).url);
  return { person, context, page };
}

/** Opens the app's login, which lands wherever the provider sends the browser, and returns the app's answer there. */
async function appAnswer(page: Page, action: () => Promise<unknown>): Promise<RpResult> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().startsWith(`${app.base}/callback`)),
    action(),
  ]);
  return (await response.json()) as RpResult;
}

/** The app's login, then Firstkey's passkey page, then back to the app with a code. */
async function signInToApp(page: Page, query = ''): Promise<RpResult> {
  await page.goto(`${app.base}/login${query}`);
  await expect(heading(page)).toHaveText('Sign in to Team Wiki');
  return appAnswer(page, () =>
    page.getByRole('button', { name: 'Sign in with a passkey' }).click(),
  );
}

async function rp(path: string): Promise<RpResult> {
  return (await (await fetch(`${app.base}${path}`)).json()) as RpResult;
}

/** App sign-ins in the audit trail, read from the server's database: a person's, or (null) those of nobody known. */
function appSignIns(hire: Hire | null): { result: string; details: string }[] {
  const sqlite = new Database(path.join(dataDir, 'firstkey.db'), { readonly: true });
  try {
    const who = hire
      ? `"userId" = (SELECT "id" FROM "User" WHERE "employeeId" = ?)`
      : `"userId" IS NULL`;
    return sqlite
      .prepare(
        `SELECT "result", "details" FROM "AuditEvent" WHERE "action" = 'oidc_sign_in' AND ${who} ORDER BY "seq"`,
      )
      .all(...(hire ? [hire.employeeId] : [])) as { result: string; details: string }[];
  } finally {
    sqlite.close();
  }
}

async function leaver(request: APIRequestContext, hire: Hire) {
  const body = JSON.stringify({ type: 'leaver', data: { employeeId: hire.employeeId } });
  const response = await request.post(`${origin}/api/hr/events`, {
    headers: signedWebhookHeaders(E2E_WEBHOOK_SECRETS.hrIn, body),
    data: body,
  });
  expect(response.status()).toBe(200);
}

test('a person enrolled by Firstkey signs in to an independent app with the same passkey (code + PKCE)', async ({
  browser,
}) => {
  const { person, context, page } = await enrolledPerson(browser);
  await page.goto(`${app.base}/login`);
  await expect(heading(page)).toHaveText('Sign in to Team Wiki');
  await expect(page.locator('input')).toHaveCount(0);
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/oidc-sign-in.png', fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
  ).toEqual([]);
  // Keyboard only: Tab to the one button, Enter.
  const button = page.getByRole('button', { name: 'Sign in with a passkey' });
  for (
    let presses = 0;
    presses < 10 && !(await button.evaluate((element) => element === document.activeElement));
    presses += 1
  ) {
    await page.keyboard.press('Tab');
  }
  await expect(button).toBeFocused();
  const signedIn = await appAnswer(page, () => page.keyboard.press('Enter'));

  // openid-client verified the ID token (signature with the JWKS, iss, aud, exp, nonce) and PKCE.
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  const idToken = signedIn.idToken!;
  expect(idToken.iss).toBe(origin);
  expect(idToken.aud).toBe(app.clientId);
  expect(idToken.amr).toEqual(['hwk', 'user', 'mfa', 'phr', 'phrh']);
  expect(idToken.acr).toBe('phrh');
  expect(typeof idToken.auth_time).toBe('number');
  const sub = idToken.sub as string;
  expect(sub).not.toContain(person.employeeId);
  expect(sub).not.toContain('@');
  expect(signedIn.userinfo).toMatchObject({
    sub,
    name: person.name,
    employee_id: person.employeeId,
    email: `${person.employeeId.toLowerCase()}@example.com`,
    groups: [],
  });

  // The sign-in is in the audit trail with the app and how the person signed in; the chain still verifies.
  expect(appSignIns(person).map((event) => [event.result, JSON.parse(event.details)])).toEqual([
    [
      'ok',
      { client: app.clientId, acr: 'phrh', amr: 'hwk user mfa phr phrh', withPasskeyNow: true },
    ],
  ]);
  expect(await firstkey('audit', 'verify')).toMatchObject({ ok: true });

  // Refresh tokens rotate: the new one works, the used one is dead — and replaying it ends the chain.
  expect(signedIn.hasRefreshToken).toBe(true);
  const refreshed = await rp(`/refresh?session=${signedIn.session}`);
  expect(refreshed).toMatchObject({ ok: true, rotated: true });
  expect(await rp(`/refresh?session=${signedIn.session}&old=1`)).toMatchObject({
    ok: false,
    error: 'invalid_grant',
  });
  expect(await rp(`/refresh?session=${signedIn.session}`)).toMatchObject({
    ok: false,
    error: 'invalid_grant',
  });

  // Signed in at the provider: the next sign-in to the app needs no prompt, and the same person comes back.
  const again = await appAnswer(page, () => page.goto(`${app.base}/login`));
  expect(again.idToken?.sub).toBe(sub);
  // prompt=login and max_age=0 ask for the passkey again.
  const fresh = await signInToApp(page, '?prompt=login');
  expect(fresh.ok).toBe(true);
  expect(fresh.idToken!.auth_time as number).toBeGreaterThanOrEqual(idToken.auth_time as number);
  expect((await signInToApp(page, '?max_age=0')).ok).toBe(true);
  await context.close();
});

test('refused before anyone signs in: an unknown app, a redirect URI not registered (exactly), no PKCE', async ({
  page,
}) => {
  const authorize = (params: Record<string, string>) =>
    `${origin}/oidc/auth?${new URLSearchParams({ response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', ...params })}`;
  await page.goto(authorize({ client_id: 'no-such-app', redirect_uri: `${app.base}/callback` }));
  await expect(heading(page)).toHaveText('This sign-in can\u2019t continue');
  await expect(page.getByText('invalid_client')).toBeVisible();

  for (const redirect of [
    `${app.base}/callback/more`,
    `${app.base}/callbac`,
    `${app.base}/callback?next=/admin`,
    `http://localhost:${new URL(app.base).port}/callback`,
  ]) {
    await page.goto(`${app.base}/login?redirect_uri=${encodeURIComponent(redirect)}`);
    await expect(heading(page)).toHaveText('This sign-in can\u2019t continue');
    await expect(page.getByText(/redirect_uri did not match/)).toBeVisible();
    expect(page.url()).toContain(`${origin}/oidc/auth`);
  }

  const noPkce = await appAnswer(page, () => page.goto(`${app.base}/login?pkce=omit`));
  expect(noPkce).toMatchObject({ ok: false, error: 'invalid_request' });
  expect(noPkce.description).toMatch(/requires PKCE/);
});

test('a wrong code_verifier gets no tokens; a replayed code fails and revokes what the first use issued', async ({
  browser,
}) => {
  const { context, page } = await enrolledPerson(browser);
  const wrongVerifier = await signInToApp(page, '?verifier=wrong');
  expect(wrongVerifier).toMatchObject({ ok: false, error: 'invalid_grant' });

  const signedIn = await appAnswer(page, () => page.goto(`${app.base}/login`));
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  expect(await rp(`/replay?session=${signedIn.session}`)).toMatchObject({
    ok: false,
    error: 'invalid_grant',
  });
  expect(await rp(`/refresh?session=${signedIn.session}`)).toMatchObject({
    ok: false,
    error: 'invalid_grant',
  });
  await context.close();
});

test('a leaver: the app\u2019s next refresh fails at once, and the passkey no longer signs in', async ({
  browser,
  request,
}) => {
  const { person, context, page } = await enrolledPerson(browser);
  const signedIn = await signInToApp(page);
  expect(signedIn.ok).toBe(true);
  expect(await rp(`/refresh?session=${signedIn.session}`)).toMatchObject({ ok: true });

  await leaver(request, person);
  expect(await rp(`/refresh?session=${signedIn.session}`)).toMatchObject({
    ok: false,
    error: 'invalid_grant',
  });

  // The provider session ended with it: the app's next sign-in asks for the passkey, which is refused.
  await page.goto(`${app.base}/login`);
  await expect(heading(page)).toHaveText('Sign in to Team Wiki');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(heading(page)).toHaveText('This passkey can\u2019t sign you in');
  await expect(page.getByText('your access has ended')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/oidc-refused.png', fullPage: true });
  // A removed passkey proves nobody: the refusal is audited against the app, not a person's timeline.
  expect(
    appSignIns(null)
      .map((event) => [event.result, JSON.parse(event.details)])
      .at(-1),
  ).toEqual(['denied', { client: app.clientId, reason: 'unknown_passkey' }]);
  await context.close();
});
