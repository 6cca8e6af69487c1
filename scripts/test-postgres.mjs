// PostgreSQL for the test suites (README "Database"): the server named by FIRSTKEY_TEST_POSTGRES_URL
// (one where we may CREATE DATABASE) when set, otherwise a throwaway cluster from the installed server
// binaries (initdb/pg_ctl in a temp folder, as the `postgres` user when we are root), stopped and
// removed afterwards. When neither exists the run fails, saying how to install one: PostgreSQL is
// never skipped silently. Used by scripts/test-unit.mjs and the topology e2e tests (e2e/topology/).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export function fail(message) {
  console.error(`\n✗ ${message}\n`);
  process.exit(1);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function answers(url) {
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
export async function dropRunDatabases(url, runId) {
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

/**
 * The PostgreSQL server tests use: { url, stop() } — stop() shuts down a throwaway cluster and does
 * nothing to a server we were given.
 */
export async function testPostgresServer() {
  const given = process.env.FIRSTKEY_TEST_POSTGRES_URL;
  if (given) {
    if (!(await answers(given))) {
      fail(
        `FIRSTKEY_TEST_POSTGRES_URL is set, but no PostgreSQL answers at ${given.replace(/\/\/[^@]*@/, '//…@')}`,
      );
    }
    return { url: given, stop() {} };
  }
  return throwawayCluster();
}
