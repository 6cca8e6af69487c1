// Shared by the CLI's test files (cli/*.test.ts): the CLI exactly as an operator runs it, a separate
// process on its own data folder. Each test file runs in its own process with a database of its own
// (lib/testing/setup.ts), so the files share nothing and run side by side.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-cli-'));
// On SQLite, not the test process's DATABASE_URL: the CLI finds its database in its data folder by
// default (Node leaves out variables whose value is undefined). On PostgreSQL, the test file's own
// fresh database, named by DATABASE_URL as an operator would.
const onPostgres = process.env.FIRSTKEY_TEST_DATABASE === 'postgresql';
export const cliEnv = {
  ...process.env,
  FIRSTKEY_DATA_DIR: dataDir,
  DATABASE_URL: onPostgres ? process.env.DATABASE_URL : undefined,
};

export async function firstkey(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/firstkey.mjs', ...args], {
      env: cliEnv,
    });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, json: null, stdout: failure.stdout, stderr: failure.stderr };
  }
}

export const ADA = [
  '--employee-id',
  'E100',
  '--name',
  'Ada Lovelace',
  '--email',
  'ada@example.com',
  '--start-date',
  '2026-12-01',
];
