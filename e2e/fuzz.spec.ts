import crypto from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import path from 'node:path';
import fc from 'fast-check';
import { encode } from 'next-auth/jwt';
import Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { securityHeaders } from '@/lib/http/security-headers';
import {
  createHire,
  dataDir,
  expect,
  firstkey,
  origin,
  serverActionIds,
  test,
  today,
  type Hire,
} from './fixtures';
import { ROUTES, type FuzzRequest, type World } from './fuzz/requests';
import { agentFor, send, type Answer } from './raw-https';
import { BusinessTables, changedTables, unintendedWrites, type Fingerprint } from './fuzz/writes';
import { E2E_WEBHOOK_SECRETS } from './webhook-secrets';

// Property-based fuzzing of every route of the portal over real HTTPS, through the front door
// (server.ts), with the arbitraries of e2e/fuzz/requests.ts. For every request:
//   - there is an answer, and it is not a 5xx;
//   - it carries the security headers (lib/http/security-headers.ts), whoever produced it;
//   - the business tables are as they were, unless e2e/fuzz/writes.ts names the write as intended.
// Runs in its own Playwright project after all other tests (playwright.config.ts), one request at a
// time, so no other test's writes can be mistaken for the fuzzer's.
//
// Every route gets RUNS_PER_ROUTE cases (broad routes three times as many) with a fixed seed, then as
// many with a random seed, which is printed first and annotated on the test. Replay a failure with
//   FIRSTKEY_FUZZ_SEED=<seed> npx playwright test --project fuzz --no-deps
// (fast-check's report names the seed and the `path` of the shrunk counterexample).

const FIXED_SEED = 20_260_801;
const RUNS_PER_ROUTE = 50;
const SECURITY_HEADERS = Object.keys(securityHeaders('nonce'));
const SESSION_COOKIE = '__Secure-next-auth.session-token';

test.describe.configure({ mode: 'serial' });

type Person = { employeeId: string; userId: string; name: string };
let world: World;
let staff: { it: Person; manager: Person };
let report: Hire;
let tables: BusinessTables;
let agents: { withDevice: https.Agent; without: https.Agent };
let sessionSecret: string;
let users: Database.Database;
let hrEventCount = 0;
let scimToken: string;

async function staffMember(role: 'it' | 'manager'): Promise<Person> {
  const employeeId = `FUZZ-${role}-${Date.now().toString(36)}`;
  const name = `Fuzz ${role}`;
  await firstkey(
    'hire',
    'add',
    '--employee-id',
    employeeId,
    '--name',
    name,
    '--email',
    `${employeeId.toLowerCase()}@example.com`,
    '--start-date',
    today(),
    '--role',
    role,
  );
  const row = users.prepare('SELECT "id" FROM "User" WHERE "employeeId" = ?').get(employeeId) as {
    id: string;
  };
  return { employeeId, userId: row.id, name };
}

test.beforeAll(async () => {
  const database = path.join(dataDir, 'firstkey.db');
  users = new Database(database, { readonly: true });
  sessionSecret = fs.readFileSync(path.join(dataDir, 'secrets', 'session-key'), 'utf8').trim();
  // Alongside the other set-up commands: a CLI start costs seconds on a busy machine.
  const connection = firstkey<{ token: string }>('scim', 'token', 'create', '--name', 'Fuzz');
  staff = { it: await staffMember('it'), manager: await staffMember('manager') };
  report = await createHire({ name: 'Fuzz Report', manager: staff.manager.employeeId });
  const reportRow = users
    .prepare('SELECT "id" FROM "User" WHERE "employeeId" = ?')
    .get(report.employeeId) as { id: string };
  scimToken = (await connection).token;
  world = {
    origin,
    employeeIds: [report.employeeId, staff.it.employeeId, staff.manager.employeeId],
    actionIds: serverActionIds(),
    // Only the report: a SCIM leaver of the fuzz staff would leave the staff routes unexercised.
    userIds: [reportRow.id],
  };
  tables = new BusinessTables(database);
  agents = { withDevice: agentFor(report.device), without: agentFor(null) };
});

test.afterAll(() => {
  tables?.close();
  users?.close();
  agents?.withDevice.destroy();
  agents?.without.destroy();
});

