import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { expect, test } from '@playwright/test';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';
import { addVirtualAuthenticator, heading } from '../fixtures';
import type { SeededHire } from './seed';
import { INSTANCE_IDS, Topology, type Answer } from './topology';

// The production topology (README "Behind nginx or Envoy"): nginx terminating TLS and asking for the
// laptop's certificate, two Firstkey instances round-robin behind it, one PostgreSQL. Serial: the
// tests share one topology, and the last one kills an instance.

const topology = new Topology(Number(process.env.FIRSTKEY_TOPOLOGY_PORT ?? 3700));
// 1 browser enrollment, 1 race, 50 enrollments during the kill.
const HIRES = 52;
let browserHire: SeededHire;
let raceHire: SeededHire;
let killHires: SeededHire[];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const started = Date.now();
  await topology.start(HIRES);
  [browserHire, raceHire, ...killHires] = topology.hires as [
    SeededHire,
    SeededHire,
    ...SeededHire[],
  ];
  console.log(
    `topology up in ${((Date.now() - started) / 1000).toFixed(1)} s (${topology.timings.join(', ')})`,
  );
});

test.afterAll(async () => {
  await topology.stop();
});

const instanceOf = (answer: Answer) => String(answer.headers['x-firstkey-instance']);

test('health names the instance that answered; nginx spreads requests over both', async () => {
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await topology.request('GET', '/api/health'));
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { status: string; instance: string; database: string };
    expect(body).toMatchObject({ status: 'ok', database: 'ok' });
    expect(body.instance).toBe(instanceOf(answer));
  }
  expect(new Set(answers.map(instanceOf))).toEqual(new Set(INSTANCE_IDS));
});

test('a hire enrolls in Chromium through nginx while consecutive requests land on different instances', async ({
  browser,
}) => {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    clientCertificates: [
      { origin: topology.origin, certPath: browserHire.certPath, keyPath: browserHire.keyPath },
    ],
  });
  const page = await context.newPage();
  const served: string[] = [];
  page.on('response', (response) => {
    const instance = response.headers()['x-firstkey-instance'];
    if (response.url().startsWith(topology.origin) && instance) served.push(instance);
  });
  const authenticator = await addVirtualAuthenticator(page);
  await page.goto(`${topology.origin}/enroll#${browserHire.token}`);
  await expect(heading(page)).toHaveText(`Welcome, ${browserHire.name}`);
  await page.getByRole('button', { name: 'Create my passkey' }).click();
  await expect(heading(page)).toHaveText('You\u2019re ready for day one');
  expect(await authenticator.credentials()).toHaveLength(1);
  await context.close();

  // Page, scripts, peek, redeem, options, verify, the proving sign-in: spread over both instances,
  // and at least once two consecutive requests were answered by different ones.
  expect(new Set(served)).toEqual(new Set(INSTANCE_IDS));
  expect(served.some((instance, i) => i > 0 && instance !== served[i - 1])).toBe(true);
  const [row] = await topology.query<{ state: string }>(
    `SELECT "enrollmentState" AS state FROM "User" WHERE "employeeId" = $1`,
    [browserHire.employeeId],
  );
  expect(row?.state).toBe('enrolled');
});

test('50 concurrent redemptions of one link over both instances: exactly one wins, no 5xx', async () => {
  const answers = await Promise.all(
    Array.from({ length: 50 }, () =>
      topology.request('POST', '/api/enroll/redeem', {
        // A connection each, as 50 browsers would open.
        agent: topology.agent(raceHire, false),
        body: { token: raceHire.token },
      }),
    ),
  );
  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  // The rest are told the link was used (409), or, once the laptop has failed 10 times, throttled (429).
  expect(statuses.filter((status) => ![200, 409, 429].includes(status))).toEqual([]);
  expect(statuses.filter((status) => status === 409).length).toBeGreaterThanOrEqual(9);
  expect(new Set(answers.map(instanceOf))).toEqual(new Set(INSTANCE_IDS));
  const sessions = await topology.query<{ count: string }>(
    `SELECT count(*) FROM "EnrollmentSession" s JOIN "User" u ON u.id = s."userId" WHERE u."employeeId" = $1`,
    [raceHire.employeeId],
  );
  expect(Number(sessions[0]!.count)).toBe(1);
});

