// `npm run bench`, first section: the enrollment path as hires meet it. The production server
// (the compiled server.ts, or `BENCH_SERVER=tsx` for server.ts through tsx) over HTTPS on a fresh
// SQLite data folder; N hires, each with its own device certificate from the dev CA and its own TLS
// connection, run the browser's sequence with a software authenticator — peek → redeem → passkey
// options → verify → sign-in options → sign-in verify — C at a time (and once one at a time).
// In the same run, the same client code drives a bare node:https server doing the same two
// ceremonies in memory (bench/peer-server.ts: the peer), and verifyRegistrationResponse runs alone
// (the floor). Prints figures and, last, one JSON line with all of them; asserts nothing.
//
// Options (flag or environment): --hires N / BENCH_HIRES (200), --concurrency C / BENCH_CONCURRENCY
// (50), --serial-hires N / BENCH_SERIAL_HIRES (50, the one-at-a-time pass), --rounds R / BENCH_ROUNDS
// (1), BENCH_PORT (3750; the peer takes the next port), BENCH_SERVER=compiled|tsx, BENCH_CPU_PROF=DIR
// (the server writes a `node --cpu-prof` profile there on exit), BENCH_SERVER_FLAGS (node options for
// the server only, e.g. `--max-old-space-size=128`).
//
// Rounds: a shared 2-core machine changes speed from one minute to the next (one day's runs gave
// the peer 140–157/s and Firstkey 22–34/s), so a ratio of two passes measured a minute apart moves
// with it. With R rounds both servers stay up and each round measures Firstkey's cohort and then
// the peer's, back to back; each round's ratio is printed, and the figures are the median round's.
// The server's peak RSS then covers every round; each round also prints the RSS it left.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import {
  agentFor,
  cpuMs,
  enroll,
  failBench,
  loadAverages,
  makeHires,
  option,
  post,
  printRun,
  procStatus,
  rate,
  root,
  round,
  runAll,
  runFigures,
  serverArgs,
  startProcess,
  STEPS,
  stopProcess,
  summary,
  timed,
  Watch,
  worstP95,
  type Hire,
  type Run,
  type Timings,
} from './enrollment-client';

const HIRES = option('--hires', 'BENCH_HIRES', 200);
const CONCURRENCY = option('--concurrency', 'BENCH_CONCURRENCY', 50);
const SERIAL_HIRES = option('--serial-hires', 'BENCH_SERIAL_HIRES', 50);
const ROUNDS = Math.max(1, option('--rounds', 'BENCH_ROUNDS', 1));
const WARM_UP_HIRES = 20;
const PORT = option('--port', 'BENCH_PORT', 3750);
const PEER_PORT = PORT + 1;
const SERVER_MODE = process.env.BENCH_SERVER === 'tsx' ? 'tsx' : 'compiled';
const ORIGIN = `https://localhost:${PORT}`;
const PEER_ORIGIN = `https://localhost:${PEER_PORT}`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-bench-server-'));
const benchEnv: NodeJS.ProcessEnv = {
  ...process.env,
  FIRSTKEY_DATA_DIR: dataDir,
  DATABASE_URL: `file:${path.join(dataDir, 'firstkey.db')}`,
  PORT: String(PORT),
  NODE_ENV: 'production' as const,
  NEXT_TELEMETRY_DISABLED: '1',
};
Object.assign(process.env, {
  FIRSTKEY_DATA_DIR: benchEnv.FIRSTKEY_DATA_DIR,
  DATABASE_URL: benchEnv.DATABASE_URL,
  PORT: benchEnv.PORT,
});
// Also when the bench fails part-way (failBench exits).
process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
execFileSync(process.execPath, ['bin/firstkey.mjs', 'setup'], {
  cwd: root,
  env: benchEnv,
  stdio: 'ignore',
});

const { db } = await import('@/lib/db');
const { caFiles, serverFiles } = await import('@/lib/devices/dev-ca');
const { verifyAuditChain } = await import('@/lib/audit/verify');
const { SoftAuthenticator } = await import('@/lib/testing/soft-authenticator');

const PEER_STEPS = ['options', 'verify', 'signInOptions', 'signInVerify'] as const;
const caPem = fs.readFileSync(caFiles(dataDir).certPath);
const target = { origin: ORIGIN, ca: caPem };
const enrollHere = (hire: Hire, timings: Timings) => enroll(hire, timings, target);

