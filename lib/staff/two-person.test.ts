import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { POST as registrationOptions } from '@/app/api/enroll/passkey/options/route';
import { POST as registrationVerify } from '@/app/api/enroll/passkey/verify/route';
import { POST as redeem } from '@/app/api/enroll/redeem/route';
import { POST as deviceRoute } from '@/app/api/it/hires/[employeeId]/device/route';
import { POST as issueRoute } from '@/app/api/it/hires/[employeeId]/links/route';
import { POST as recoveryRoute } from '@/app/api/it/hires/[employeeId]/recovery/route';
import { POST as rolesRoute } from '@/app/api/it/hires/[employeeId]/roles/route';
import { POST as addHireRoute } from '@/app/api/it/hires/route';
import { POST as revokePasskeyRoute } from '@/app/api/it/passkeys/[passkeyId]/revoke/route';
import { POST as roleRequestRoute } from '@/app/api/it/role-requests/[requestId]/route';
import { POST as decideRoute } from '@/app/api/recovery/[requestId]/route';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import { applyHrEvent } from '@/lib/hr/events';
import { apiRequest, cookieFrom, json } from '@/lib/testing/api';
import { deviceCertificate } from '@/lib/testing/certificates';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';
import { staffSessionCookie } from '@/lib/testing/staff-session';

// The two-person rule, attacked the way an insider would (issue: "one IT member can mint a credential
// alone"): every step through the real route handlers, a real database, real certificates and real
// WebAuthn ceremonies. Nobody here is helped by a second person unless the test says so.

const ORIGIN = 'https://localhost:3443';
let sequence = 0;
type Person = { id: string; employeeId: string; name: string };

/** A person added by the server's terminal (a trusted source), optionally with a laptop it registered. */
async function cliPerson(
  options: { role?: 'it' | 'manager'; manager?: string; device?: boolean; passkey?: boolean } = {},
): Promise<Person> {
  sequence += 1;
  const employeeId = `TP${sequence}`;
  const name = `Person ${sequence}`;
  const added = await addHire(
    db(),
    {
      employeeId,
      name,
      email: `tp${sequence}@example.com`,
      startDate: '2026-11-01',
      role: options.role,
      managerEmployeeId: options.manager,
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(added.ok);
  if (options.device) {
    const laptop = await deviceCertificate(employeeId);
    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId, serial: `SN-${employeeId}`, certificatePem: laptop.pem },
          { actor: { type: 'cli' }, at: new Date() },
        )
      ).ok,
    );
  }
  if (options.passkey ?? true) {
    await db().passkey.create({
      data: {
        userId: added.hire.id,
        credentialId: `tp-${sequence}`,
        publicKey: Buffer.from([1]),
        aaguid: '0',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    await db().user.update({ where: { id: added.hire.id }, data: { enrollmentState: 'enrolled' } });
  }
  return { id: added.hire.id, employeeId, name };
}

async function as(person: { id: string }, body: unknown): Promise<Request> {
  return new Request(`${ORIGIN}/x`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://localhost:3443',
      cookie: await staffSessionCookie(person.id),
    },
    body: JSON.stringify(body),
  });
}

const hire = (employeeId: string) => ({ params: Promise.resolve({ employeeId }) });

async function call(response: Promise<Response>) {
  const settled = await response;
  return {
    status: settled.status,
    body: await json<Record<string, unknown> & { error?: { code: string; message: string } }>(
      settled,
    ),
  };
}

/** The insider adds a stand-in from the console and enrolls it on a laptop they hold. */
async function standIn(
  insider: Person,
  laptop: Awaited<ReturnType<typeof deviceCertificate>>,
  name: string,
): Promise<Person> {
  sequence += 1;
  const employeeId = `SI${sequence}`;
  const added = await call(
    addHireRoute(
      await as(insider, {
        employeeId,
        name,
        email: `si${sequence}@example.com`,
        startDate: '2026-11-02',
      }),
    ),
  );
  assert.equal(added.status, 200, JSON.stringify(added.body));
  assert.equal(
    (
      await call(
        deviceRoute(
          await as(insider, { serial: `EVIL-${sequence}`, certificatePem: laptop.pem }),
          hire(employeeId),
        ),
      )
    ).status,
    200,
  );
  const issued = await call(
    issueRoute(await as(insider, { reason: 'new joiner' }), hire(employeeId)),
  );
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const token = new URL(String(issued.body.url)).hash.slice(1);
  const caller = { fingerprint: laptop.fingerprint, ip: '203.0.113.66' };
  const redeemed = await redeem(apiRequest('/api/enroll/redeem', caller, { body: { token } }));
  assert.equal(redeemed.status, 200);
  const session = { ...caller, cookie: cookieFrom(redeemed) };
  const creation = await json<PublicKeyCredentialCreationOptionsJSON>(
    await registrationOptions(apiRequest('/api/enroll/passkey/options', session, { body: {} })),
  );
  const response = new SoftAuthenticator({ userVerification: true }).register(creation, ORIGIN);
  assert.equal(
    (
      await registrationVerify(
        apiRequest('/api/enroll/passkey/verify', session, { body: { response } }),
      )
    ).status,
    200,
  );
  const user = await db().user.findUniqueOrThrow({ where: { employeeId } });
  return { id: user.id, employeeId, name };
}

