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
// (50), --serial-hires N / BENCH_SERIAL_HIRES (50, the one-at-a-time pass), BENCH_PORT (3750; the peer
// takes the next port), BENCH_SERVER=compiled|tsx, BENCH_CPU_PROF=DIR (the server writes a
// `node --cpu-prof` profile there on exit).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
function option(flag: string, name: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const raw = index >= 0 ? process.argv[index + 1] : process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag}: expected a positive integer`);
  return value;
}
const HIRES = option('--hires', 'BENCH_HIRES', 200);
const CONCURRENCY = option('--concurrency', 'BENCH_CONCURRENCY', 50);
const SERIAL_HIRES = option('--serial-hires', 'BENCH_SERIAL_HIRES', 50);
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
execFileSync(process.execPath, ['bin/firstkey.mjs', 'setup'], {
  cwd: root,
  env: benchEnv,
  stdio: 'ignore',
});

const { db } = await import('@/lib/db');
const { addHire } = await import('@/lib/hires/add-hire');
const { registerDevice } = await import('@/lib/hires/register-device');
const { issueLink } = await import('@/lib/enrollment/issue-link');
const { issueDeviceCertificate, caFiles, serverFiles } = await import('@/lib/devices/dev-ca');
const { verifyAuditChain } = await import('@/lib/audit/verify');
const { SoftAuthenticator } = await import('@/lib/testing/soft-authenticator');

// ---------------------------------------------------------------------------------------------------
// Figures
const STEPS = ['peek', 'redeem', 'options', 'verify', 'signInOptions', 'signInVerify'] as const;
const PEER_STEPS = ['options', 'verify', 'signInOptions', 'signInVerify'] as const;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
function summary(values: number[]) {
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
  };
}
function loadAverages(): number[] {
  return os.loadavg().map((value) => round(value, 2));
}

// ---------------------------------------------------------------------------------------------------
// Hires: each with a registered device, its own certificate and an issued link.
type Hire = { employeeId: string; token: string; cert: string; key: string };
const caPem = fs.readFileSync(caFiles(dataDir).certPath);

async function makeHires(count: number, prefix: string): Promise<Hire[]> {
  const actor = { type: 'cli' } as const;
  const today = new Date().toISOString().slice(0, 10);
  const hires: Hire[] = [];
  for (let i = 0; i < count; i += 1) {
    const employeeId = `${prefix}${i}`;
    const at = new Date();
    await addHire(
      db(),
      {
        employeeId,
        name: `Bench ${prefix}${i}`,
        email: `${prefix}${i}@example.com`.toLowerCase(),
        startDate: today,
      },
      { actor, at },
    );
    const files = await issueDeviceCertificate(dataDir, {
      employeeId,
      outDir: path.join(dataDir, 'devices', employeeId),
    });
    const cert = fs.readFileSync(files.certPath, 'utf8');
    await registerDevice(
      db(),
      { employeeId, serial: `SN-${employeeId}`, certificatePem: cert },
      { actor, at },
    );
    const link = await issueLink(db(), { employeeId }, { actor, at, origin: ORIGIN });
    if (!link.ok) throw new Error(link.message);
    hires.push({
      employeeId,
      token: new URL(link.url).hash.slice(1),
      cert,
      key: fs.readFileSync(files.keyPath, 'utf8'),
    });
  }
  return hires;
}

// ---------------------------------------------------------------------------------------------------
// The client: one keep-alive TLS connection per hire presenting their certificate, as a browser would.
type Answer = { status: number; body: unknown; setCookie: string | undefined };

function post(
  agent: https.Agent,
  origin: string,
  pathname: string,
  body: unknown,
  cookie?: string,
): Promise<Answer> {
  const payload = JSON.stringify(body);
  const url = new URL(pathname, origin);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          origin,
          'user-agent': 'firstkey-bench',
          ...(cookie ? { cookie } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Kept as text: reported as an error below.
          }
          const setCookie = response.headers['set-cookie']?.[0]?.split(';')[0];
          resolve({ status: response.statusCode ?? 0, body: parsed, setCookie });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function agentFor(hire: Hire): https.Agent {
  return new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    cert: hire.cert,
    key: hire.key,
    ca: caPem,
  });
}

type Timings = Record<string, number[]>;
type Run = { timings: Timings; errors: string[]; seconds: number; done: number };

async function timed(
  timings: Timings,
  step: string,
  call: () => Promise<Answer>,
  expect = 200,
): Promise<Answer> {
  const t0 = performance.now();
  const answer = await call();
  (timings[step] ??= []).push(performance.now() - t0);
  if (answer.status !== expect)
    throw new Error(`${step}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  return answer;
}

