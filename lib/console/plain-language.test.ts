import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actorName, actorNames, UNKNOWN_PERSON } from '@/lib/audit/actor-names';
import { attentionPanel, deliveryProblem } from '@/lib/console/attention';
import { hireDetail } from '@/lib/console/hire-detail';
import { resolveAttentionItem } from '@/lib/console/resolve-attention';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import { askItForHelp } from '@/lib/manager/help';
import { managerReports } from '@/lib/manager/readiness';
import {
  approvalConsequence,
  approvalsWaitingTitle,
  recoveriesAwaitingApproval,
} from '@/lib/recovery/awaiting-approval';
import { decideRecovery, requestRecovery } from '@/lib/recovery/recovery';
import { issueLink } from '@/lib/enrollment/issue-link';
import type { Staff } from '@/lib/staff/session';
import { deviceCertificate } from '@/lib/testing/certificates';

const at = new Date('2026-11-25T09:00:00Z');
const cli = { actor: { type: 'cli' } as const, at };

async function person(
  employeeId: string,
  name: string,
  options: { role?: 'it' | 'manager'; manager?: string; startDate?: string } = {},
): Promise<Staff> {
  const added = await addHire(
    db(),
    {
      employeeId,
      name,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: options.startDate ?? '2026-12-01',
      role: options.role,
      managerEmployeeId: options.manager,
    },
    cli,
  );
  assert.ok(added.ok);
  return {
    id: added.hire.id,
    name,
    employeeId,
    roles: options.role ? [options.role] : [],
    signedInAt: at,
    assertedAt: at,
  } as Staff;
}

async function laptop(employeeId: string, actor: Staff) {
  const registered = await registerDevice(
    db(),
    {
      employeeId,
      serial: `SN-${employeeId}`,
      certificatePem: (await deviceCertificate(employeeId)).pem,
    },
    { actor: { type: 'user', id: actor.id }, at },
  );
  assert.ok(registered.ok);
}

describe('staff screens name people, not ids', () => {
  test('machines and the terminal get a readable label; a person by name; a vanished person is never an id', async () => {
    const grace = await person('PL1', 'Grace Hopper', { role: 'it' });
    const { name } = await actorNames(db(), [`user:${grace.id}`, 'hr', 'cli']);
    assert.equal(name(`user:${grace.id}`), 'Grace Hopper');
    assert.equal(name({ actorType: 'user', actorId: grace.id }), 'Grace Hopper');
    assert.equal(name('hr'), 'the HR system');
    assert.equal(name('cli'), 'an operator at the server (CLI)');
    assert.equal(name({ actorType: 'system', actorId: null }), 'Firstkey');
    assert.equal(actorName('user:4c4d0000-gone', new Map()), UNKNOWN_PERSON);
    assert.doesNotMatch(actorName('user:4c4d0000-gone', new Map()), /4c4d|user:/);
  });

  test('the hire page says "registered by Grace Hopper" and names every timeline actor', async () => {
    const grace = await person('PL2', 'Grace Hopper', { role: 'it' });
    const alan = await person('PL3', 'Alan Turing', { role: 'it' });
    await person('PL4', 'Ada Lovelace');
    await laptop('PL4', grace);
    const asked = await requestRecovery(
      db(),
      { employeeId: 'PL4', reason: 'Laptop stolen', revokePasskeys: true },
      { requester: alan, at },
    );
    assert.ok(asked.ok);
    const katherine = await person('PL5', 'Katherine Johnson', { role: 'it' });
    const declined = await decideRecovery(
      db(),
      { requestId: asked.requestId, decision: 'decline', origin: 'https://localhost:3443' },
      { approver: katherine, at },
    );
    assert.ok(declined.ok);

    const detail = await hireDetail(db(), 'PL4', { at, viewer: grace });
    assert.equal(detail?.device?.registeredByName, 'Grace Hopper');
    const actors = Object.fromEntries(detail!.timeline.map((event) => [event.action, event.actor]));
    assert.equal(actors.hire_added, 'an operator at the server (CLI)');
    assert.equal(actors.device_registered, 'Grace Hopper');
    assert.equal(actors.recovery_requested, 'Alan Turing');
    assert.equal(actors.recovery_declined, 'Katherine Johnson');
    const decision = detail!.timeline.find((event) => event.action === 'recovery_declined');
    assert.equal(decision?.details.requestedBy, 'Alan Turing');
    assert.doesNotMatch(
      JSON.stringify(detail!.timeline.map((event) => [event.actor, event.details])),
      new RegExp(alan.id),
    );
  });
});

