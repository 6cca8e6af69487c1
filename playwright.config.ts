import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { startReceiver } from './e2e/hr-receiver';
import { E2E_HELP_CONTACT } from './e2e/help-contact';
import { E2E_WEBHOOK_SECRETS } from './e2e/webhook-secrets';
import { CHROMIUM_LAUNCH } from './e2e/chromium';

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

const AFTER_BOOTSTRAP = ['staff-screens.spec.ts', 'axe.spec.ts', 'failure-pages.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // 70+ browser tests, two at a time on two cores, beside the server and its database. The same
  // suite took 7-8 min on one day's machine and 14.5 min on another's (where a test that ran axe on
  // five pages took 46-60 s): a whole test gets 3 min, and each expectation 15 s. Limits, not
  // figures: speed is measured by `npm run bench`, never by a test.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: origin,
    // The dev CA is not in Chromium's trust store. Chromium still allows WebAuthn on localhost.
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testIgnore: ['fuzz.spec.ts', 'policy.spec.ts', 'topology/**', ...AFTER_BOOTSTRAP],
    },
    // Specs that enroll IT members run after the others: staff.spec.ts's first test bootstraps the
    // first IT admin, which works only while no IT member can sign in. (Run one alone with --no-deps.)
    {
      name: 'staff',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testMatch: AFTER_BOOTSTRAP,
      dependencies: ['chromium'],
    },
    // After the others and alone: the passkey policy applies to every enrollment on the server.
    {
      name: 'policy',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testMatch: 'policy.spec.ts',
      dependencies: ['staff'],
    },
    // After every other test and alone: the fuzzer checks that its requests write nothing, which only
    // holds if no other test writes meanwhile (e2e/fuzz.spec.ts).
    { name: 'fuzz', testMatch: 'fuzz.spec.ts', dependencies: ['policy'] },
  ],
  webServer: {
    // The compiled server.ts, as `npm start` runs it (built by `node scripts/start.mjs --prepare-only`).
    command: 'node .next/firstkey-server.mjs',
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
      FIRSTKEY_HELP_CONTACT: E2E_HELP_CONTACT,
      FIRSTKEY_MDM_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.mdmIn,
    },
  },
});
