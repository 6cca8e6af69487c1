import { expect, firstkey, invite, test } from './fixtures';

test.describe('new-hire enrollment', () => {
  test('link → passkey → ready; the hire is enrolled and the passkey signs in', async ({ device, hire }) => {
    const link = await invite(hire);
    const { page, authenticator } = device;
    await page.goto(link.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${hire.name}`);
    // The token leaves the address bar as soon as the page has read it.
    expect(page.url()).not.toContain('#');
    expect((await firstkey<{ state: string }>('status', '--employee-id', hire.employeeId)).state).toBe('opened');

    await page.getByRole('button', { name: 'Create my passkey' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You\u2019re ready for day one');
    await expect(page.getByText(`${hire.name}, your passkey is saved`)).toBeVisible();
    await expect(page.getByText('we just checked that it works')).toBeVisible();

    const credentials = await authenticator.credentials();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    // Registration counted once, the proving sign-in once more.
    expect(credentials[0]!.signCount).toBeGreaterThanOrEqual(1);
    expect((await firstkey<{ state: string }>('status', '--employee-id', hire.employeeId)).state).toBe('enrolled');
    await expect(page.locator('input[type="password"]')).toHaveCount(0);
  });
});
