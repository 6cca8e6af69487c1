import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { askItForHelp } from '@/lib/manager/help';
import { daysUntil, managerReports, verdictFor, type Checklist } from '@/lib/manager/readiness';
import type { Staff } from '@/lib/staff/session';

const none: Checklist = {
  deviceRegistered: false,
  linkIssued: false,
  linkOpened: false,
  passkeyEnrolled: false,
  backupPasskey: false,
};

describe('day-one verdicts', () => {
  test('each verdict and its reason', () => {
    assert.deepEqual(
      verdictFor({
        checklist: { ...none, deviceRegistered: true, passkeyEnrolled: true },
        state: 'enrolled',
        daysToStart: 2,
        openLink: false,
      }),
      {
        verdict: 'ready',
        reason: 'Passkey enrolled; no backup passkey yet',
      },
    );
    assert.equal(
      verdictFor({ checklist: none, state: 'awaiting_device', daysToStart: 10, openLink: false })
        .verdict,
      'blocked',
    );
    assert.match(
      verdictFor({
        checklist: { ...none, deviceRegistered: true, linkIssued: true },
        state: 'expired',
        daysToStart: 10,
        openLink: false,
      }).reason,
      /was expired; IT must issue a new one/,
    );
    const close = verdictFor({
      checklist: { ...none, deviceRegistered: true, linkIssued: true },
      state: 'invited',
      daysToStart: 1,
      openLink: true,
    });
    assert.deepEqual(close, {
      verdict: 'at_risk',
      reason: 'has not opened the link yet; starts in 1 day',
    });
    assert.equal(
      verdictFor({
        checklist: { ...none, deviceRegistered: true, linkIssued: true },
        state: 'invited',
        daysToStart: 12,
        openLink: true,
      }).verdict,
      'on_track',
    );
    assert.match(
      verdictFor({
        checklist: { ...none, deviceRegistered: true, linkIssued: true, linkOpened: true },
        state: 'opened',
        daysToStart: -2,
        openLink: true,
      }).reason,
      /started 2 days ago/,
    );
  });

  test('days until the start date count calendar days', () => {
    assert.equal(daysUntil('2026-11-26', new Date('2026-11-25T23:59:00Z')), 1);
    assert.equal(daysUntil('2026-11-25', new Date('2026-11-25T00:01:00Z')), 0);
  });
});

describe("a manager's reports", () => {
  test('only direct reports starting within 30 days or not enrolled; help only for own reports', async () => {
    const at = new Date('2026-11-25T09:00:00Z');
    const make = async (
      employeeId: string,
      startDate: string,
      manager?: string,
      role?: 'manager',
    ) => {
      const result = await addHire(
        db(),
        {
          employeeId,
          name: employeeId,
          email: `${employeeId.toLowerCase()}@example.com`,
          startDate,
          managerEmployeeId: manager,
          role,
        },
        { actor: { type: 'cli' }, at },
      );
      assert.ok(result.ok);
      return result.hire.id;
    };
    const managerId = await make('MGR1', '2020-01-01', undefined, 'manager');
    await make('MGR2', '2020-01-01', undefined, 'manager');
    await make('R1', '2026-11-27', 'MGR1');
    const enrolledLater = await make('R2', '2027-03-01', 'MGR1');
    await db().user.update({ where: { id: enrolledLater }, data: { enrollmentState: 'enrolled' } });
    await make('R3', '2027-03-01', 'MGR1');
    await make('OTHER', '2026-11-27', 'MGR2');
    const reports = await managerReports(db(), managerId, at);
    assert.deepEqual(
      reports.map((report) => [report.employeeId, report.verdict, report.daysToStart]),
      [
        ['R1', 'blocked', 2],
        ['R3', 'blocked', 96],
      ],
    );

    const manager = { id: managerId, roles: ['manager'] } as Staff;
    assert.equal(
      (
        await askItForHelp(
          db(),
          { employeeId: 'R1', message: 'Laptop not delivered' },
          { manager, at },
        )
      ).ok,
      true,
    );
    for (const employeeId of ['OTHER', 'NOBODY']) {
      const refused = await askItForHelp(db(), { employeeId, message: 'x y z' }, { manager, at });
      assert.deepEqual(refused.ok ? null : refused.reason, 'not_your_report');
    }
    assert.equal(await db().attentionItem.count(), 1);
    const { resolveAttentionItem } = await import('@/lib/console/resolve-attention');
    const item = await db().attentionItem.findFirstOrThrow();
    assert.deepEqual(
      await resolveAttentionItem(db(), { itemId: item.id }, { actorId: managerId, at }),
      { ok: true, resolved: 1 },
    );
    const again = await resolveAttentionItem(db(), { itemId: item.id }, { actorId: managerId, at });
    assert.deepEqual(again.ok ? null : again.reason, 'already_resolved');
  });
});
