import type { Browser, Page } from '@playwright/test';
import {
  addVirtualAuthenticator,
  contextWithCertificate,
  createHire,
  enroll,
  expect,
  heading,
  invite,
  signedInAs,
  test,
  today,
  type Hire,
} from './fixtures';

// Issue 11 items 8 and 9: staff screens in plain language, and the manager's view. Runs after the
// `chromium` project (playwright.config.ts): it enrolls IT members, which the bootstrap test in
// staff.spec.ts needs not to exist yet.

// Each test sets up several people through the CLI and their browsers: more than the default 30 s
// on a busy machine.
test.describe.configure({ timeout: 600_000 });

async function itConsole(browser: Browser, name: string) {
  const session = await signedInAs(browser, await createHire({ name, role: 'it' }));
  await expect(heading(session.page)).toHaveText('Hires');
  return session;
}

async function enrolled(browser: Browser, hire: Hire) {
  const context = await contextWithCertificate(browser, hire.device);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await enroll(page, (await invite(hire)).url);
  await context.close();
}

async function requestRecovery(page: Page, hire: Hire, reason: string) {
  await page.goto(`/it/hires/${hire.employeeId}`);
  await page.getByRole('form', { name: 'Request recovery' }).getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Request recovery' }).click();
  await expect(page.getByText('Waiting for a second person to approve.')).toBeVisible();
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('a staff form shows every error at once in a summary that takes focus, each linked to its field', async ({
  browser,
}) => {
  const { context, page } = await itConsole(browser, 'Erin Errors');
  await page.goto('/it/add-hire');
  const form = page.getByRole('form', { name: 'Add hire' });
  await form.getByLabel('Work email').fill('not-an-email');
  await form.getByRole('button', { name: 'Add hire' }).click();

  const summary = page.getByTestId('error-summary');
  await expect(summary).toHaveAttribute('role', 'alert');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  // Four fields are wrong; all four are listed, each a link to its field.
  await expect(summary.getByRole('link')).toHaveText([
    'Employee id is required',
    'Name is required',
    'Expected an email address',
    'Expected a date as YYYY-MM-DD',
  ]);
  await summary.getByRole('link', { name: 'Expected an email address' }).click();
  const email = form.getByLabel('Work email');
  await expect(email).toBeFocused();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  const describedBy = (await email.getAttribute('aria-describedby'))!;
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(
    'Error: Expected an email address',
  );
  await expect(form.getByLabel('Full name')).toHaveAttribute('aria-invalid', 'true');

  // A refusal about one field (a taken employee id) is linked to that field too.
  const taken = await createHire({ name: 'Tess Taken' });
  await form.getByLabel('Employee id', { exact: true }).fill(taken.employeeId);
  await form.getByLabel('Full name').fill('Tess Again');
  await email.fill(`again-${taken.employeeId.toLowerCase()}@example.com`);
  await form.getByLabel('Start date').fill(today());
  await form.getByRole('button', { name: 'Add hire' }).click();
  await expect(summary.getByRole('link')).toHaveCount(1);
  await summary.getByRole('link').click();
  await expect(form.getByLabel('Employee id', { exact: true })).toBeFocused();
  await expect(form.getByLabel('Full name')).not.toHaveAttribute('aria-invalid', 'true');
  await context.close();
});

test('an unknown address gets a designed 404 whose title is its heading, with the way back', async ({
  browser,
}) => {
  const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await anonymous.newPage();
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(heading(page)).toHaveText('Page not found');
  await expect(page).toHaveTitle('Page not found · Firstkey');
  await expect(page.getByText('There is no page at this address.')).toBeVisible();
  await page.getByRole('link', { name: 'Go to your Firstkey page' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await anonymous.close();

  const { context, page: it } = await itConsole(browser, 'Nora Notfound');
  const missing = await it.goto('/it/hires/NOBODY-HERE');
  expect(missing?.status()).toBe(404);
  await expect(heading(it)).toHaveText('No hire with this employee id');
  await expect(it).toHaveTitle('No hire with this employee id · Firstkey');
  await it.getByRole('link', { name: 'Back to Hires' }).click();
  await expect(heading(it)).toHaveText('Hires');
  await context.close();
});

test('IT pages name people: "registered by" and the timeline say who, not an id', async ({
  browser,
}) => {
  const hire = await createHire({ name: 'Nia Named' });
  await invite(hire);
  const { context, page } = await itConsole(browser, 'Grace Hopper');
  await page.goto(`/it/hires/${hire.employeeId}`);
  await expect(
    page.locator('dd').getByText('registered by an operator at the server (CLI)'),
  ).toBeVisible();
  await page.getByRole('form', { name: 'Revoke link' }).getByLabel('Reason').fill('Wrong laptop');
  await page.getByRole('button', { name: 'Revoke link' }).click();
  await expect(page.locator('li[data-action="link_revoked"]')).toContainText('by Grace Hopper');
  await expect(page.locator('main')).not.toContainText(/user:|by user\b|by cli\b/);
  await context.close();
});

test('a pending recovery is an attention item for the IT member who can approve it, not for the one who asked', async ({
  browser,
}) => {
  const hire = await createHire({ name: 'Lena Lost' });
  await enrolled(browser, hire);
  const asker = await itConsole(browser, 'Ari Asker');
  await requestRecovery(asker.page, hire, 'Phone lost on the train');
  await asker.page.goto('/it');
  await expect(
    asker.page.getByRole('link', { name: 'Approve or decline Lena Lost\u2019s recovery' }),
  ).toHaveCount(0);

  const approver = await itConsole(browser, 'Bo Approver');
  const waiting = approver.page.getByTestId('approvals-waiting');
  await expect(waiting.getByRole('heading')).toHaveText(
    /^\d+ recover(y needs|ies need) your approval$/,
  );
  const item = waiting.locator('li').filter({ hasText: 'Phone lost on the train' });
  await expect(item).toContainText('asked by Ari Asker');
  await item.getByRole('link', { name: 'Approve or decline Lena Lost\u2019s recovery' }).click();
  await expect(heading(approver.page)).toHaveText('Lena Lost');
  await expect(
    approver.page.getByRole('button', { name: 'Approve recovery' }),
  ).toHaveAccessibleDescription(
    'Approving revokes Lena Lost\u2019s lost passkeys and issues a new link that the MDM pushes to their laptop.',
  );
  await Promise.all([asker.context.close(), approver.context.close()]);
});

test('the manager sees a banner for the recovery waiting for them, blocked and at-risk reports first, and what approving does', async ({
  browser,
}) => {
  const manager = await createHire({ name: 'Mara Manager', role: 'manager' });
  // Created in start-date order; the page must not keep that order.
  const ready = await createHire({ name: 'Rhea Ready', manager: manager.employeeId });
  const onTrack = await createHire({
    name: 'Otis Ontrack',
    manager: manager.employeeId,
    startDate: inDays(10),
  });
  const atRisk = await createHire({ name: 'Ria Risk', manager: manager.employeeId });
  const blocked = await createHire({
    name: 'Bo Blocked',
    manager: manager.employeeId,
    startDate: inDays(20),
  });
  await enrolled(browser, ready);
  await invite(atRisk);
  await invite(onTrack);

  const asker = await itConsole(browser, 'Ivo It');
  await requestRecovery(asker.page, ready, 'Laptop stolen');

  const { context, page } = await signedInAs(browser, manager, { width: 390, height: 844 });
  const banner = page.getByTestId('approvals-waiting');
  await expect(banner.getByRole('heading')).toHaveText('1 recovery needs your approval');
  await banner.getByRole('link', { name: 'Rhea Ready' }).click();
  await expect(page).toHaveURL(new RegExp(`#report-${ready.employeeId}$`));
  const card = page.locator(`li[data-employee-id="${ready.employeeId}"]`);
  await expect(card.getByRole('button', { name: 'Approve recovery' })).toHaveAccessibleDescription(
    'Approving revokes Rhea Ready\u2019s lost passkeys and issues a new link that the MDM pushes to their laptop.',
  );
  const verdicts = await page
    .locator('li[data-employee-id] [data-verdict]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-verdict')));
  expect(verdicts).toEqual(['blocked', 'at_risk', 'on_track', 'ready']);
  await expect(page.locator('li[data-employee-id]')).toHaveText([
    new RegExp(blocked.name),
    new RegExp(atRisk.name),
    new RegExp(onTrack.name),
    new RegExp(ready.name),
  ]);
  await Promise.all([context.close(), asker.context.close()]);
});