/** The enrollment page's sequence (components/enrollment/enrollment-flow.tsx) for one hire. */
async function enroll(hire: Hire, timings: Timings): Promise<void> {
  const agent = agentFor(hire);
  try {
    const send = (pathname: string, body: unknown, cookie?: string) =>
      post(agent, ORIGIN, pathname, body, cookie);
    await timed(timings, 'peek', () => send('/api/enroll/peek', { token: hire.token }));
    const redeemed = await timed(timings, 'redeem', () =>
      send('/api/enroll/redeem', { token: hire.token }),
    );
    const cookie = redeemed.setCookie;
    const options = await timed(timings, 'options', () =>
      send('/api/enroll/passkey/options', {}, cookie),
    );
    const authenticator = new SoftAuthenticator({ userVerification: true });
    const registration = authenticator.register(
      options.body as PublicKeyCredentialCreationOptionsJSON,
      ORIGIN,
    );
    await timed(timings, 'verify', () =>
      send('/api/enroll/passkey/verify', { response: registration }, cookie),
    );
    const signIn = await timed(timings, 'signInOptions', () =>
      send('/api/passkeys/authenticate/options', {}),
    );
    const assertion = authenticator.authenticate(
      signIn.body as PublicKeyCredentialRequestOptionsJSON,
      ORIGIN,
    );
    await timed(timings, 'signInVerify', () =>
      send('/api/passkeys/authenticate/verify', { response: assertion }),
    );
  } finally {
    agent.destroy();
  }
}

/** The peer's two ceremonies, driven by the same client code. */
async function peerCeremonies(hire: Hire, timings: Timings): Promise<void> {
  const agent = agentFor(hire);
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

async function runAll(
  hires: Hire[],
  concurrency: number,
  one: (hire: Hire, timings: Timings) => Promise<void>,
): Promise<Run> {
  const timings: Timings = {};
  const errors: string[] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, hires.length) }, async () => {
      while (next < hires.length) {
        const hire = hires[next++]!;
        try {
          await one(hire, timings);
          done += 1;
        } catch (error) {
          errors.push(`${hire.employeeId}: ${(error as Error).message}`);
        }
      }
    }),
  );
  return { timings, errors, seconds: (performance.now() - started) / 1000, done };
}