/** The peer's two ceremonies, driven by the same client code. */
async function peerCeremonies(hire: Hire, timings: Timings): Promise<void> {
  const agent = agentFor(hire, caPem);
  try {
    const send = (pathname: string, body: unknown, cookie?: string) =>
      post(agent, PEER_ORIGIN, pathname, body, cookie);
    const options = await timed(timings, 'options', () => send('/register/options', {}));
    const authenticator = new SoftAuthenticator({ userVerification: true });
    const registration = authenticator.register(
      options.body as PublicKeyCredentialCreationOptionsJSON,
      PEER_ORIGIN,
    );
    await timed(timings, 'verify', () =>
      send('/register/verify', { response: registration }, options.setCookie),
    );
    const signIn = await timed(timings, 'signInOptions', () => send('/authenticate/options', {}));
    const assertion = authenticator.authenticate(
      signIn.body as PublicKeyCredentialRequestOptionsJSON,
      PEER_ORIGIN,
    );
    await timed(timings, 'signInVerify', () =>
      send('/authenticate/verify', { response: assertion }),
    );
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------
// The floor: verifyRegistrationResponse alone, on responses made ahead of time.
async function floor(count: number): Promise<number> {
  const responses = [];
  for (let i = 0; i < count; i += 1) {
    const options = await generateRegistrationOptions({
      rpName: 'Floor',
      rpID: 'localhost',
      userID: crypto.randomBytes(16),
      userName: `floor-${i}`,
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const response = new SoftAuthenticator({ userVerification: true }).register(options, ORIGIN);
    responses.push({ response, challenge: options.challenge });
  }
  const started = performance.now();
  for (const { response, challenge } of responses) {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: 'localhost',
      requireUserVerification: true,
    });
    if (!result.verified) throw new Error('floor: not verified');
  }
  return count / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------------
console.log(
  `\n## Real server: ${SERVER_MODE} server.ts over HTTPS, SQLite, ${HIRES} hires at ${CONCURRENCY} in flight (+ ${SERIAL_HIRES} one at a time)`,
);
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
const started = performance.now();
const hiresFor = (count: number, prefix: string) =>
  makeHires(db(), { dataDir, origin: ORIGIN, count, prefix });
const warmUp = await hiresFor(WARM_UP_HIRES, 'W');
const serial = await hiresFor(SERIAL_HIRES, 'S');
// Each round's Firstkey cohort uses up its links; the peer keeps nothing, so it reuses the first.
const cohorts: Hire[][] = [];
for (let round = 0; round < ROUNDS; round += 1) cohorts.push(await hiresFor(HIRES, `M${round}-`));
console.log(
  `set-up: ${WARM_UP_HIRES + SERIAL_HIRES + HIRES * ROUNDS} hires with devices, certificates and links in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
await db().$disconnect();

// Both servers must stay up while they are measured: if one dies, the bench stops and says so.
const watch = new Watch();
const {
  child: server,
  startupMs,
  log: serverLog,
} = await startProcess(serverArgs(), /Firstkey is running/, benchEnv).catch(failBench);
watch.add('the Firstkey server', server, serverLog);
const pid = server.pid!;
// The peer, on the same client code, hires and certificates.
const tls = serverFiles(dataDir);
const peer = await startProcess(
  ['--import', 'tsx', 'bench/peer-server.ts', String(PEER_PORT), tls.certPath, tls.keyPath],
  /peer listening/,
  benchEnv,
).catch(failBench);
watch.add('the peer', peer.child, peer.log);
const peerPid = peer.child.pid!;
await new Promise((resolve) => setTimeout(resolve, 1000));
let peakRss = 0;
let idle = { rssMiB: 0, hwmMiB: 0 };
const poll = setInterval(() => {
  if (server.exitCode === null && server.signalCode === null)
    peakRss = Math.max(peakRss, procStatus(pid).rssMiB);
}, 50);
type Round = {
  firstkey: Run;
  cpuMs: number;
  rssAfterMiB: number;
  peer: Run;
  peerCpuMs: number;
  ratio: number;
};
const rounds: Round[] = [];
let serialRun: Run;
let serialCpuMs: number;
let loadBefore: number[], loadAfter: number[];
try {
  await watch.during(Promise.resolve());
  idle = procStatus(pid);
  peakRss = idle.rssMiB;
  await watch.during(runAll(warmUp, 1, enrollHere));
  await watch.during(runAll(warmUp, 1, peerCeremonies));
  let cpu0 = cpuMs(pid);
  serialRun = await watch.during(runAll(serial, 1, enrollHere));
  serialCpuMs = (cpuMs(pid) - cpu0) / Math.max(1, serialRun.done);
  loadBefore = loadAverages();
  for (const cohort of cohorts) {
    cpu0 = cpuMs(pid);
    const firstkey = await watch.during(runAll(cohort, CONCURRENCY, enrollHere));
    const cpu = (cpuMs(pid) - cpu0) / Math.max(1, firstkey.done);
    const rssAfterMiB = procStatus(pid).rssMiB;
    const peerCpu0 = cpuMs(peerPid);
    const peerRun = await watch.during(runAll(cohorts[0]!, CONCURRENCY, peerCeremonies));
    const peerCpu = (cpuMs(peerPid) - peerCpu0) / Math.max(1, peerRun.done);
    rounds.push({
      firstkey,
      cpuMs: cpu,
      rssAfterMiB,
      peer: peerRun,
      peerCpuMs: peerCpu,
      ratio: rate(firstkey) / rate(peerRun),
    });
  }
  loadAfter = loadAverages();
} catch (error) {
  failBench(error);
} finally {
  clearInterval(poll);
}
const end = procStatus(pid);
peakRss = Math.max(peakRss, end.rssMiB, end.hwmMiB);
await stopProcess(server, watch);
await stopProcess(peer.child, watch);
// The round with the median throughput ratio speaks for the run.
const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)]!;
const cohortRun = median.firstkey;
const cohortCpuMs = median.cpuMs;
const peerRun = median.peer;
const peerCpuMs = median.peerCpuMs;

const floorPerSecond = await floor(500);

const chain = await verifyAuditChain(db());
await db().$disconnect();

console.log(
  `server: start-up ${startupMs.toFixed(0)} ms, RSS idle ${idle.rssMiB.toFixed(0)} MiB, peak ${peakRss.toFixed(0)} MiB`,
);
printRun('Firstkey, one at a time', serialRun, STEPS);
console.log(`  server CPU ${serialCpuMs.toFixed(1)} ms per enrollment`);
printRun(`Firstkey, ${CONCURRENCY} in flight`, cohortRun, STEPS);
console.log(
  `  server CPU ${cohortCpuMs.toFixed(1)} ms per enrollment; load average ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after`,
);
printRun(
  `Peer (bare node:https, both ceremonies in memory), ${CONCURRENCY} in flight`,
  peerRun,
  PEER_STEPS,
);
console.log(`  peer CPU ${peerCpuMs.toFixed(1)} ms per ceremony pair`);
if (ROUNDS > 1) {
  console.log(
    `Rounds (Firstkey's cohort, then the peer's, back to back; the figures above are the median round's):`,
  );
  rounds.forEach((measured, index) =>
    console.log(
      `  round ${index + 1}: Firstkey ${rate(measured.firstkey).toFixed(1)}/s (${measured.cpuMs.toFixed(1)} ms CPU, RSS after ${measured.rssAfterMiB.toFixed(0)} MiB, worst step p95 ${worstP95(measured.firstkey, STEPS).toFixed(0)} ms), peer ${rate(measured.peer).toFixed(1)}/s, ratio ${measured.ratio.toFixed(3)}${measured === median ? ' (median)' : ''}`,
    ),
  );
}
console.log(`Floor (verifyRegistrationResponse alone): ${floorPerSecond.toFixed(0)}/s`);
console.log(
  `Ratios: Firstkey ÷ peer ${(rate(cohortRun) / rate(peerRun)).toFixed(3)} (throughput), ${(peerCpuMs / cohortCpuMs).toFixed(3)} (CPU per enrollment); Firstkey ÷ floor ${(rate(cohortRun) / floorPerSecond).toFixed(4)}`,
);
console.log(`audit chain: ${chain.events} events, ${chain.ok ? 'intact' : 'BROKEN'}`);

const figures = {
  bench: 'enrollment-real-server',
  server: SERVER_MODE,
  database: 'sqlite',
  instances: 1,
  hires: HIRES,
  concurrency: CONCURRENCY,
  serialHires: SERIAL_HIRES,
  rounds: rounds.map((measured) => ({
    enrollmentsPerSecond: round(rate(measured.firstkey), 2),
    cpuMsPerEnrollment: round(measured.cpuMs),
    rssAfterMiB: round(measured.rssAfterMiB, 0),
    worstStepP95Ms: round(worstP95(measured.firstkey, STEPS)),
    peerCeremoniesPerSecond: round(rate(measured.peer), 2),
    throughputVsPeer: round(measured.ratio, 3),
    errors: measured.firstkey.errors.length + measured.peer.errors.length,
  })),
  cores: os.cpus().length,
  loadAverage: { before: loadBefore, after: loadAfter },
  startupMs: round(startupMs, 0),
  rssMiB: { idle: round(idle.rssMiB, 0), peak: round(peakRss, 0) },
  serial: { ...runFigures(serialRun), cpuMsPerEnrollment: round(serialCpuMs) },
  concurrent: { ...runFigures(cohortRun), cpuMsPerEnrollment: round(cohortCpuMs) },
  peer: {
    ceremoniesPerSecond: round(rate(peerRun), 2),
    errors: peerRun.errors.length,
    cpuMsPerCeremonyPair: round(peerCpuMs),
    steps: Object.fromEntries(
      PEER_STEPS.map((step) => [step, summary(peerRun.timings[step] ?? [])]),
    ),
  },
  floorVerificationsPerSecond: round(floorPerSecond, 0),
  ratios: {
    throughputVsPeer: round(rate(cohortRun) / rate(peerRun), 3),
    cpuVsPeer: round(peerCpuMs / cohortCpuMs, 3),
    throughputVsFloor: round(rate(cohortRun) / floorPerSecond, 4),
  },
  auditChainIntact: chain.ok,
};
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify(figures));
