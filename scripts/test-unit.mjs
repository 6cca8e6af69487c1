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
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

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

function fail(message) {
  console.error(`\n✗ ${message}\n`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** initdb + pg_ctl start in a temp folder, on a free port; returns its URL and how to stop it. */
async function throwawayCluster() {
  const versions = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .filter((version) => fs.existsSync(`/usr/lib/postgresql/${version}/bin/initdb`))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    fail(
      'The integration tests also run on PostgreSQL, and none was found: set FIRSTKEY_TEST_POSTGRES_URL\n' +
        '  (e.g. postgresql://postgres@127.0.0.1:5432/postgres, a user that may CREATE DATABASE), or\n' +
        '  install the server binaries so a throwaway cluster can be started: apt-get install postgresql\n' +
        '  (or FIRSTKEY_TEST_DATABASES=sqlite for a SQLite-only run while developing).',
    );
  }
  const bin = `/usr/lib/postgresql/${versions[0]}/bin`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-pg-'));
  const data = path.join(dir, 'data');
  // PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync('chown', ['-R', 'postgres:', dir], { stdio: 'inherit' });
  const run = (command, args) => {
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      fail(
        `${[command, ...args].join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
      );
    }
  };
  const port = await freePort();
  run(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  // fsync off: a test cluster that dies is thrown away anyway.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  run(`${bin}/pg_ctl`, [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    options,
    '-w',
    'start',
  ]);
  console.log(`› PostgreSQL ${versions[0]}: a throwaway cluster on 127.0.0.1:${port} (${dir})`);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      run(`${bin}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops the databases this run's test files created (also those of a file that crashed). */
async function dropRunDatabases(url, runId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'firstkey_test\\_' || $1 || '\\_%'",
      [runId],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

function runPass(database, env) {
  const passFiles = files.filter((file) => databasesOf(file).includes(database));
  if (passFiles.length === 0) return { status: 0, seconds: 0, count: 0 };
  console.log(`\n› ${passFiles.length} test files on ${database}\n`);
  const started = Date.now();
  const result = spawnSync(
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
      stdio: 'inherit',
      env: {
        ...process.env,
        ...env,
        FIRSTKEY_TEST_DATABASE: database,
        NODE_ENV: 'test',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );
  return {
    status: result.status ?? 1,
    seconds: (Date.now() - started) / 1000,
    count: passFiles.length,
  };
}

const summary = [];
let status = 0;
if (wanted.includes('sqlite')) {
  const pass = runPass('sqlite', {});
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
  let serverUrl = process.env.FIRSTKEY_TEST_POSTGRES_URL;
  let cluster = null;
  if (serverUrl) {
    if (!(await answers(serverUrl))) {
      fail(
        `FIRSTKEY_TEST_POSTGRES_URL is set, but no PostgreSQL answers at ${serverUrl.replace(/\/\/[^@]*@/, '//…@')}`,
      );
    }
  } else {
    cluster = await throwawayCluster();
    serverUrl = cluster.url;
  }
  const runId = crypto.randomBytes(4).toString('hex');
  try {
    const pass = runPass('postgresql', {
      FIRSTKEY_TEST_POSTGRES_URL: serverUrl,
      FIRSTKEY_TEST_RUN_ID: runId,
    });
    summary.push(
      `postgresql: ${pass.count} files, ${pass.seconds.toFixed(0)} s, ${pass.status === 0 ? 'passed' : 'FAILED'}`,
    );
    status ||= pass.status;
  } finally {
    if (cluster) cluster.stop();
    else await dropRunDatabases(serverUrl, runId);
  }
}
console.log(`\n› ${summary.join('; ')}`);
process.exit(status);
