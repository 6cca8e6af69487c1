import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { startReceiver } from './e2e/hr-receiver';
import { E2E_WEBHOOK_SECRETS } from './e2e/webhook-secrets';

// End-to-end tests run the production build behind the real HTTPS front door (server.ts), on a data
// folder of their own, in Debian's Chromium. The folder is made once by the runner and inherited by
// its workers through the environment; its dev CA issues the device certificates tests present.
const port = Number(process.env.FIRSTKEY_E2E_PORT ?? 3444);
const receiverPort = port + 55;
const origin = `https://localhost:${port}`;
if (!process.env.FIRSTKEY_E2E_DATA_DIR) {
  process.env.FIRSTKEY_E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-e2e-'));
  process.env.FIRSTKEY_E2E_ORIGIN = origin;
  execFileSync(process.execPath, ['bin/firstkey.mjs', 'setup'], {
    env: {
      ...process.env,
      FIRSTKEY_DATA_DIR: process.env.FIRSTKEY_E2E_DATA_DIR,
      PORT: String(port),
    },
    stdio: 'ignore',
  });
}
const dataDir = process.env.FIRSTKEY_E2E_DATA_DIR;
if (!process.env.FIRSTKEY_E2E_RECEIVER) {
  process.env.FIRSTKEY_E2E_RECEIVER = `http://127.0.0.1:${receiverPort}`;
  startReceiver(receiverPort);
}

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: origin,
    // The dev CA is not in Chromium's trust store. Chromium still allows WebAuthn on localhost.
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.FIRSTKEY_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testIgnore: 'fuzz.spec.ts',
    },
    // After every other test and alone: the fuzzer checks that its requests write nothing, which only
    // holds if no other test writes meanwhile (e2e/fuzz.spec.ts).
    { name: 'fuzz', testMatch: 'fuzz.spec.ts', dependencies: ['chromium'] },
  ],
  webServer: {
    command: 'node --import tsx --import ./scripts/node-hooks.mjs server.ts',
    url: `${origin}/api/device`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      FIRSTKEY_DATA_DIR: dataDir,
      PORT: String(port),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      FIRSTKEY_HR_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.hrIn,
      FIRSTKEY_HR_STATUS_URL: `http://127.0.0.1:${receiverPort}/hr`,
      FIRSTKEY_HR_STATUS_SECRET: E2E_WEBHOOK_SECRETS.hrStatus,
      FIRSTKEY_MDM_PUSH_URL: `http://127.0.0.1:${receiverPort}/mdm`,
      FIRSTKEY_MDM_PUSH_SECRET: E2E_WEBHOOK_SECRETS.mdm,
      FIRSTKEY_MDM_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.mdmIn,
    },
  },
});
