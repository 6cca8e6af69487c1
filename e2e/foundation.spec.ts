import { contextWithCertificate, expect, firstkey, strayDevice, test } from './fixtures';

test.describe('the portal and its HTTPS front door', () => {
  test('the home page says what Firstkey is, over HTTPS, without any password field', async ({
    page,
  }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(page.url()).toMatch(/^https:\/\/localhost:\d+\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day one, without a password');
    await expect(page.getByText('No temporary password, access code or PIN')).toBeVisible();
    await expect(page.locator('input[type="password"]')).toHaveCount(0);
  });

  test('static assets and 404s carry HSTS and nosniff too, not only pages', async ({ page }) => {
    await page.goto('/');
    const assets = await page.evaluate(() =>
      [
        ...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
          'script[src], link[rel="stylesheet"][href]',
        ),
      ]
        .map((node) => new URL(node instanceof HTMLScriptElement ? node.src : node.href).pathname)
        .filter((path) => path.startsWith('/_next/static/')),
    );
    const script = assets.find((path) => path.endsWith('.js'));
    const stylesheet = assets.find((path) => path.endsWith('.css'));
    expect(script && stylesheet, JSON.stringify(assets)).toBeTruthy();
    for (const [path, status] of [
      [script!, 200],
      [stylesheet!, 200],
      ['/_next/static/chunks/missing.js', 404],
      ['/favicon.ico', 404],
    ] as const) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(status);
      expect(response.headers()['strict-transport-security'], path).toBe(
        'max-age=63072000; includeSubDomains',
      );
      expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
    }
  });

  test("the device certificate's fingerprint reaches route handlers", async ({ device, hire }) => {
    // Asked by the browser itself, over the TLS connection Chromium made with the client certificate.
    await device.page.goto('/');
    const seen = await device.page.evaluate(() =>
      fetch('/api/device').then((response) => response.json()),
    );
    expect(seen).toEqual({ certificate: { fingerprint: hire.device.fingerprint } });
    // The fingerprint the server sees is exactly the one registered for the hire.
    const status = await firstkey<{ device: { fingerprint: string } }>(
      'status',
      '--employee-id',
      hire.employeeId,
    );
    expect(status.device.fingerprint).toBe(hire.device.fingerprint);
  });

  test('a browser without a certificate gets no fingerprint', async ({ browser }) => {
    const context = await contextWithCertificate(browser, null);
    const response = await context.request.get('/api/device');
    expect(await response.json()).toEqual({ certificate: null });
    await context.close();
  });

  test('a forged internal or proxy header does not count as a certificate', async ({
    browser,
    hire,
  }) => {
    const other = await strayDevice();
    const context = await contextWithCertificate(browser, other);
    const forgedPeer = Buffer.from(
      JSON.stringify({ fingerprint: hire.device.fingerprint, ip: '10.0.0.1' }),
    ).toString('base64url');
    const response = await context.request.get('/api/device', {
      headers: {
        'x-firstkey-peer': `${forgedPeer}.forged`,
        'x-client-cert-sha256': hire.device.fingerprint,
        'x-firstkey-proxy-secret': 'guess-guess-guess-guess-guess-guess',
      },
    });
    // The server reports the certificate actually presented on the TLS connection, nothing else.
    expect(await response.json()).toEqual({ certificate: { fingerprint: other.fingerprint } });
    const bare = await (
      await contextWithCertificate(browser, null)
    ).request.get('/api/device', {
      headers: {
        'x-firstkey-peer': `${forgedPeer}.forged`,
        'x-client-cert-sha256': hire.device.fingerprint,
      },
    });
    expect(await bare.json()).toEqual({ certificate: null });
    await context.close();
  });

  test('the virtual authenticator can create a user-verified passkey on this origin', async ({
    device,
  }) => {
    await device.page.goto('/');
    const created = await device.page.evaluate(async () => {
      const credential = (await navigator.credentials.create({
        publicKey: {
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          rp: { id: 'localhost', name: 'Firstkey' },
          user: {
            id: crypto.getRandomValues(new Uint8Array(16)),
            name: 'probe',
            displayName: 'Probe',
          },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        },
      })) as PublicKeyCredential | null;
      return credential?.type;
    });
    expect(created).toBe('public-key');
    expect(await device.authenticator.credentials()).toHaveLength(1);
  });
});