describe('the attention panel', () => {
  test('help requests: one entry per person with the count, the latest message and who asked; handling it handles all', async () => {
    const manager = await person('PL10', 'Maya Manager', { role: 'manager' });
    const it = await person('PL11', 'Hal Helpdesk', { role: 'it' });
    await person('PL12', 'Ivo Invited', { manager: 'PL10' });
    for (const [minutes, message] of [
      [0, 'Laptop still in customs'],
      [5, 'Still nothing'],
      [9, 'Starts tomorrow, please'],
    ] as const)
      assert.ok(
        (
          await askItForHelp(
            db(),
            { employeeId: 'PL12', message },
            { manager, at: new Date(at.getTime() + minutes * 60_000) },
          )
        ).ok,
      );
    const panel = await attentionPanel(db(), new Date(at.getTime() + 10 * 60_000), it);
    const ivo = panel.helpRequests.filter((row) => row.employeeId === 'PL12');
    assert.equal(ivo.length, 1);
    assert.deepEqual(
      [ivo[0]!.count, ivo[0]!.latestMessage, ivo[0]!.latestAt.getTime(), ivo[0]!.askedBy],
      [3, 'Starts tomorrow, please', at.getTime() + 9 * 60_000, ['Maya Manager']],
    );
    const handled = await resolveAttentionItem(
      db(),
      { itemId: ivo[0]!.id },
      { actorId: it.id, at },
    );
    assert.deepEqual(handled, { ok: true, resolved: 3 });
    const after = await attentionPanel(db(), at, it);
    assert.equal(after.helpRequests.filter((row) => row.employeeId === 'PL12').length, 0);
  });

  test('a pending recovery shows to the people who can approve it — not to the one who asked, nor to other managers', async () => {
    const asker = await person('PL20', 'Ari Asker', { role: 'it' });
    const other = await person('PL21', 'Bea Approver', { role: 'it' });
    const manager = await person('PL22', 'Mo Manager', { role: 'manager' });
    const elsewhere = await person('PL23', 'Nia Elsewhere', { role: 'manager' });
    await person('PL24', 'Lena Lost', { manager: 'PL22' });
    await laptop('PL24', other);
    const asked = await requestRecovery(
      db(),
      { employeeId: 'PL24', reason: 'Phone lost', revokePasskeys: true },
      { requester: asker, at },
    );
    assert.ok(asked.ok);
    const mine = (await attentionPanel(db(), at, asker)).approvals.map((row) => row.id);
    const theirs = (await attentionPanel(db(), at, other)).approvals;
    assert.equal(mine.includes(asked.requestId), false);
    const lena = theirs.find((row) => row.id === asked.requestId);
    assert.deepEqual(
      [lena?.employeeId, lena?.name, lena?.requestedBy],
      ['PL24', 'Lena Lost', 'Ari Asker'],
    );
    assert.deepEqual(
      (await recoveriesAwaitingApproval(db(), manager, at)).map((row) => row.id),
      [asked.requestId],
    );
    assert.deepEqual(await recoveriesAwaitingApproval(db(), elsewhere, at), []);
    // Once decided (or expired), it is no longer waiting for anyone.
    assert.deepEqual(
      await recoveriesAwaitingApproval(db(), manager, new Date(at.getTime() + 7 * 86_400_000)),
      [],
    );
  });

  test("a failed delivery says what went wrong in words, not the HTTP client's message", () => {
    assert.equal(deliveryProblem('HTTP 503'), 'it answered HTTP 503');
    assert.equal(deliveryProblem('fetch failed'), 'it could not be reached');
    assert.equal(deliveryProblem('mdm_push is not configured'), 'its address is not configured');
    assert.equal(deliveryProblem(null), null);
  });

  test('the approvals banner is pluralised, and the approve control says what approving does', () => {
    assert.equal(approvalsWaitingTitle(1), '1 recovery needs your approval');
    assert.equal(approvalsWaitingTitle(2), '2 recoveries need your approval');
    assert.equal(
      approvalConsequence({
        name: 'Ada Lovelace',
        revokePasskeys: true,
        requestedBy: 'Ari Asker',
        pushedToMdm: false,
      }),
      'Approving revokes Ada Lovelace\u2019s lost passkeys and issues a new link that Ari Asker (IT) hands over.',
    );
    assert.equal(
      approvalConsequence({
        name: 'Ada Lovelace',
        revokePasskeys: false,
        requestedBy: 'Ari Asker',
        pushedToMdm: true,
      }),
      'Approving signs Ada Lovelace out everywhere (their passkeys stay) and issues a new link that the MDM pushes to their laptop.',
    );
  });
});

describe("the manager's view", () => {
  test('blocked and at-risk reports come first, then on track, then ready, whatever their start dates', async () => {
    const manager = await person('PL30', 'Mia Manager', { role: 'manager' });
    const it = await person('PL31', 'Ian It', { role: 'it' });
    const otto = await person('PL32', 'Otto Onboard', { manager: 'PL30', startDate: '2026-11-26' });
    await person('PL33', 'Bea Blocked', { manager: 'PL30', startDate: '2026-12-20' });
    await person('PL34', 'Rita Risk', { manager: 'PL30', startDate: '2026-11-27' });
    await person('PL35', 'Tom Track', { manager: 'PL30', startDate: '2026-12-15' });
    for (const employeeId of ['PL32', 'PL34', 'PL35']) {
      await laptop(employeeId, it);
      const issued = await issueLink(
        db(),
        { employeeId, reason: 'First link', ttlMs: 14 * 86_400_000 },
        { actor: { type: 'cli' }, at, origin: 'https://localhost:3443' },
      );
      assert.ok(issued.ok);
    }
    // Otto enrolled (a passkey row is all the checklist reads).
    await db().passkey.create({
      data: {
        userId: otto.id,
        credentialId: 'pl32-credential',
        publicKey: Buffer.from([1]),
        aaguid: '00000000-0000-0000-0000-000000000000',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    const reports = await managerReports(db(), manager.id, at);
    assert.deepEqual(
      reports.map((report) => [report.employeeId, report.verdict]),
      [
        ['PL33', 'blocked'],
        ['PL34', 'at_risk'],
        ['PL35', 'on_track'],
        ['PL32', 'ready'],
      ],
    );
  });
});
