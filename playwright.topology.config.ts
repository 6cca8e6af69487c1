import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './e2e/chromium';

// The production topology (e2e/topology/): nginx + two instances + PostgreSQL, started by the spec
// itself (it kills and restarts instances), so no webServer here. `npm run test:e2e` runs it after
// the main suite; without nginx or PostgreSQL it fails, it never skips. Ports: FIRSTKEY_TOPOLOGY_PORT
// (nginx, default 3700), +1 and +2 (the instances), +3 (the webhook receiver).
export default defineConfig({
  testDir: 'e2e/topology',
  workers: 1,
  retries: 0,
  timeout: 300_000,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
});
