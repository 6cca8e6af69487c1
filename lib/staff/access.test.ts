import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GET as exportRoute } from '@/app/api/it/hires/export/route';
import { POST as rolesRoute } from '@/app/api/it/hires/[employeeId]/roles/route';
import { POST as roleRequestRoute } from '@/app/api/it/role-requests/[requestId]/route';
import { POST as revokePasskeyRoute } from '@/app/api/it/passkeys/[passkeyId]/revoke/route';
import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { csvField } from '@/lib/hires/csv';
import { staffSessionCookie } from '@/lib/testing/staff-session';

let sequence = 0;
async function person(role?: 'it' | 'manager', name?: string) {
  sequence += 1;
  const employeeId = `AC${sequence}`;
  const result = await addHire(
    db(),
    {
      employeeId,
      name: name ?? `Access ${sequence}`,
      email: `ac${sequence}@example.com`,
      startDate: '2026-12-01',
      role,
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(result.ok);
  const passkey = await db().passkey.create({
    data: {
      userId: result.hire.id,
      credentialId: `ac-${sequence}`,
      publicKey: Buffer.from([1]),
      aaguid: '0',
      deviceType: 'singleDevice',
      backedUp: false,
    },
  });
  await db().user.update({ where: { id: result.hire.id }, data: { enrollmentState: 'enrolled' } });
  return { id: result.hire.id, employeeId, passkeyId: passkey.id };
}

const post = async (userId: string, body: unknown) =>
  new Request('https://localhost:3443/x', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://localhost:3443',
      cookie: await staffSessionCookie(userId),
    },
    body: JSON.stringify(body),
  });

async function changeRole(
  actorId: string,
  employeeId: string,
  role: 'it' | 'manager',
  grant: boolean,
) {
  const response = await rolesRoute(await post(actorId, { role, grant, reason: 'access test' }), {
    params: Promise.resolve({ employeeId }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      roles?: string[];
      pendingRequestId?: string;
      error?: { code: string };
    },
  };
}

describe('roles and passkeys', () => {
  test('IT grants and revokes roles (granting `it` takes a second IT member); nobody changes their own; the last IT member cannot be demoted', async () => {
    const admin = await person('it');
    const second = await person('it');
    const colleague = await person();
    const asked = await changeRole(admin.id, colleague.employeeId, 'it', true);
    assert.deepEqual(asked.body.roles, []);
    const approved = await roleRequestRoute(await post(second.id, { decision: 'approve' }), {
      params: Promise.resolve({ requestId: asked.body.pendingRequestId! }),
    });
    assert.deepEqual(((await approved.json()) as { roles: string[] }).roles, ['it']);
    const own = await changeRole(admin.id, admin.employeeId, 'it', false);
    assert.deepEqual([own.status, own.body.error?.code], [409, 'own_roles']);
    // Colleague demotes admin: allowed while the colleague remains an IT member with a passkey.
    assert.equal((await changeRole(colleague.id, admin.employeeId, 'it', false)).status, 200);
    // Now the colleague is the last IT member with a passkey; the (former) admin has no right to act.
    assert.equal((await changeRole(admin.id, colleague.employeeId, 'it', false)).status, 403);
    const actions = await db().auditEvent.findMany({
      where: {
        action: { in: ['role_granted', 'role_revoked'] },
        actorType: 'user',
        userId: { in: [admin.id, colleague.id] },
      },
    });
    assert.equal(actions.length, 2);
    assert.ok(actions.every((event) => JSON.parse(event.details).reason === 'access test'));
  });

  test('the last IT member with a passkey is protected from demotion', async () => {
    await db().staffRole.deleteMany({ where: { role: 'it' } });
    const solo = await person('it');
    const helper = await person('it');
    await db().passkey.updateMany({
      where: { userId: helper.id },
      data: { revokedAt: new Date() },
    });
    const result = await changeRole(helper.id, solo.employeeId, 'it', false);
    assert.deepEqual([result.status, result.body.error?.code], [409, 'last_admin']);
  });

  test('removing the last passkey takes the hire out of `enrolled`; a manager cannot remove passkeys', async () => {
    const it = await person('it');
    const manager = await person('manager');
    const hire = await person();
    const byManager = await revokePasskeyRoute(
      await post(manager.id, { reason: 'not mine to do' }),
      { params: Promise.resolve({ passkeyId: hire.passkeyId }) },
    );
    assert.equal(byManager.status, 403);
    const response = await revokePasskeyRoute(await post(it.id, { reason: 'reported stolen' }), {
      params: Promise.resolve({ passkeyId: hire.passkeyId }),
    });
    assert.equal(response.status, 200);
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id: hire.id } })).enrollmentState,
      'awaiting_device',
    );
    // Any console session of that person (a stolen laptop's) ends with it.
    const { staffFromSessionCookie } = await import('@/lib/staff/session');
    const stolen = (await staffSessionCookie(hire.id)).split('=').slice(1).join('=');
    assert.equal(await staffFromSessionCookie(stolen, new Date()), null);
    const again = await revokePasskeyRoute(await post(it.id, { reason: 'reported stolen' }), {
      params: Promise.resolve({ passkeyId: hire.passkeyId }),
    });
    assert.equal(again.status, 409);
  });
});

describe('CSV export', () => {
  test('exports the filtered table, and defuses spreadsheet formulas', async () => {
    const it = await person('it');
    await person(undefined, '=HYPERLINK("http://evil.example","x")');
    const response = await exportRoute(
      new Request('https://localhost:3443/api/it/hires/export?q=%3DHYPERLINK', {
        headers: { cookie: await staffSessionCookie(it.id) },
      }),
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    assert.equal(
      lines[0],
      '"employee_id","name","email","start_date","department","manager","device_serial","state","link_expires_at","last_event","last_event_at"',
    );
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /,"'=HYPERLINK\(""http:\/\/evil.example"",""x""\)",/);
    // A formula after a semicolon: one quoted cell, not "x" and "=1+1" where ";" separates cells (German Excel).
    await person(undefined, 'x;=1+1');
    const semicolon = await exportRoute(
      new Request('https://localhost:3443/api/it/hires/export?q=x%3B', {
        headers: { cookie: await staffSessionCookie(it.id) },
      }),
    );
    assert.match(
      (await semicolon.text()).trim().split('\r\n')[1]!,
      /^"AC\d+","x;=1\+1","ac\d+@example.com",/,
    );
    const anonymous = await exportRoute(new Request('https://localhost:3443/api/it/hires/export'));
    assert.equal(anonymous.status, 401);
  });

  test('csv fields: every field quoted, embedded quotes doubled, formula prefixes defused', () => {
    assert.equal(csvField('plain'), '"plain"');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('+1 555'), `"'+1 555"`);
    assert.equal(csvField('@cmd'), `"'@cmd"`);
    for (const prefix of ['=', '+', '-', '@', '\t', '\r'])
      assert.equal(csvField(`${prefix}1+1`), `"'${prefix}1+1"`);
    for (const separated of ['x;=1+1', 'x\t=1+1', 'x|=1+1', 'x =1+1'])
      assert.equal(csvField(separated), `"${separated}"`);
    assert.equal(csvField(42), '"42"');
    assert.equal(csvField(null), '""');
  });
});