async function roles(person: Person) {
  return (await db().staffRole.findMany({ where: { userId: person.id } }))
    .map((role) => role.role)
    .sort();
}

/** Someone independent of the insider approves a role request (a second person who was deceived). */
async function grantIt(asker: Person, subject: Person, approver: Person) {
  const asked = await call(
    rolesRoute(
      await as(asker, { role: 'it', grant: true, reason: 'joins the help desk' }),
      hire(subject.employeeId),
    ),
  );
  assert.equal(asked.status, 200, JSON.stringify(asked.body));
  const decided = await call(
    roleRequestRoute(await as(approver, { decision: 'approve' }), {
      params: Promise.resolve({ requestId: String(asked.body.pendingRequestId) }),
    }),
  );
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
}

describe('the two-person rule against one insider', async () => {
  const insider = await cliPerson({ role: 'it' });
  const colleague = await cliPerson({ role: 'it', device: true });
  const independent = await cliPerson({ role: 'it' });

  test('granting the IT role from the console only asks: neither the asker, the subject nor a stand-in can approve', async () => {
    const puppet = await standIn(insider, await deviceCertificate('insider-laptop'), 'Pat Puppet');
    const asked = await call(
      rolesRoute(
        await as(insider, { role: 'it', grant: true, reason: 'helper' }),
        hire(puppet.employeeId),
      ),
    );
    assert.equal(asked.status, 200);
    assert.ok(asked.body.pendingRequestId);
    assert.deepEqual(await roles(puppet), []);
    const requestId = {
      params: Promise.resolve({ requestId: String(asked.body.pendingRequestId) }),
    };
    const self = await call(
      roleRequestRoute(await as(insider, { decision: 'approve' }), requestId),
    );
    assert.deepEqual([self.status, self.body.error?.code], [403, 'same_person']);
    // The stand-in is no IT member yet, so it is refused by role before anything else.
    assert.equal(
      (await call(roleRequestRoute(await as(puppet, { decision: 'approve' }), requestId))).status,
      403,
    );
    // A second stand-in that somehow holds `it` (granted from the terminal) is still the insider's.
    const other = await standIn(insider, await deviceCertificate('insider-laptop-2'), 'Pam Puppet');
    await db().staffRole.create({ data: { userId: other.id, role: 'it', grantedBy: 'cli' } });
    const byStandIn = await call(
      roleRequestRoute(await as(other, { decision: 'approve' }), requestId),
    );
    assert.deepEqual([byStandIn.status, byStandIn.body.error?.code], [403, 'not_independent']);
    assert.match(
      byStandIn.body.error!.message,
      /Person \d+ (added|registered the laptop of|issued the link of) Pam Puppet/,
    );
    assert.deepEqual(await roles(puppet), []);
    // An independent IT member's approval is what grants it, recorded with both names.
    const approved = await call(
      roleRequestRoute(await as(independent, { decision: 'approve' }), requestId),
    );
    assert.deepEqual([approved.status, approved.body.decision], [200, 'approved']);
    assert.deepEqual(await roles(puppet), ['it']);
    const grant = await db().staffRole.findUniqueOrThrow({
      where: { userId_role: { userId: puppet.id, role: 'it' } },
    });
    assert.deepEqual(
      [grant.grantedBy, grant.approvedBy],
      [`user:${insider.id}`, `user:${independent.id}`],
    );
  });

  test("the reviewer's ten calls: a stand-in enrolled on the insider's laptop cannot be the second person for a colleague's recovery", async () => {
    const puppet = await standIn(
      insider,
      await deviceCertificate('insider-laptop-4'),
      'Pete Puppet',
    );
    await grantIt(insider, puppet, independent); // even with a deceived second person's help here
    // The insider swaps the colleague's laptop for one they hold…
    const swapped = await call(
      deviceRoute(
        await as(insider, {
          serial: 'SWAP',
          certificatePem: (await deviceCertificate('insider-laptop-3')).pem,
        }),
        hire(colleague.employeeId),
      ),
    );
    assert.equal(swapped.status, 200);
    // …and cannot ask for a recovery onto it.
    const asked = await call(
      recoveryRoute(
        await as(insider, { reason: 'lost phone', revokePasskeys: true }),
        hire(colleague.employeeId),
      ),
    );
    assert.deepEqual([asked.status, asked.body.error?.code], [409, 'device_not_independent']);
    // Onto a laptop someone independent registered, the insider may ask — but the stand-in cannot approve.
    await registerDevice(
      db(),
      {
        employeeId: colleague.employeeId,
        serial: 'REAL',
        certificatePem: (await deviceCertificate('real')).pem,
      },
      { actor: { type: 'hr' }, at: new Date() },
    );
    const second = await call(
      recoveryRoute(
        await as(insider, { reason: 'lost phone', revokePasskeys: true }),
        hire(colleague.employeeId),
      ),
    );
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const decided = await call(
      decideRoute(await as(puppet, { decision: 'approve' }), {
        params: Promise.resolve({ requestId: String(second.body.requestId) }),
      }),
    );
    assert.deepEqual([decided.status, decided.body.error?.code], [403, 'not_independent']);
    assert.equal(await db().bridgeToken.count({ where: { userId: colleague.id } }), 0);
    assert.equal(await db().passkey.count({ where: { userId: colleague.id, revokedAt: null } }), 1);
  });

  test('a chain of stand-ins does not help: one made by a stand-in is still the insider\u2019s', async () => {
    const first = await standIn(insider, await deviceCertificate('chain-1'), 'Chain One');
    await grantIt(insider, first, independent);
    const second = await standIn(first, await deviceCertificate('chain-2'), 'Chain Two');
    await grantIt(first, second, independent);
    const victim = await cliPerson({ role: 'it', device: true });
    const asked = await call(
      recoveryRoute(
        await as(insider, { reason: 'lost', revokePasskeys: true }),
        hire(victim.employeeId),
      ),
    );
    assert.equal(asked.status, 200);
    const decided = await call(
      decideRoute(await as(second, { decision: 'approve' }), {
        params: Promise.resolve({ requestId: String(asked.body.requestId) }),
      }),
    );
    assert.deepEqual([decided.status, decided.body.error?.code], [403, 'not_independent']);
    // The stand-ins cannot ask either: the insider then approves their request.
    await call(
      decideRoute(await as(insider, { decision: 'withdraw' }), {
        params: Promise.resolve({ requestId: String(asked.body.requestId) }),
      }),
    );
    const byStandIn = await call(
      recoveryRoute(
        await as(second, { reason: 'lost', revokePasskeys: true }),
        hire(victim.employeeId),
      ),
    );
    assert.equal(byStandIn.status, 200);
    const byInsider = await call(
      decideRoute(await as(insider, { decision: 'approve' }), {
        params: Promise.resolve({ requestId: String(byStandIn.body.requestId) }),
      }),
    );
    assert.deepEqual([byInsider.status, byInsider.body.error?.code], [403, 'not_independent']);
    assert.equal(await db().bridgeToken.count({ where: { userId: victim.id } }), 0);
  });

  test('a manager the requester made cannot be the second person; one HR made can', async () => {
    const manager = await cliPerson({ role: 'manager' });
    sequence += 1;
    const employeeId = `MG${sequence}`;
    const added = await call(
      addHireRoute(
        await as(insider, {
          employeeId,
          name: 'Rita Report',
          email: `mg${sequence}@example.com`,
          startDate: '2026-11-03',
          managerEmployeeId: manager.employeeId,
        }),
      ),
    );
    assert.equal(added.status, 200);
    await registerDevice(
      db(),
      { employeeId, serial: 'R1', certificatePem: (await deviceCertificate('rita')).pem },
      { actor: { type: 'hr' }, at: new Date() },
    );
    const asked = await call(
      recoveryRoute(await as(insider, { reason: 'lost', revokePasskeys: false }), hire(employeeId)),
    );
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    const requestId = { params: Promise.resolve({ requestId: String(asked.body.requestId) }) };
    const decided = await call(decideRoute(await as(manager, { decision: 'approve' }), requestId));
    assert.deepEqual([decided.status, decided.body.error?.code], [403, 'not_independent']);
    assert.match(decided.body.error!.message, /made the approver the manager/);
    // HR restates the manager relation: now the manager is the second person HR says they are.
    await applyHrEvent(
      db(),
      {
        webhookId: `msg_${employeeId}`,
        occurredAt: new Date(),
        event: {
          type: 'change',
          data: {
            employeeId,
            name: 'Rita Report',
            email: `mg${sequence}@example.com`,
            startDate: '2026-11-03',
            managerEmployeeId: manager.employeeId,
          },
        },
        origin: ORIGIN,
      },
      new Date(),
    );
    const approved = await call(decideRoute(await as(manager, { decision: 'approve' }), requestId));
    assert.deepEqual([approved.status, approved.body.decision], [200, 'approved']);
    // The manager approves; the link goes to the IT member who asked, never to the approver.
    assert.doesNotMatch(JSON.stringify(approved.body), /enroll#/);
  });
});

describe('recovery requests overtaken by events', () => {
  test('a laptop swap voids the pending request, and the one who asked can withdraw theirs', async () => {
    const asker = await cliPerson({ role: 'it' });
    const approver = await cliPerson({ role: 'it' });
    const person = await cliPerson({ device: true });
    const first = await call(
      recoveryRoute(
        await as(asker, { reason: 'lost', revokePasskeys: true }),
        hire(person.employeeId),
      ),
    );
    assert.equal(first.status, 200);
    await registerDevice(
      db(),
      {
        employeeId: person.employeeId,
        serial: 'NEW',
        certificatePem: (await deviceCertificate('new')).pem,
      },
      { actor: { type: 'hr' }, at: new Date() },
    );
    assert.equal(
      (
        await db().recoveryRequest.findUniqueOrThrow({
          where: { id: String(first.body.requestId) },
        })
      ).status,
      'voided',
    );
    const second = await call(
      recoveryRoute(
        await as(asker, { reason: 'lost, new laptop', revokePasskeys: true }),
        hire(person.employeeId),
      ),
    );
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const requestId = { params: Promise.resolve({ requestId: String(second.body.requestId) }) };
    assert.equal(
      (await call(decideRoute(await as(approver, { decision: 'withdraw' }), requestId))).status,
      403,
    );
    const withdrawn = await call(decideRoute(await as(asker, { decision: 'withdraw' }), requestId));
    assert.deepEqual([withdrawn.status, withdrawn.body.decision], [200, 'withdrawn']);
    assert.equal(
      (await call(decideRoute(await as(approver, { decision: 'approve' }), requestId))).status,
      409,
    );
    assert.equal(
      (
        await call(
          recoveryRoute(
            await as(asker, { reason: 'third time', revokePasskeys: true }),
            hire(person.employeeId),
          ),
        )
      ).status,
      200,
    );
  });
});

describe('the last IT member who can sign in', () => {
  test('cannot vanish: not by removing their own last passkey, a recovery that revokes it, or an HR leaver', async () => {
    await db().staffRole.deleteMany({ where: { role: 'it' } });
    const last = await cliPerson({ role: 'it', device: true });
    const manager = await cliPerson({ role: 'manager' });
    await db().user.update({
      where: { id: last.id },
      data: { managerId: manager.id, managerSetBy: 'hr' },
    });
    const passkey = await db().passkey.findFirstOrThrow({ where: { userId: last.id } });

    const own = await call(
      revokePasskeyRoute(await as(last, { reason: 'tidy up' }), {
        params: Promise.resolve({ passkeyId: passkey.id }),
      }),
    );
    assert.deepEqual([own.status, own.body.error?.code], [409, 'last_admin']);

    const helper = await cliPerson({ role: 'it', passkey: false });
    const asked = await call(
      recoveryRoute(
        await as(helper, { reason: 'lost', revokePasskeys: true }),
        hire(last.employeeId),
      ),
    );
    assert.equal(asked.status, 200);
    const approval = await call(
      decideRoute(await as(manager, { decision: 'approve' }), {
        params: Promise.resolve({ requestId: String(asked.body.requestId) }),
      }),
    );
    assert.deepEqual([approval.status, approval.body.error?.code], [409, 'last_admin']);

    const before = await db().hrInboundEvent.count();
    const leaver = await applyHrEvent(
      db(),
      {
        webhookId: 'msg_last_admin_leaves',
        occurredAt: new Date(),
        event: { type: 'leaver', data: { employeeId: last.employeeId } },
        origin: ORIGIN,
      },
      new Date(),
    );
    assert.equal(leaver.ok, false);
    assert.equal(await db().hrInboundEvent.count(), before);
    assert.equal(
      (await db().passkey.findUniqueOrThrow({ where: { id: passkey.id } })).revokedAt,
      null,
    );
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id: last.id } })).enrollmentState,
      'enrolled',
    );

    // Once someone else can sign in, each of these goes through.
    await db().passkey.create({
      data: {
        userId: helper.id,
        credentialId: `helper-${helper.id}`,
        publicKey: Buffer.from([1]),
        aaguid: '0',
        deviceType: 'singleDevice',
        backedUp: false,
      },
    });
    assert.equal(
      (
        await call(
          revokePasskeyRoute(await as(last, { reason: 'tidy up' }), {
            params: Promise.resolve({ passkeyId: passkey.id }),
          }),
        )
      ).status,
      200,
    );
  });
});
