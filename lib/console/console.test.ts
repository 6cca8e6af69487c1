import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attentionPanel } from '@/lib/console/attention';
import { enrollmentMetrics } from '@/lib/console/metrics';
import { db, writeTransaction } from '@/lib/db';
import { appendAudit } from '@/lib/audit/append';
import { listHires, parseHireListQuery } from '@/lib/hires/console-list';

const at = new Date('2026-11-25T12:00:00Z');
const day = (offset: number) =>
  new Date(at.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

async function seed() {
  const users = [
    {
      employeeId: 'K1',
      name: 'Kim Soon',
      startDate: day(1),
      enrollmentState: 'invited',
      department: 'Sales',
    },
    {
      employeeId: 'K2',
      name: 'Kai Done',
      startDate: day(1),
      enrollmentState: 'enrolled',
      department: 'Sales',
    },
    {
      employeeId: 'K3',
      name: 'Kit Later',
      startDate: day(20),
      enrollmentState: 'ready',
      department: 'Ops',
    },
    {
      employeeId: 'K4',
      name: 'Kip Helped',
      startDate: day(-5),
      enrollmentState: 'enrolled',
      department: 'Ops',
    },
  ];
  for (const user of users)
    await db().user.create({
      data: { ...user, email: `${user.employeeId.toLowerCase()}@example.com` },
    });
  const ids = Object.fromEntries(
    (await db().user.findMany({ select: { id: true, employeeId: true } })).map((user) => [
      user.employeeId,
      user.id,
    ]),
  );
  for (const employeeId of ['K1', 'K2', 'K4']) {
    await db().device.create({
      data: {
        userId: ids[employeeId]!,
        serial: `S-${employeeId}`,
        certFingerprint: employeeId.padEnd(64, '0'),
        certSubject: 'CN=x',
        certNotAfter: day(300) + 'T00:00:00Z',
        registeredBy: 'cli',
      },
    });
  }
  const device = async (employeeId: string) =>
    (await db().device.findFirstOrThrow({ where: { userId: ids[employeeId] } })).id;
  await db().bridgeToken.create({
    data: {
      userId: ids.K1!,
      deviceId: await device('K1'),
      tokenHash: 'k1'.padEnd(64, 'x'),
      issuedBy: 'cli',
      notBefore: at,
      expiresAt: new Date(at.getTime() + 6 * 3_600_000),
      openedAt: at,
    },
  });
  // K2: one link, enrolled 30 minutes after issue. K4: two links (a reissue), enrolled 90 minutes after the second.
  await db().bridgeToken.create({
    data: {
      userId: ids.K2!,
      deviceId: await device('K2'),
      tokenHash: 'k2'.padEnd(64, 'x'),
      issuedBy: 'cli',
      issuedAt: at,
      notBefore: at,
      expiresAt: new Date(at.getTime() + 86_400_000),
      openedAt: at,
      consumedAt: new Date(at.getTime() + 20 * 60_000),
    },
  });
  await db().bridgeToken.create({
    data: {
      userId: ids.K4!,
      deviceId: await device('K4'),
      tokenHash: 'k4a'.padEnd(64, 'x'),
      issuedBy: 'cli',
      issuedAt: at,
      notBefore: at,
      expiresAt: at,
      revokedAt: at,
    },
  });
  await db().bridgeToken.create({
    data: {
      userId: ids.K4!,
      deviceId: await device('K4'),
      tokenHash: 'k4b'.padEnd(64, 'x'),
      issuedBy: 'cli',
      issuedAt: at,
      notBefore: at,
      expiresAt: new Date(at.getTime() + 86_400_000),
      openedAt: at,
      consumedAt: new Date(at.getTime() + 60 * 60_000),
    },
  });
  const passkey = (employeeId: string, minutes: number) =>
    db().passkey.create({
      data: {
        userId: ids[employeeId]!,
        credentialId: `cred-${employeeId}`,
        publicKey: Buffer.from([1]),
        aaguid: '0',
        deviceType: 'singleDevice',
        backedUp: false,
        createdAt: new Date(at.getTime() + minutes * 60_000),
      },
    });
  await passkey('K2', 30);
  await passkey('K4', 90);
  await writeTransaction(db(), (tx) =>
    appendAudit(tx, {
      at: new Date(at.getTime() - 3_600_000),
      actor: { type: 'anonymous' },
      action: 'device_mismatch',
      userId: ids.K1,
      result: 'denied',
    }),
  );
  return ids;
}

describe('IT console data', async () => {
  await seed();

  test('filters, search, sort and pagination run in the database', async () => {
    const all = await listHires(db(), parseHireListQuery({}).query);
    assert.equal(all.total, 4);
    const sales = await listHires(
      db(),
      parseHireListQuery({ department: 'Sales', sort: 'name' }).query,
    );
    assert.deepEqual(
      sales.rows.map((row) => row.employeeId),
      ['K2', 'K1'],
    );
    const search = await listHires(db(), parseHireListQuery({ q: 'Kit' }).query);
    assert.deepEqual(
      search.rows.map((row) => row.employeeId),
      ['K3'],
    );
    // Search ignores case on both databases (SQLite's LIKE does by itself, PostgreSQL's does not).
    for (const q of ['kit', 'KIT LATER', 'k3', 'K3@EXAMPLE.COM', 'iT lA']) {
      const found = await listHires(db(), parseHireListQuery({ q }).query);
      assert.deepEqual(
        found.rows.map((row) => row.employeeId),
        ['K3'],
        `search "${q}"`,
      );
    }
    const range = await listHires(
      db(),
      parseHireListQuery({ from: day(0), to: day(2), state: 'invited' }).query,
    );
    assert.deepEqual(
      range.rows.map((row) => row.employeeId),
      ['K1'],
    );
    const page2 = await listHires(db(), parseHireListQuery({ page: '2' }).query, 3);
    assert.deepEqual([page2.total, page2.rows.length], [4, 1]);
    assert.deepEqual(
      parseHireListQuery({ state: 'bogus', page: '-1', from: '2026-02-30' }).ignored,
      ['state', 'from', 'page'],
    );
  });

  test('the attention panel lists who starts soon unenrolled, device mismatches and links about to lapse', async () => {
    const panel = await attentionPanel(db(), at, { id: 'nobody', roles: ['it'] });
    assert.deepEqual(
      panel.startingSoon.map((row) => row.employeeId),
      ['K1'],
    );
    assert.deepEqual(
      panel.deviceMismatches.map((row) => [row.employeeId, row.attempts]),
      [['K1', 1]],
    );
    assert.deepEqual(
      panel.linksExpiringSoon.map((row) => row.employeeId),
      ['K1'],
    );
  });

  test('metrics: funnel, time to passkey, secret-free rate, mismatches per day', async () => {
    const metrics = await enrollmentMetrics(db(), at);
    assert.deepEqual(metrics.funnel, { invited: 3, opened: 3, enrolled: 2 });
    assert.deepEqual(metrics.timeToPasskey, { medianMinutes: 30, p90Minutes: 90, samples: 2 });
    assert.deepEqual(metrics.secretFree, { enrolled: 2, withoutHelp: 1, rate: 0.5 });
    assert.equal(metrics.mismatchesPerDay.at(-1)?.count, 1);
    assert.equal(metrics.mismatchesPerDay.length, 14);
  });
});
