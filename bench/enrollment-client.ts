// The bench's hires and its client, shared by bench/server.bench.ts (one instance: SQLite, then the
// peer) and bench/postgres.bench.ts (PostgreSQL: one instance, then nginx in front of one and two):
// hires made through the lib functions the CLI calls, the browser's enrollment sequence over one
// keep-alive TLS connection per hire, the figures, and the server processes — watched, so a server
// that dies mid-run stops the bench with its exit code and last log lines instead of a hang or a
// column of errors.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Db } from '@/lib/db';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// ---------------------------------------------------------------------------------------------------
// Options and figures
export function option(flag: string, name: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const raw = index >= 0 ? process.argv[index + 1] : process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag}: expected a positive integer`);
  return value;
}

export const STEPS = [
  'peek',
  'redeem',
  'options',
  'verify',
  'signInOptions',
  'signInVerify',
] as const;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
export const round = (value: number, digits = 1) => Number(value.toFixed(digits));
export function summary(values: number[]) {
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
  };
}
export function loadAverages(): number[] {
  return os.loadavg().map((value) => round(value, 2));
}

// ---------------------------------------------------------------------------------------------------
// Hires: each with a registered device, its own certificate (PEM) and an issued link's token.
export type Hire = { employeeId: string; token: string; cert: string; key: string };

/** `count` hires in the database behind `client`, with certificates from the dev CA in `dataDir`. */
export async function makeHires(
  client: Db,
  options: { dataDir: string; origin: string; count: number; prefix: string },
): Promise<Hire[]> {
  const { addHire } = await import('@/lib/hires/add-hire');
  const { registerDevice } = await import('@/lib/hires/register-device');
  const { issueLink } = await import('@/lib/enrollment/issue-link');
  const { issueDeviceCertificate } = await import('@/lib/devices/dev-ca');
  const actor = { type: 'cli' } as const;
  const today = new Date().toISOString().slice(0, 10);
  const hires: Hire[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const employeeId = `${options.prefix}${i}`;
    const at = new Date();
    const added = await addHire(
      client,
      {
        employeeId,
        name: `Bench ${employeeId}`,
        email: `${employeeId}@example.com`.toLowerCase(),
        startDate: today,
      },
      { actor, at },
    );
    if (!added.ok) throw new Error(added.message);
    const files = await issueDeviceCertificate(options.dataDir, {
      employeeId,
      outDir: path.join(options.dataDir, 'devices', employeeId),
    });
    const cert = fs.readFileSync(files.certPath, 'utf8');
    const registered = await registerDevice(
      client,
      { employeeId, serial: `SN-${employeeId}`, certificatePem: cert },
      { actor, at },
    );
    if (!registered.ok) throw new Error(registered.message);
    const link = await issueLink(client, { employeeId }, { actor, at, origin: options.origin });
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
export type Answer = { status: number; body: unknown; setCookie: string | undefined };
const REQUEST_TIMEOUT_MS = 30_000;

export function post(
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
        // "localhost" may resolve to ::1 first; every server here listens on 127.0.0.1.
        host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname,
        servername: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          host: url.host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          origin,
          'user-agent': 'firstkey-bench',
          ...(cookie ? { cookie } : {}),
        },
        timeout: REQUEST_TIMEOUT_MS,
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
    request.on('timeout', () =>
      request.destroy(new Error(`${pathname}: no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)),
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export function agentFor(hire: Hire, ca: Buffer | string): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: 1, cert: hire.cert, key: hire.key, ca });
}

export type Timings = Record<string, number[]>;
export type Run = { timings: Timings; errors: string[]; seconds: number; done: number };

export async function timed(
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

/**
 * The enrollment page's sequence (components/enrollment/enrollment-flow.tsx) for one hire, against
 * `origin` (the portal's public origin: the server itself, or nginx in front of the instances).
 */
export async function enroll(
  hire: Hire,
  timings: Timings,
  target: { origin: string; ca: Buffer | string },
): Promise<void> {
  const { origin } = target;
  const agent = agentFor(hire, target.ca);
  try {
    const send = (pathname: string, body: unknown, cookie?: string) =>
      post(agent, origin, pathname, body, cookie);
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
      origin,
    );
    await timed(timings, 'verify', () =>
      send('/api/enroll/passkey/verify', { response: registration }, cookie),
    );
    const signIn = await timed(timings, 'signInOptions', () =>
      send('/api/passkeys/authenticate/options', {}),
    );
    const assertion = authenticator.authenticate(
      signIn.body as PublicKeyCredentialRequestOptionsJSON,
      origin,
    );
    await timed(timings, 'signInVerify', () =>
      send('/api/passkeys/authenticate/verify', { response: assertion }),
    );
  } finally {
    agent.destroy();
  }
}

