// `npm run bench`, second section: the same enrollment sequence as bench/server.bench.ts (the same
// client, bench/enrollment-client.ts: peek → redeem → passkey options → verify → sign-in options →
// sign-in verify, one TLS connection and device certificate per hire) on PostgreSQL:
//   1. one instance, the compiled server.ts over HTTPS reading the certificate from the connection;
//   2. nginx in front of two instances (proxy mode, round-robin: e2e/topology/topology.ts, which
//      runs deploy/nginx.conf), then in front of one (the other stopped), then two again (the other
//      restarted) — the production shape.
// PostgreSQL is FIRSTKEY_TEST_POSTGRES_URL's server, else a throwaway cluster (scripts/test-postgres.mjs);
// each part gets a fresh database, dropped afterwards. Prints figures and, last, one JSON line.
//
// Options (flag or environment): --hires N / BENCH_HIRES (200 per measured run), --concurrency C /
// BENCH_CONCURRENCY (50), BENCH_PORT (3750): the one instance listens on BENCH_PORT+2, the topology
// takes BENCH_PORT+3 (nginx) to BENCH_PORT+6.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { testPostgresServer } from '../scripts/test-postgres.mjs';
import { Topology } from '../e2e/topology/topology';
import {
  cpuMs,
  enroll,
  failBench,
  loadAverages,
  makeHires,
  option,
  printRun,
  rate,
  root,
  round,
  runAll,
  runFigures,
  serverArgs,
  startProcess,
  STEPS,
  stopProcess,
  Watch,
  type Hire,
  type Run,
  type Timings,
} from './enrollment-client';

const HIRES = option('--hires', 'BENCH_HIRES', 200);
const CONCURRENCY = option('--concurrency', 'BENCH_CONCURRENCY', 50);
const WARM_UP_HIRES = 20;
const PORT = option('--port', 'BENCH_PORT', 3750) + 2;
const TOPOLOGY_PORT = PORT + 1;
const ORIGIN = `https://localhost:${PORT}`;

const postgres = await testPostgresServer();
// The topology below takes its database from the same server.
process.env.FIRSTKEY_TEST_POSTGRES_URL ??= postgres.url;
const cleanUp: (() => Promise<void> | void)[] = [() => postgres.stop()];
async function finish() {
  for (const step of cleanUp.reverse()) await Promise.resolve(step()).catch(() => {});
}
process.on('SIGINT', () => void finish().then(() => process.exit(130)));

