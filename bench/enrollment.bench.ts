// `npm run bench`: figures for the enrollment hot path, against a real SQLite database in a temporary
// folder and the real route handlers. Prints numbers; asserts nothing (timing belongs here, not in tests).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-bench-'));
process.env.FIRSTKEY_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'firstkey.db')}`;

const { migrate } = await import('@/lib/db/migrate');
await migrate(process.env.DATABASE_URL);
// The one client (lib/db.ts keeps it on globalThis), made here with Prisma's query events so that
// the bench can count the statements each request sends.
const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
const { PrismaClient } = await import('@/lib/generated/prisma/client');
const counted = new PrismaClient({
  adapter: new PrismaBetterSQLite3({ url: path.join(dataDir, 'firstkey.db'), timeout: 15_000 }),
  log: [{ emit: 'event', level: 'query' }],
});
const statements = { queries: 0, transactions: 0 };
counted.$on('query', (event) => {
  if (/^(COMMIT|ROLLBACK)\b/i.test(event.query)) statements.transactions += 1;
  else if (!/^BEGIN\b/i.test(event.query)) statements.queries += 1;
});
(globalThis as unknown as { firstkeyDb?: unknown }).firstkeyDb = counted;
const { db } = await import('@/lib/db');
const { addHire } = await import('@/lib/hires/add-hire');
const { registerDevice } = await import('@/lib/hires/register-device');
const { issueLink } = await import('@/lib/enrollment/issue-link');
const { verifyAuditChain } = await import('@/lib/audit/verify');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { apiRequest, cookieFrom } = await import('@/lib/testing/api');
const { SoftAuthenticator } = await import('@/lib/testing/soft-authenticator');
const { POST: peek } = await import('@/app/api/enroll/peek/route');
const { POST: redeem } = await import('@/app/api/enroll/redeem/route');
const { POST: options } = await import('@/app/api/enroll/passkey/options/route');
const { POST: verify } = await import('@/app/api/enroll/passkey/verify/route');
const { POST: signInOptions } = await import('@/app/api/passkeys/authenticate/options/route');
const { POST: signInVerify } = await import('@/app/api/passkeys/authenticate/verify/route');

const ORIGIN = 'https://localhost:3443';
const actor = { type: 'cli' } as const;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function hires(count: number) {
  const result = [];
  const today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < count; i += 1) {
    const employeeId = `B${i}`;
    const at = new Date();
    await addHire(
      db(),
      { employeeId, name: `Bench ${i}`, email: `b${i}@example.com`, startDate: today },
      { actor, at },
    );
    const device = await deviceCertificate(employeeId);
    await registerDevice(
      db(),
      { employeeId, serial: `SN${i}`, certificatePem: device.pem },
      { actor, at },
    );
    result.push({
      employeeId,
      fingerprint: device.fingerprint,
      ip: `10.9.${Math.floor(i / 250)}.${i % 250}`,
    });
  }
  return result;
}

const HIRES = 200;
let started = performance.now();
const people = await hires(HIRES);
console.log(
  `set-up: ${HIRES} hires with registered devices in ${(performance.now() - started).toFixed(0)} ms`,
);

started = performance.now();
const tokens: string[] = [];
for (const person of people) {
  const link = await issueLink(
    db(),
    { employeeId: person.employeeId },
    { actor, at: new Date(), origin: ORIGIN },
  );
  if (!link.ok) throw new Error(link.message);
  tokens.push(new URL(link.url).hash.slice(1));
}
const issueMs = performance.now() - started;
console.log(
  `issue link:     ${(HIRES / (issueMs / 1000)).toFixed(0)} links/s (${ms(issueMs / HIRES)} each)`,
);

const peekTimes: number[] = [];
for (let round = 0; round < 3; round += 1) {
  // Hires 150 and on are left unopened for the statement count below.
  for (const [i, person] of people.slice(0, 150).entries()) {
    const t0 = performance.now();
    const response = await peek(
      apiRequest('/api/enroll/peek', person, { body: { token: tokens[i] } }),
    );
    peekTimes.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`peek ${response.status}`);
  }
}
console.log(
  `peek:           p50 ${ms(percentile(peekTimes, 50))}, p95 ${ms(percentile(peekTimes, 95))}, p99 ${ms(percentile(peekTimes, 99))} (${peekTimes.length} requests)`,
);

// 50 concurrent redemptions of one link, ten times over.
const raceTimes: number[] = [];
for (let i = 0; i < 10; i += 1) {
  const person = people[i]!;
  const t0 = performance.now();
  const responses = await Promise.all(
    Array.from({ length: 50 }, () =>
      redeem(apiRequest('/api/enroll/redeem', person, { body: { token: tokens[i] } })),
    ),
  );
  raceTimes.push(performance.now() - t0);
  const wins = responses.filter((response) => response.status === 200).length;
  if (wins !== 1) throw new Error(`race ${i}: ${wins} winners`);
}
console.log(
  `50-way redeem:  p50 ${ms(percentile(raceTimes, 50))}, max ${ms(Math.max(...raceTimes))} for all 50 answers (exactly 1 winner each time)`,
);

// Full ceremony: redeem → options → verify (software authenticator, real verification).
const ceremonyTimes: number[] = [];
for (let i = 10; i < 110; i += 1) {
  const person = people[i]!;
  const t0 = performance.now();
  const redeemed = await redeem(
    apiRequest('/api/enroll/redeem', person, { body: { token: tokens[i] } }),
  );
  const caller = { ...person, cookie: cookieFrom(redeemed) };
  const creation = await (
    await options(apiRequest('/api/enroll/passkey/options', caller, { body: {} }))
  ).json();
  const response = new SoftAuthenticator({ userVerification: true }).register(creation, ORIGIN);
  const verified = await verify(
    apiRequest('/api/enroll/passkey/verify', caller, { body: { response } }),
  );
  if (verified.status !== 200) throw new Error(`verify ${verified.status}`);
  ceremonyTimes.push(performance.now() - t0);
}
console.log(
  `enroll (redeem+options+verify): p50 ${ms(percentile(ceremonyTimes, 50))}, p95 ${ms(percentile(ceremonyTimes, 95))} (${ceremonyTimes.length} hires)`,
);

// Statements per request: the browser's whole sequence, one hire at a time (BEGIN not counted;
// a transaction is counted once, at its COMMIT or ROLLBACK).
// Also the CPU time of each call (this process's user + system time: much less sensitive to what else
// the machine runs than wall-clock time).
const perStep: Record<string, { queries: number; transactions: number; cpuMs: number }[]> = {};
async function counting<T>(step: string, call: () => Promise<T>): Promise<T> {
  const before = { ...statements };
  const cpu = process.cpuUsage();
  const result = await call();
  const used = process.cpuUsage(cpu);
  (perStep[step] ??= []).push({
    queries: statements.queries - before.queries,
    transactions: statements.transactions - before.transactions,
    cpuMs: (used.user + used.system) / 1000,
  });
  return result;
}
for (let i = 150; i < 200; i += 1) {
  const person = people[i]!;
  const token = tokens[i];
  await counting('peek', () => peek(apiRequest('/api/enroll/peek', person, { body: { token } })));
  const redeemed = await counting('redeem', () =>
    redeem(apiRequest('/api/enroll/redeem', person, { body: { token } })),
  );
  const caller = { ...person, cookie: cookieFrom(redeemed) };
  const creation = await (
    await counting('options', () =>
      options(apiRequest('/api/enroll/passkey/options', caller, { body: {} })),
    )
  ).json();
  const authenticator = new SoftAuthenticator({ userVerification: true });
  const response = authenticator.register(creation, ORIGIN);
  const verified = await counting('verify', () =>
    verify(apiRequest('/api/enroll/passkey/verify', caller, { body: { response } })),
  );
  if (verified.status !== 200) throw new Error(`verify ${verified.status}`);
  const request = await (
    await counting('signInOptions', () =>
      signInOptions(apiRequest('/api/passkeys/authenticate/options', person, { body: {} })),
    )
  ).json();
  const assertion = authenticator.authenticate(request, ORIGIN);
  const signedIn = await counting('signInVerify', () =>
    signInVerify(
      apiRequest('/api/passkeys/authenticate/verify', person, { body: { response: assertion } }),
    ),
  );
  if (signedIn.status !== 200) throw new Error(`sign-in verify ${signedIn.status}`);
}
const queriesPerRequest = Object.fromEntries(
  Object.entries(perStep).map(([step, counts]) => [
    step,
    {
      queries: Math.max(...counts.map((count) => count.queries)),
      transactions: Math.max(...counts.map((count) => count.transactions)),
      cpuMs: Number(
        percentile(
          counts.map((count) => count.cpuMs),
          50,
        ).toFixed(2),
      ),
    },
  ]),
);
const totalQueries = Object.values(queriesPerRequest).reduce((sum, c) => sum + c.queries, 0);
console.log(
  `statements per request (most seen over 50 hires; BEGIN not counted, transactions = COMMITs): ${Object.entries(
    queriesPerRequest,
  )
    .map(([step, count]) => `${step} ${count.queries} (${count.transactions} tx)`)
    .join(', ')}; ${totalQueries} per enrollment`,
);
const totalCpuMs = Object.values(queriesPerRequest).reduce((sum, c) => sum + c.cpuMs, 0);
console.log(
  `CPU per request (median, in process, no HTTP or Next.js server): ${Object.entries(
    queriesPerRequest,
  )
    .map(([step, count]) => `${step} ${count.cpuMs} ms`)
    .join(', ')}; ${totalCpuMs.toFixed(1)} ms per enrollment`,
);

started = performance.now();
const chain = await verifyAuditChain(db());
console.log(
  `audit verify:   ${chain.events} events in ${(performance.now() - started).toFixed(0)} ms (${chain.ok ? 'intact' : 'BROKEN'})`,
);

const memory = process.memoryUsage();
console.log(
  `memory:         rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
await db().$disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    peekP95Ms: percentile(peekTimes, 95),
    redeemRace50MaxMs: Math.max(...raceTimes),
    enrollP50Ms: percentile(ceremonyTimes, 50),
    enrollP95Ms: percentile(ceremonyTimes, 95),
    statementsPerRequest: queriesPerRequest,
    statementsPerEnrollment: totalQueries,
    cpuMsPerEnrollmentInProcess: Number(totalCpuMs.toFixed(1)),
  }),
);