test('with both workers running, every outbox message is delivered once per id', async () => {
  await topology.until('the outbox is empty', 30_000, async () => {
    const [row] = await topology.query<{ count: string }>(
      `SELECT count(*) FROM "OutboxMessage" WHERE "deliveredAt" IS NULL`,
    );
    return Number(row!.count) === 0;
  });
  const ids = (
    await topology.query<{ webhookId: string }>(`SELECT "webhookId" FROM "OutboxMessage"`)
  ).map((row) => row.webhookId);
  // Seeding alone wrote two status messages per hire (ready, invited), and the tests above more.
  expect(ids.length).toBeGreaterThan(2 * HIRES);
  expect([...topology.receiver.counts.keys()].sort()).toEqual([...ids].sort());
  const repeated = [...topology.receiver.counts].filter(([, count]) => count !== 1);
  const explain = repeated.length
    ? JSON.stringify(
        await topology.query(
          `SELECT "webhookId", attempts, "lastError", "createdAt", "deliveredAt" FROM "OutboxMessage" WHERE "webhookId" = ANY($1)`,
          [repeated.map(([id]) => id)],
        ),
      ) + INSTANCE_IDS.map((id) => `\n--- ${id}\n${topology.log(id)}`).join('')
    : '';
  expect(repeated, explain).toEqual([]);
});

type Enrollment = { hire: SeededHire; redeem?: number; options?: number; verify?: number };

/** One hire's enrollment over HTTP through nginx, with the software authenticator. */
async function enrollOverHttp(hire: SeededHire): Promise<Enrollment> {
  const result: Enrollment = { hire };
  const agent = topology.agent(hire);
  try {
    const redeemed = await topology.request('POST', '/api/enroll/redeem', {
      agent,
      body: { token: hire.token },
    });
    result.redeem = redeemed.status;
    if (redeemed.status !== 200) return result;
    const cookie = String(redeemed.headers['set-cookie']?.[0]).split(';')[0]!;
    const options = await topology.request('POST', '/api/enroll/passkey/options', {
      agent,
      cookie,
      body: {},
    });
    result.options = options.status;
    if (options.status !== 200) return result;
    const creation = JSON.parse(options.body) as PublicKeyCredentialCreationOptionsJSON;
    const response = new SoftAuthenticator({ userVerification: true }).register(
      creation,
      topology.origin,
    );
    const verified = await topology.request('POST', '/api/enroll/passkey/verify', {
      agent,
      cookie,
      body: { response },
    });
    result.verify = verified.status;
    return result;
  } catch {
    // The connection died with the instance: no answer, so nothing is promised.
    return result;
  } finally {
    agent.destroy();
  }
}