/** A session cookie minted like next-auth's, for the person's current epoch (a fuzzed "sign out everywhere" moves it). */
async function sessionCookie(who: FuzzRequest['staff']): Promise<string | null> {
  if (who === 'none') return null;
  if (who === 'forged')
    return encode({
      token: { sub: staff.it.userId, signedInAt: Date.now(), assertedAt: Date.now(), epoch: 0 },
      secret: 'not-the-portal-secret',
    });
  const person = staff[who];
  const { sessionEpoch } = users
    .prepare('SELECT "sessionEpoch" FROM "User" WHERE "id" = ?')
    .get(person.userId) as { sessionEpoch: number };
  const now = Date.now();
  return encode({
    token: {
      sub: person.userId,
      name: person.name,
      signedInAt: now,
      assertedAt: now,
      epoch: sessionEpoch,
    },
    secret: sessionSecret,
  });
}

async function wireHeaders(
  request: FuzzRequest,
  body: Buffer | null,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  if (request.payload.contentType !== null) headers['content-type'] = request.payload.contentType;
  // Framed explicitly: Node's client would otherwise send a GET or HEAD body unframed.
  if (body) headers['content-length'] = String(body.length);
  for (const [name, value] of request.headers) headers[name] = value;
  if (request.scimToken) headers.authorization = `Bearer ${scimToken}`;
  const cookie = await sessionCookie(request.staff);
  if (cookie)
    headers.cookie = [headers.cookie, `${SESSION_COOKIE}=${cookie}`].filter(Boolean).join('; ');
  const signWith = request.hrSignature
    ? E2E_WEBHOOK_SECRETS.hrIn
    : request.mdmSignature
      ? E2E_WEBHOOK_SECRETS.mdmIn
      : null;
  if (signWith) {
    hrEventCount += 1;
    const id = headers['webhook-id'] || `evt_fuzz_${process.pid}_${hrEventCount}`;
    const at = new Date();
    Object.assign(headers, {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(signWith).sign(id, at, body?.toString('utf8') ?? ''),
    });
  }
  return headers;
}

function summary(request: FuzzRequest, answer: Answer): string {
  const body = answer.body.toString('utf8').slice(0, 300);
  return `${request.method} ${request.target.slice(0, 200)} → ${answer.status} ${body}`;
}

let baseline: Fingerprint;

/** Sends one fuzzed request and checks the three properties. */
async function check(request: FuzzRequest): Promise<void> {
  const { body: raw } = request.payload;
  const body = raw === null ? null : Buffer.from(raw);
  const headers = await wireHeaders(request, body);
  const answer = await send(origin, request.device ? agents.withDevice : agents.without, {
    method: request.method,
    target: request.target,
    headers,
    body,
  });
  expect(answer.status, summary(request, answer)).toBeLessThan(500);
  expect(
    SECURITY_HEADERS.filter((name) => !answer.headers[name]),
    `security headers missing from ${summary(request, answer)}`,
  ).toEqual([]);
  const after = tables.fingerprint();
  const pathname = new URL(`${origin}${request.target}`).pathname;
  const unintended = unintendedWrites(changedTables(baseline, after), {
    method: request.method,
    pathname,
    status: answer.status,
  });
  baseline = after;
  expect(unintended, `unintended write by ${summary(request, answer)}`).toEqual([]);
}

const runs = (route: (typeof ROUTES)[number]) => RUNS_PER_ROUTE * (route.broad ? 3 : 1);
const CASES = ROUTES.reduce((total, route) => total + runs(route), 0);

async function fuzzEveryRoute(seed: number): Promise<void> {
  baseline = tables.fingerprint();
  for (const route of ROUTES) {
    await test.step(`${route.name} (seed ${seed})`, async () => {
      await fc.assert(fc.asyncProperty(route.requests(world), check), {
        seed,
        numRuns: runs(route),
      });
    });
  }
}

test('every route, fixed seed: no 5xx, no unintended write', async () => {
  test.setTimeout(600_000);
  console.log(`fuzz: ${CASES} cases over ${ROUTES.length} routes, fixed seed ${FIXED_SEED}`);
  await fuzzEveryRoute(FIXED_SEED);
});

test('every route, random seed: no 5xx, no unintended write', async () => {
  test.setTimeout(600_000);
  const seed = Number(process.env.FIRSTKEY_FUZZ_SEED) || crypto.randomInt(1, 2 ** 31 - 1);
  test.info().annotations.push({ type: 'fuzz seed', description: String(seed) });
  console.log(
    `fuzz: ${CASES} cases over ${ROUTES.length} routes, random seed ${seed} (replay: FIRSTKEY_FUZZ_SEED=${seed})`,
  );
  await fuzzEveryRoute(seed);
});

test('the audit chain still verifies after the fuzzing', async () => {
  expect(await firstkey<{ ok: boolean }>('audit', 'verify')).toMatchObject({ ok: true });
});