// ---------------------------------------------------------------------------------------------------
// The server process: start-up time, RSS and CPU time from /proc.
function procStatus(pid: number): { rssMiB: number; hwmMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
function cpuMs(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function startProcess(
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; startupMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: benchEnv, stdio: 'pipe' });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (ready.test(output)) resolve({ child, startupMs: performance.now() - started });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function serverArgs(): string[] {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)]
    : [];
  if (SERVER_MODE === 'tsx')
    return [...profile, '--import', 'tsx', '--import', './scripts/node-hooks.mjs', 'server.ts'];
  const compiled = path.join(root, '.next', 'firstkey-server.mjs');
  if (!fs.existsSync(compiled))
    throw new Error(`${compiled} is missing: run \`npm run build\` first`);
  return [...profile, compiled];
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
const warmUp = await makeHires(WARM_UP_HIRES, 'W');
const serial = await makeHires(SERIAL_HIRES, 'S');
const cohort = await makeHires(HIRES, 'M');
console.log(
  `set-up: ${WARM_UP_HIRES + SERIAL_HIRES + HIRES} hires with devices, certificates and links in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
await db().$disconnect();

const { child: server, startupMs } = await startProcess(serverArgs(), /Firstkey is running/);
const pid = server.pid!;
await new Promise((resolve) => setTimeout(resolve, 1000));
const idle = procStatus(pid);
let peakRss = idle.rssMiB;
const poll = setInterval(() => {
  peakRss = Math.max(peakRss, procStatus(pid).rssMiB);
}, 50);

await runAll(warmUp, 1, enroll);
let cpu0 = cpuMs(pid);
const serialRun = await runAll(serial, 1, enroll);
const serialCpuMs = (cpuMs(pid) - cpu0) / Math.max(1, serialRun.done);
const loadBefore = loadAverages();
cpu0 = cpuMs(pid);
const cohortRun = await runAll(cohort, CONCURRENCY, enroll);
const cohortCpuMs = (cpuMs(pid) - cpu0) / Math.max(1, cohortRun.done);
const loadAfter = loadAverages();
clearInterval(poll);
const end = procStatus(pid);
peakRss = Math.max(peakRss, end.rssMiB, end.hwmMiB);
await stopProcess(server);

// The peer, on the same client code, hires and certificates.
const tls = serverFiles(dataDir);
const { child: peer } = await startProcess(
  ['--import', 'tsx', 'bench/peer-server.ts', String(PEER_PORT), tls.certPath, tls.keyPath],
  /peer listening/,
);
await runAll(warmUp, 1, peerCeremonies);
const peerPid = peer.pid!;
const peerCpu0 = cpuMs(peerPid);
const peerRun = await runAll(cohort, CONCURRENCY, peerCeremonies);
const peerCpuMs = (cpuMs(peerPid) - peerCpu0) / Math.max(1, peerRun.done);
await stopProcess(peer);

const floorPerSecond = await floor(500);

const chain = await verifyAuditChain(db());
await db().$disconnect();

const rate = (run: Run) => run.done / run.seconds;
const worstP95 = (run: Run, steps: readonly string[]) =>
  Math.max(...steps.map((step) => percentile(run.timings[step] ?? [], 95)));
function printRun(title: string, run: Run, steps: readonly string[]) {
  console.log(
    `${title}: ${rate(run).toFixed(1)}/s, ${run.done} done, ${run.errors.length} errors, ${run.seconds.toFixed(1)} s`,
  );
  for (const step of steps) {
    const s = summary(run.timings[step] ?? []);
    console.log(
      `  ${step.padEnd(14)} p50 ${String(s.p50).padStart(7)} ms  p95 ${String(s.p95).padStart(7)} ms  p99 ${String(s.p99).padStart(7)} ms`,
    );
  }
  for (const error of run.errors.slice(0, 5)) console.log(`  error: ${error}`);
}

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
  cores: os.cpus().length,
  loadAverage: { before: loadBefore, after: loadAfter },
  startupMs: round(startupMs, 0),
  rssMiB: { idle: round(idle.rssMiB, 0), peak: round(peakRss, 0) },
  serial: {
    enrollmentsPerSecond: round(rate(serialRun), 2),
    errors: serialRun.errors.length,
    cpuMsPerEnrollment: round(serialCpuMs),
    steps: Object.fromEntries(STEPS.map((step) => [step, summary(serialRun.timings[step] ?? [])])),
    worstStepP95Ms: round(worstP95(serialRun, STEPS)),
  },
  concurrent: {
    enrollmentsPerSecond: round(rate(cohortRun), 2),
    errors: cohortRun.errors.length,
    cpuMsPerEnrollment: round(cohortCpuMs),
    steps: Object.fromEntries(STEPS.map((step) => [step, summary(cohortRun.timings[step] ?? [])])),
    worstStepP95Ms: round(worstP95(cohortRun, STEPS)),
  },
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