/** Runs `one` for every hire, `concurrency` at a time. */
export async function runAll(
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

export const rate = (run: Run) => run.done / run.seconds;
export const worstP95 = (run: Run, steps: readonly string[]) =>
  Math.max(...steps.map((step) => percentile(run.timings[step] ?? [], 95)));

export function printRun(title: string, run: Run, steps: readonly string[]) {
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

/** A run's figures for the JSON line. */
export function runFigures(run: Run, steps: readonly string[] = STEPS) {
  return {
    enrollmentsPerSecond: round(rate(run), 2),
    done: run.done,
    errors: run.errors.length,
    steps: Object.fromEntries(steps.map((step) => [step, summary(run.timings[step] ?? [])])),
    worstStepP95Ms: round(worstP95(run, steps)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Server processes: start-up time, RSS and CPU time from /proc, and a watch on their exit.
export function procStatus(pid: number): { rssMiB: number; hwmMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
export function cpuMs(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The last lines of a process's output, for the message when it dies. */
export function lastLines(output: string, count = 30): string {
  return output.trimEnd().split('\n').slice(-count).join('\n');
}

export class ProcessDied extends Error {}

/**
 * Watches processes that must stay up while the bench measures: `during(work)` settles with `work`,
 * or rejects (ProcessDied: who, exit code or signal, last log lines) as soon as one of them exits.
 */
export class Watch {
  private readonly watched = new Map<
    ChildProcess,
    { name: string; log: () => string; stopping: boolean }
  >();
  private died: ((error: Error) => void)[] = [];
  private death: Error | null = null;

  add(name: string, child: ChildProcess, log: () => string) {
    const entry = { name, log, stopping: false };
    this.watched.set(child, entry);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (entry.stopping) return;
      this.death = new ProcessDied(
        `${name} (pid ${child.pid}) exited with ${code ?? signal} while the bench was running. Its last lines:\n${lastLines(log())}`,
      );
      for (const reject of this.died) reject(this.death);
    };
    if (child.exitCode !== null || child.signalCode !== null)
      onExit(child.exitCode, child.signalCode);
    else child.once('exit', onExit);
  }

  /** The process is being stopped on purpose: its exit is not a failure. */
  release(child: ChildProcess) {
    const entry = this.watched.get(child);
    if (entry) entry.stopping = true;
    this.watched.delete(child);
  }

  async during<T>(work: Promise<T>): Promise<T> {
    if (this.death) throw this.death;
    let reject: (error: Error) => void = () => {};
    const died = new Promise<never>((_, fail) => (reject = fail));
    this.died.push(reject);
    try {
      return await Promise.race([work, died]);
    } finally {
      this.died = this.died.filter((one) => one !== reject);
    }
  }
}

export type Server = { child: ChildProcess; startupMs: number; log: () => string };

/** Starts `node args…` and resolves once its output matches `ready`; rejects if it exits first. */
export function startProcess(
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const log = () => output;
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-16_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${args.join(' ')} not ready after ${timeoutMs / 1000} s:\n${lastLines(output)}`),
      );
    }, timeoutMs);
    const onData = () => {
      if (!ready.test(output)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onEarlyExit);
      resolve({ child, startupMs: performance.now() - started, log });
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${args.join(' ')} exited with ${code ?? signal} before it was ready:\n${lastLines(output)}`,
        ),
      );
    };
    child.stdout!.on('data', onData);
    child.once('exit', onEarlyExit);
  });
}

/** SIGTERM, and SIGKILL if it has not exited within 10 s. */
export function stopProcess(child: ChildProcess, watch?: Watch): Promise<void> {
  watch?.release(child);
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The production server's node arguments (`BENCH_SERVER=tsx`: server.ts through tsx), with
 * BENCH_SERVER_FLAGS (space-separated node options, e.g. `--max-old-space-size=128`) to try a setting.
 */
export function serverArgs(): string[] {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)]
    : [];
  const serverFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  if (process.env.BENCH_SERVER === 'tsx')
    return [
      ...profile,
      ...serverFlags,
      '--import',
      'tsx',
      '--import',
      './scripts/node-hooks.mjs',
      'server.ts',
    ];
  const compiled = path.join(root, '.next', 'firstkey-server.mjs');
  if (!fs.existsSync(compiled))
    throw new Error(`${compiled} is missing: run \`npm run build\` first`);
  return [...profile, ...serverFlags, compiled];
}

/** Fails the bench loudly: the message (a dead server's exit code and last lines) and exit 1. */
export function failBench(error: unknown): never {
  console.error(`\n✗ bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
