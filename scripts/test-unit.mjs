#!/usr/bin/env node
// Unit and integration tests: every *.test.ts under lib/ and cli/, with node's test runner, on SQLite
// and then on PostgreSQL (README "Database"). Each test file runs in its own process with a fresh,
// migrated database of its own (lib/testing/setup.ts), so files run in parallel on both.
//
// PostgreSQL: FIRSTKEY_TEST_POSTGRES_URL (a server where we may CREATE DATABASE) when set; otherwise a
// throwaway cluster from the installed server binaries (initdb/pg_ctl, as the `postgres` user when we
// are root), stopped and removed afterwards; when neither exists, the run fails and says how to
// install PostgreSQL. It never skips PostgreSQL silently.
// A test file that only makes sense on one database says so on a line of its own:
// `// test-databases: sqlite` (or postgresql), with the reason next to it.
// FIRSTKEY_TEST_DATABASES=sqlite (or postgresql) runs one pass only, for a quicker local loop.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropRunDatabases, testPostgresServer } from './test-postgres.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
function find(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : find(relative);
    return entry.name.endsWith('.test.ts') ? [relative] : [];
  });
}
const DATABASES = ['sqlite', 'postgresql'];
/** The databases a file runs on: all, unless it has a `// test-databases: …` line. */
function databasesOf(file) {
  const match = /^\/\/ test-databases: ([a-z, ]+)$/m.exec(
    fs.readFileSync(path.join(root, file), 'utf8'),
  );
  return match ? match[1].split(/[ ,]+/).filter(Boolean) : DATABASES;
}

const filter = process.argv.slice(2);
const files = ['lib', 'cli']
  .flatMap(find)
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
const wanted = (process.env.FIRSTKEY_TEST_DATABASES ?? DATABASES.join(','))
  .split(',')
  .filter((name) => {
    if (DATABASES.includes(name)) return true;
    console.error(
      `FIRSTKEY_TEST_DATABASES: unknown database "${name}", expected ${DATABASES.join(' or ')}`,
    );
    process.exit(2);
  });

/**
 * Lines of node's test runner that explain a file failed as a whole ("test at file:1:1 … 'test
 * failed'": an error outside any test, such as a rejection nobody handled after a test ended). The
 * runner prints them where they happen, far above its summary; CI shows the end of the output, so
 * they are printed again after it.
 */
// A crash while a file loads prints a plain stack: its `SomethingError: message` line is kept too.
const OUTSIDE_ANY_TEST = /^\s*ℹ Error|asynchronous activity after the test ended|^[A-Za-z]*Error: /;

function runPass(database, env) {
  const passFiles = files.filter((file) => databasesOf(file).includes(database));
  if (passFiles.length === 0)
    return Promise.resolve({ status: 0, seconds: 0, count: 0, notes: [] });
  console.log(`\n› ${passFiles.length} test files on ${database}\n`);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './scripts/node-hooks.mjs',
      '--import',
      './lib/testing/setup.ts',
      '--test',
      '--test-reporter=spec',
      '--test-concurrency=2',
      ...passFiles,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...env,
        FIRSTKEY_TEST_DATABASE: database,
        NODE_ENV: 'test',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );
  const notes = [];
  const relay = (stream, out) => {
    let partial = '';
    stream.on('data', (chunk) => {
      out.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop();
      notes.push(...lines.filter((line) => OUTSIDE_ANY_TEST.test(line)));
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  return new Promise((resolve) =>
    child.on('close', (code) =>
      resolve({
        status: code ?? 1,
        seconds: (Date.now() - started) / 1000,
        count: passFiles.length,
        notes,
      }),
    ),
  );
}

const summary = [];
const outsideAnyTest = [];
let status = 0;
if (wanted.includes('sqlite')) {
  const pass = await runPass('sqlite', {});
  if (pass.status !== 0) outsideAnyTest.push(...pass.notes.map((line) => `sqlite: ${line.trim()}`));
  summary.push(
    `sqlite: ${pass.count} files, ${pass.seconds.toFixed(0)} s, ${pass.status === 0 ? 'passed' : 'FAILED'}`,
  );
  status ||= pass.status;
}
// No PostgreSQL needed when the files asked for are all SQLite-only.
if (
  wanted.includes('postgresql') &&
  files.some((file) => databasesOf(file).includes('postgresql'))
) {
  const server = await testPostgresServer();
  const serverUrl = server.url;
  const cluster = process.env.FIRSTKEY_TEST_POSTGRES_URL ? null : server;
  const runId = crypto.randomBytes(4).toString('hex');
  try {
    const pass = await runPass('postgresql', {
      FIRSTKEY_TEST_POSTGRES_URL: serverUrl,
      FIRSTKEY_TEST_RUN_ID: runId,
    });
    if (pass.status !== 0)
      outsideAnyTest.push(...pass.notes.map((line) => `postgresql: ${line.trim()}`));
    summary.push(
      `postgresql: ${pass.count} files, ${pass.seconds.toFixed(0)} s, ${pass.status === 0 ? 'passed' : 'FAILED'}`,
    );
    status ||= pass.status;
  } finally {
    if (cluster) cluster.stop();
    else await dropRunDatabases(serverUrl, runId);
  }
}
if (outsideAnyTest.length > 0)
  console.log(
    `\n› Errors outside any test, or printed by a failing pass (why a file failed as a whole):\n${outsideAnyTest.slice(0, 40).join('\n')}`,
  );
console.log(`\n› ${summary.join('; ')}`);
process.exit(status);
