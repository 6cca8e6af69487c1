// Preloaded by `npm run test:unit` into every test file's process: a fresh data folder and a real,
// migrated database per test file. No mocked Prisma anywhere. scripts/test-unit.mjs runs the suite
// twice: FIRSTKEY_TEST_DATABASE=sqlite (a SQLite file in the data folder) and =postgresql (a database
// of its own, firstkey_test_<run>_<random>, on the server at FIRSTKEY_TEST_POSTGRES_URL; the runner
// drops the run's databases when it ends, even those of a test file that crashed).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '@/lib/db/migrate';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-test-'));
process.env.FIRSTKEY_DATA_DIR = dataDir;
process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));

async function createPostgresDatabase(serverUrl: string): Promise<string> {
  const run = process.env.FIRSTKEY_TEST_RUN_ID ?? 'adhoc';
  const name = `firstkey_test_${run}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

if (process.env.FIRSTKEY_TEST_DATABASE === 'postgresql') {
  const serverUrl = process.env.FIRSTKEY_TEST_POSTGRES_URL;
  if (!serverUrl)
    throw new Error('FIRSTKEY_TEST_DATABASE=postgresql needs FIRSTKEY_TEST_POSTGRES_URL');
  process.env.DATABASE_URL = await createPostgresDatabase(serverUrl);
} else {
  process.env.DATABASE_URL = `file:${path.join(dataDir, 'firstkey.db')}`;
}
await migrate(process.env.DATABASE_URL);