test('SIGKILL of one instance amid 50 enrollments: answers that said 200 are durable, leases are taken over, the chain verifies, the instance rejoins', async () => {
  const victim = 'fk-b' as const;
  const victimPid = topology.processes.get(victim)!.pid!;
  // A slow HR endpoint: the workers hold their leases while they wait for it.
  topology.receiver.delayMs = 1_500;
  const enrollments = Promise.all(killHires.map(enrollOverHttp));

  let leased: { webhookId: string; leaseUntil: Date }[] = [];
  await topology.until(`${victim} holds a lease on an outbox message`, 20_000, async () => {
    leased = await topology.query<{ webhookId: string; leaseUntil: Date }>(
      `SELECT "webhookId", "leaseUntil" FROM "OutboxMessage"
        WHERE "deliveredAt" IS NULL AND "leaseOwner" LIKE $1 AND "leaseUntil" > now()`,
      [`${victimPid}-%`],
    );
    return leased.length > 0;
  });
  topology.kill(victim);
  const orphaned = leased.map((row) => row.webhookId);
  topology.receiver.delayMs = 0;
  const results = await enrollments;

  // Every step that answered 200 is in the database.
  const verified = results.filter((r) => r.verify === 200).map((r) => r.hire.employeeId);
  const redeemed = results.filter((r) => r.redeem === 200).map((r) => r.hire.employeeId);
  expect(verified.length).toBeGreaterThan(0);
  const enrolled = await topology.query<{ employeeId: string; passkeys: string }>(
    `SELECT u."employeeId", count(p.id) AS passkeys FROM "User" u JOIN "Passkey" p ON p."userId" = u.id
      WHERE u."employeeId" = ANY($1) AND u."enrollmentState" = 'enrolled' GROUP BY u."employeeId"`,
    [verified],
  );
  expect(enrolled.map((row) => row.employeeId).sort()).toEqual([...verified].sort());
  const withSession = await topology.query<{ employeeId: string }>(
    `SELECT DISTINCT u."employeeId" FROM "User" u JOIN "EnrollmentSession" s ON s."userId" = u.id
      WHERE u."employeeId" = ANY($1)`,
    [redeemed],
  );
  expect(withSession.map((row) => row.employeeId).sort()).toEqual([...redeemed].sort());
  // No link is consumed without its enrollment session (consumption and session are one transaction).
  const orphanLinks = await topology.query(
    `SELECT t.id FROM "BridgeToken" t LEFT JOIN "EnrollmentSession" s ON s."bridgeTokenId" = t.id
      WHERE t."consumedAt" IS NOT NULL AND s.id IS NULL`,
  );
  expect(orphanLinks).toEqual([]);
  // The only failures are nginx's 502 for requests that were on the dying instance: never a 500.
  const statuses = results.flatMap((r) => [r.redeem, r.options, r.verify]).filter(Boolean);
  expect(statuses.filter((status) => status !== 200 && status !== 502)).toEqual([]);

  // The messages the dead instance had leased are delivered by the survivor once the lease lapses.
  let takenOver: { webhookId: string; deliveredAt: Date }[] = [];
  await topology.until(
    'the dead instance\u2019s leased messages are delivered',
    20_000,
    async () => {
      takenOver = await topology.query<{ webhookId: string; deliveredAt: Date }>(
        `SELECT "webhookId", "deliveredAt" FROM "OutboxMessage"
        WHERE "webhookId" = ANY($1) AND "deliveredAt" IS NOT NULL`,
        [orphaned],
      );
      return takenOver.length === orphaned.length;
    },
  );
  for (const { webhookId, deliveredAt } of takenOver) {
    const lease = leased.find((row) => row.webhookId === webhookId)!;
    // Not before the dead owner's lease ran out (LEASE_SECONDS after it claimed the message).
    expect(deliveredAt.getTime()).toBeGreaterThanOrEqual(lease.leaseUntil.getTime());
    expect(topology.receiver.counts.get(webhookId)).toBeGreaterThanOrEqual(1);
  }

  // The audit chain is linear across both instances and the kill.
  const audit = await topology.cli<{ ok: boolean }>('audit', 'verify');
  expect(audit.ok).toBe(true);

  // The survivor keeps serving on its own.
  for (let i = 0; i < 4; i++) {
    const answer = await topology.request('GET', '/api/health');
    expect(answer.status).toBe(200);
    expect(instanceOf(answer)).toBe('fk-a');
  }

  // Restarted, the killed instance rejoins the round-robin by itself.
  await topology.startInstance(victim);
  await topology.until(`${victim} answers through nginx again`, 15_000, async () => {
    const answer = await topology.request('GET', '/api/health');
    return answer.status === 200 && instanceOf(answer) === victim;
  });
  console.log(
    `kill: ${verified.length} enrolled, ${redeemed.length} redeemed, ${statuses.filter((s) => s === 502).length} answered 502; ${orphaned.length} leased message(s) taken over`,
  );
});