async function freshDatabase(): Promise<string> {
  const name = `firstkey_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  cleanUp.push(async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  return url.toString();
}

const watch = new Watch();
const figures: Record<string, unknown> = {
  bench: 'enrollment-real-server-postgresql',
  hires: HIRES,
  concurrency: CONCURRENCY,
  cores: os.cpus().length,
};

try {
  // -------------------------------------------------------------------------------------------------
  // 1. One instance on PostgreSQL, as bench/server.bench.ts runs it on SQLite.
  const databaseUrl = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-bench-postgres-'));
  cleanUp.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const benchEnv: NodeJS.ProcessEnv = {
    ...process.env,
    FIRSTKEY_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: String(PORT),
    NODE_ENV: 'production' as const,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  Object.assign(process.env, { FIRSTKEY_DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
  execFileSync(process.execPath, ['bin/firstkey.mjs', 'setup'], {
    cwd: root,
    env: benchEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  const { db } = await import('@/lib/db');
  const { caFiles } = await import('@/lib/devices/dev-ca');
  const { verifyAuditChain } = await import('@/lib/audit/verify');

  console.log(
    `\n## Real server on PostgreSQL: compiled server.ts, ${HIRES} hires at ${CONCURRENCY} in flight per run`,
  );
  let started = performance.now();
  const warmUp = await makeHires(db(), {
    dataDir,
    origin: ORIGIN,
    count: WARM_UP_HIRES,
    prefix: 'W',
  });
  const cohort = await makeHires(db(), { dataDir, origin: ORIGIN, count: HIRES, prefix: 'P' });
  console.log(
    `set-up: ${WARM_UP_HIRES + HIRES} hires with devices, certificates and links in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const target = { origin: ORIGIN, ca: fs.readFileSync(caFiles(dataDir).certPath) };
  const enrollHere = (hire: Hire, timings: Timings) => enroll(hire, timings, target);

  const server = await startProcess(serverArgs(), /Firstkey is running/, benchEnv);
  watch.add('the Firstkey server (PostgreSQL)', server.child, server.log);
  await watch.during(runAll(warmUp, 1, enrollHere));
  const pid = server.child.pid!;
  const loadBefore = loadAverages();
  const cpu0 = cpuMs(pid);
  const oneRun = await watch.during(runAll(cohort, CONCURRENCY, enrollHere));
  const oneCpuMs = (cpuMs(pid) - cpu0) / Math.max(1, oneRun.done);
  const loadAfter = loadAverages();
  await stopProcess(server.child, watch);
  const chain = await verifyAuditChain(db());
  await db().$disconnect();
  printRun(`One instance, ${CONCURRENCY} in flight`, oneRun, STEPS);
  console.log(
    `  server start-up ${server.startupMs.toFixed(0)} ms, CPU ${oneCpuMs.toFixed(1)} ms per enrollment; load average ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after; audit chain ${chain.ok ? `intact (${chain.events} events)` : 'BROKEN'}`,
  );
  figures.oneInstance = {
    ...runFigures(oneRun),
    cpuMsPerEnrollment: round(oneCpuMs),
    startupMs: round(server.startupMs, 0),
    loadAverage: { before: loadBefore, after: loadAfter },
    auditChainIntact: chain.ok,
  };

  // -------------------------------------------------------------------------------------------------
  // 2. nginx + two instances, then nginx + one, on one PostgreSQL database (fresh hires for each).
  const topology = new Topology(TOPOLOGY_PORT);
  cleanUp.push(() => topology.stop());
  started = performance.now();
  await topology.start(WARM_UP_HIRES + 3 * HIRES);
  console.log(
    `\n## nginx (deploy/nginx.conf) in front of instances in proxy mode, PostgreSQL; set-up with ${WARM_UP_HIRES + 3 * HIRES} hires in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const instances = [...topology.processes.entries()];
  for (const [id, child] of instances) watch.add(`instance ${id}`, child, () => topology.log(id));
  const nginx = (topology as unknown as { nginx: import('node:child_process').ChildProcess }).nginx;
  watch.add('nginx', nginx, () => '(see its error.log in the topology folder)');
  const seeded: Hire[] = topology.hires.map((hire) => ({
    employeeId: hire.employeeId,
    token: hire.token,
    cert: fs.readFileSync(hire.certPath, 'utf8'),
    key: fs.readFileSync(hire.keyPath, 'utf8'),
  }));
  const throughNginx = { origin: topology.origin, ca: topology.caPem };
  const enrollThroughNginx = (hire: Hire, timings: Timings) => enroll(hire, timings, throughNginx);
  const cpuOfInstances = () =>
    instances
      .filter(([, child]) => child.exitCode === null && child.signalCode === null)
      .reduce((sum, [, child]) => sum + cpuMs(child.pid!), 0);

  async function measured(label: string, hires: Hire[]) {
    const load0 = loadAverages();
    const cpuBefore = cpuOfInstances();
    const run: Run = await watch.during(runAll(hires, CONCURRENCY, enrollThroughNginx));
    const cpu = (cpuOfInstances() - cpuBefore) / Math.max(1, run.done);
    const load1 = loadAverages();
    printRun(`${label}, ${CONCURRENCY} in flight`, run, STEPS);
    console.log(
      `  instances' CPU ${cpu.toFixed(1)} ms per enrollment; load average ${load0.join(' ')} before, ${load1.join(' ')} after`,
    );
    return {
      run,
      figures: {
        ...runFigures(run),
        cpuMsPerEnrollment: round(cpu),
        loadAverage: { before: load0, after: load1 },
      },
    };
  }

  // Two, one, then two again (fk-b restarted): the repeat shows how much of the difference between
  // the first two runs is their order (a warmer server, a fuller database) rather than the set-up.
  const cohorts = [0, 1, 2].map((i) =>
    seeded.slice(WARM_UP_HIRES + i * HIRES, WARM_UP_HIRES + (i + 1) * HIRES),
  );
  await watch.during(runAll(seeded.slice(0, WARM_UP_HIRES), 2, enrollThroughNginx));
  const two = await measured('nginx + two instances', cohorts[0]!);
  await stopProcess(topology.processes.get('fk-b')!, watch);
  // nginx finds fk-b gone at its first failed connection and sends everything to fk-a.
  await topology.request('GET', '/api/health');
  const one = await measured('nginx + one instance', cohorts[1]!);
  await topology.startInstance('fk-b');
  const restarted = topology.processes.get('fk-b')!;
  instances.splice(
    instances.findIndex(([id]) => id === 'fk-b'),
    1,
    ['fk-b', restarted],
  );
  watch.add('instance fk-b (restarted)', restarted, () => topology.log('fk-b'));
  // nginx takes fk-b back once its fail_timeout (3 s) has passed.
  await new Promise((resolve) => setTimeout(resolve, 3_500));
  const twoAgain = await measured('nginx + two instances again (fk-b restarted)', cohorts[2]!);
  const verified = await topology.cli<{ ok: boolean; events: number }>('audit', 'verify');
  const twoRate = (rate(two.run) + rate(twoAgain.run)) / 2;
  console.log(
    `audit chain: ${verified.ok ? `intact (${verified.events} events)` : 'BROKEN'}; two ÷ one instance behind nginx: ${(twoRate / rate(one.run)).toFixed(2)} (throughput, mean of both two-instance runs)`,
  );
  figures.nginxTwoInstances = two.figures;
  figures.nginxOneInstance = one.figures;
  figures.nginxTwoInstancesAgain = twoAgain.figures;
  figures.nginxAuditChainIntact = verified.ok;
  figures.ratios = {
    twoVsOneBehindNginx: round(twoRate / rate(one.run), 3),
    nginxOneVsDirectOne: round(rate(one.run) / rate(oneRun), 3),
  };
} catch (error) {
  await finish();
  failBench(error);
}
await finish();
console.log(JSON.stringify(figures));
