import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as route from '@/app/scim/v2/[...path]/route';
import { POST as createConnectionRoute } from '@/app/api/it/scim-connections/route';
import { POST as revokeConnectionRoute } from '@/app/api/it/scim-connections/[connectionId]/revoke/route';
import { POST as redeem } from '@/app/api/enroll/redeem/route';
import { hashSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { addHire } from '@/lib/hires/add-hire';
import { registerDevice } from '@/lib/hires/register-device';
import { createScimConnection, revokeScimConnection } from '@/lib/scim/connections';
import { SCIM_MAX_RESULTS } from '@/lib/scim/policy';
import { ENTERPRISE_USER } from '@/lib/scim/resource';
import { staffFromSessionCookie } from '@/lib/staff/session';
import { FRESH_ASSERTION } from '@/lib/staff/policy';
import { apiRequest } from '@/lib/testing/api';
import { seedHires } from '@/lib/testing/bulk-hires';
import { deviceCertificate } from '@/lib/testing/certificates';
import { enrolledPerson } from '@/lib/testing/enrolled';
import { staffSessionCookie } from '@/lib/testing/staff-session';

// SCIM 2.0 as Okta's and Microsoft Entra's provisioning call it: the request sequences of their
// documentation, replayed through the real route handler against the real database.

const ORIGIN = env().origin;
type Scim = { status: number; body: Record<string, unknown>; headers: Headers };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function scim(
  token: string | null,
  method: Method,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Scim> {
  const url = new URL(`${ORIGIN}/scim/v2${path}`);
  const request = new Request(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
      'user-agent': 'SCIM client test',
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const segments = url.pathname.split('/').slice(3).map(decodeURIComponent);
  const response = await route[method](request, { params: Promise.resolve({ path: segments }) });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

const filter = (expression: string) => `/Users?filter=${encodeURIComponent(expression)}`;

async function connection(name: string): Promise<{ id: string; token: string }> {
  return createScimConnection(db(), { name }, { actor: { type: 'cli' }, at: new Date() });
}

/** Every row a refused request must leave alone: counts of each table and the people's rows. */
async function snapshot(): Promise<string> {
  const d = db();
  return JSON.stringify([
    await d.user.findMany({ orderBy: { id: 'asc' } }),
    await d.scimUser.findMany({ orderBy: { userId: 'asc' } }),
    await d.auditEvent.count(),
    await d.bridgeToken.findMany({ orderBy: { id: 'asc' } }),
    await d.device.count(),
    await d.passkey.findMany({ orderBy: { id: 'asc' } }),
    await d.outboxMessage.count(),
    await d.scimConnection.findMany({ orderBy: { id: 'asc' } }),
  ]);
}

function assertScimError(answer: Scim, status: number, scimType?: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('content-type'), 'application/scim+json');
  assert.deepEqual(answer.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(answer.body.status, String(status));
  assert.equal(answer.body.scimType, scimType);
  assert.equal(typeof answer.body.detail, 'string');
}

const enterprise = (body: Record<string, unknown>) =>
  body[ENTERPRISE_USER] as Record<string, unknown>;

describe('Okta provisioning (Okta SCIM 2.0 reference)', () => {
  test('test connection, look up, create, read, replace with PUT, deactivate, reactivate', async () => {
    const { id: connectionId, token } = await connection('Okta');
    // "Test API credentials": GET /Users?startIndex=1&count=2
    const probe = await scim(token, 'GET', '/Users?startIndex=1&count=2');
    assert.equal(probe.status, 200);
    assert.equal(probe.headers.get('content-type'), 'application/scim+json');
    assert.deepEqual(probe.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);

    const lookup = await scim(
      token,
      'GET',
      `${filter('userName eq "test.user@okta.local"')}&startIndex=1&count=100`,
    );
    assert.equal(lookup.status, 200);
    assert.equal(lookup.body.totalResults, 0);
    assert.deepEqual(lookup.body.Resources, []);

    const created = await scim(token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal(created.headers.get('location'), `${ORIGIN}/scim/v2/Users/${id}`);
    assert.equal(created.body.userName, 'test.user@okta.local');
    assert.equal(created.body.active, true);
    assert.equal(created.body.externalId, '00ujl29u0le5T6Aj10h7');
    // No employeeNumber mapped: the externalId is the employee id.
    assert.equal(enterprise(created.body).employeeNumber, '00ujl29u0le5T6Aj10h7');
    assert.deepEqual(created.body.meta && Object.keys(created.body.meta as object).sort(), [
      'created',
      'lastModified',
      'location',
      'resourceType',
      'version',
    ]);
    assert.equal('password' in created.body || 'locale' in created.body, false);
    // Passwordless: the password Okta sends is stored nowhere, not even in the audit trail.
    const audit = await db().auditEvent.findMany({ where: { userId: id } });
    assert.ok(!JSON.stringify(audit).includes('1mz050nq'));
    assert.ok(!JSON.stringify(await db().scimUser.findMany()).includes('1mz050nq'));
    const createdEvent = audit.find((event) => event.action === 'scim_user_created');
    assert.deepEqual([createdEvent?.actorType, createdEvent?.actorId], ['scim', connectionId]);
    assert.equal(audit.find((event) => event.action === 'hire_added')?.actorType, 'scim');
    const user = await db().user.findUniqueOrThrow({ where: { id } });
    assert.deepEqual(
      [user.name, user.email, user.employeeId, user.enrollmentState, user.createdBy],
      [
        'Test User',
        'test.user@okta.local',
        '00ujl29u0le5T6Aj10h7',
        'awaiting_device',
        `scim:${connectionId}`,
      ],
    );

    const found = await scim(token, 'GET', filter('userName eq "test.user@okta.local"'));
    assert.equal(found.body.totalResults, 1);
    assert.equal((found.body.Resources as { id: string }[])[0]!.id, id);
    const read = await scim(token, 'GET', `/Users/${id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);

    // Okta's update: PUT the whole user, id and meta included.
    const replaced = await scim(token, 'PUT', `/Users/${id}`, {
      ...read.body,
      name: { givenName: 'Another', familyName: 'User' },
      displayName: 'Another User',
      password: 'also-ignored',
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.displayName, 'Another User');
    assert.equal((await db().user.findUniqueOrThrow({ where: { id } })).name, 'Another User');
    assert.notEqual(
      (replaced.body.meta as { version: string }).version,
      (read.body.meta as { version: string }).version,
    );

    const deactivated = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
    assert.equal(deactivated.body.active, false);
    const left = await db().user.findUniqueOrThrow({ where: { id } });
    assert.equal(left.enrollmentState, 'offboarded');
    assert.ok(left.offboardedAt);
    const offboarded = await db().auditEvent.findFirstOrThrow({
      where: { userId: id, action: 'offboarded' },
    });
    assert.deepEqual([offboarded.actorType, offboarded.actorId], ['scim', connectionId]);
    assert.match(offboarded.details ?? '', /scim_deactivated/);

    const reactivated = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    assert.equal(reactivated.status, 200, JSON.stringify(reactivated.body));
    assert.equal(reactivated.body.active, true);
    const back = await db().user.findUniqueOrThrow({ where: { id } });
    assert.deepEqual([back.enrollmentState, back.offboardedAt], ['awaiting_device', null]);
    assert.ok(
      await db().auditEvent.findFirst({ where: { userId: id, action: 'scim_user_reactivated' } }),
    );
    // The connection's last use is on record.
    assert.ok(
      (await db().scimConnection.findUniqueOrThrow({ where: { id: connectionId } })).lastUsedAt,
    );
  });
});

describe('Microsoft Entra provisioning (Entra SCIM validator sequence)', () => {
  test('create, filter by userName / externalId / work email, PATCH with Entra shapes, disable, enable, manager, delete', async () => {
    const { token } = await connection('Entra ID');
    const none = await scim(token, 'GET', filter('userName eq "non-existent user"'));
    assert.deepEqual([none.status, none.body.totalResults], [200, 0]);

    const manager = await scim(token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
      userName: 'boss@contoso.example',
      externalId: 'b0551e11-0000-4000-8000-000000000001',
      active: true,
      displayName: 'The Boss',
      emails: [{ primary: true, type: 'work', value: 'boss@contoso.example' }],
      [ENTERPRISE_USER]: { employeeNumber: 'EN-BOSS', department: 'Board' },
    });
    assert.equal(manager.status, 201, JSON.stringify(manager.body));

    const created = await scim(token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.example' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      title: 'Engineer',
      [ENTERPRISE_USER]: { employeeNumber: 'EN-701', department: 'Research' },
      'urn:ietf:params:scim:schemas:extension:firstkey:2.0:User': { startDate: '2027-01-04' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal('title' in created.body || 'roles' in created.body, false);
    const row = await db().user.findUniqueOrThrow({ where: { id } });
    assert.deepEqual(
      [row.employeeId, row.email, row.name, row.department, row.startDate],
      [
        'EN-701',
        'test_user_fd0ea19b@testuser.example',
        'givenName familyName',
        'Research',
        '2027-01-04',
      ],
    );

    // userName is case-insensitive; externalId and the work email find the same person.
    for (const expression of [
      'userName eq "TEST_USER_AB6490EE-1E48-479E-A20B-2D77186B5DD1"',
      'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
      'emails[type eq "work"].value eq "Test_User_fd0ea19b@testuser.example"',
      'userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1" and emails.value eq "test_user_fd0ea19b@testuser.example"',
    ]) {
      const found = await scim(token, 'GET', filter(expression));
      assert.equal(found.status, 200, expression);
      assert.deepEqual(
        (found.body.Resources as { id: string }[]).map((resource) => resource.id),
        [id],
        expression,
      );
    }
    const wrongCase = await scim(
      token,
      'GET',
      filter('externalId eq "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF"'),
    );
    assert.equal(wrongCase.body.totalResults, 0, 'externalId is caseExact');

    // "Update User [Multi-valued properties]" and "[Single-valued properties]", as Entra sends them.
    const multi = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        {
          op: 'Replace',
          path: 'emails[type eq "work"].value',
          value: 'updatedEmail@contoso.example',
        },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      ],
    });
    assert.equal(multi.status, 200, JSON.stringify(multi.body));
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id } })).email,
      'updatedemail@contoso.example',
    );
    assert.equal((multi.body.name as { familyName: string }).familyName, 'updatedFamilyName');
    assert.equal('phoneNumbers' in multi.body, false);

    const single = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'userName', value: 'renamed@contoso.example' }],
    });
    assert.equal(single.body.userName, 'renamed@contoso.example');

    // The manager as Entra adds and removes it: the bare id as the value.
    const managed = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Add', path: `${ENTERPRISE_USER}:manager`, value: manager.body.id },
        { op: 'Replace', path: `${ENTERPRISE_USER}:department`, value: 'Labs' },
      ],
    });
    assert.equal(managed.status, 200, JSON.stringify(managed.body));
    assert.deepEqual(enterprise(managed.body).manager, {
      value: manager.body.id,
      displayName: 'The Boss',
    });
    assert.equal(enterprise(managed.body).department, 'Labs');
    const unmanaged = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Remove', path: `${ENTERPRISE_USER}:manager` }],
    });
    assert.equal(enterprise(unmanaged.body).manager, undefined);

    // "Disable User": the string "False" Entra sends without the aadOptscim062020 flag.
    const disabled = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    assert.equal(disabled.body.active, false);
    const disabledGet = await scim(token, 'GET', filter('userName eq "renamed@contoso.example"'));
    assert.equal((disabledGet.body.Resources as { active: boolean }[])[0]!.active, false);

    // Re-assigned in Entra: a PATCH without path, carrying a value object.
    const enabled = await scim(token, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', value: { active: 'True', displayName: 'Back Again' } }],
    });
    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
    assert.deepEqual([enabled.body.active, enabled.body.displayName], [true, 'Back Again']);

    // Hard delete (30 days after the soft delete): 204, then the user is no SCIM resource.
    const deleted = await scim(token, 'DELETE', `/Users/${id}`);
    assert.equal(deleted.status, 204);
    assertScimError(await scim(token, 'GET', `/Users/${id}`), 404);
    const gone = await scim(token, 'GET', filter('userName eq "renamed@contoso.example"'));
    assert.equal(gone.body.totalResults, 0);
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id } })).enrollmentState,
      'offboarded',
    );
    // The userName is free again.
    assert.equal(
      (
        await scim(token, 'POST', '/Users', {
          userName: 'renamed@contoso.example',
          emails: [{ value: 'rehired@contoso.example', primary: true }],
          [ENTERPRISE_USER]: { employeeNumber: 'EN-702' },
        })
      ).status,
      201,
    );
  });

  test('a person HR added is found by userName (their email) and linked, not duplicated', async () => {
    const { token } = await connection('Entra link');
    await addHire(
      db(),
      {
        employeeId: 'HR-1',
        name: 'Hr Person',
        email: 'hr.person@example.com',
        startDate: '2027-02-01',
      },
      { actor: { type: 'hr' }, at: new Date() },
    );
    const found = await scim(token, 'GET', filter('userName eq "Hr.Person@example.com"'));
    assert.equal(found.body.totalResults, 1);
    const [person] = found.body.Resources as Record<string, unknown>[];
    assert.equal(person!.userName, 'hr.person@example.com');
    assert.equal(enterprise(person!).employeeNumber, 'HR-1');
    const before = await snapshot();
    const duplicate = await scim(token, 'POST', '/Users', {
      userName: 'hr.person@example.com',
      emails: [{ value: 'hr.person@example.com' }],
      externalId: 'HR-2',
    });
    assertScimError(duplicate, 409, 'uniqueness');
    assert.equal(await snapshot(), before);
  });
});

describe('refusals write nothing', () => {
  test('no token, a wrong token and a revoked token get 401 with WWW-Authenticate, and nothing is written', async () => {
    const { id, token } = await connection('to revoke');
    const before = await snapshot();
    const body = { userName: 'nobody@example.com', externalId: 'NOBODY' };
    for (const bad of [null, 'fkscim_not-a-token', `${token}x`, token.slice(0, -1)]) {
      for (const [method, path] of [
        ['POST', '/Users'],
        ['GET', '/Users'],
        ['GET', '/ServiceProviderConfig'],
      ] as const) {
        const answer = await scim(bad, method, path, method === 'POST' ? body : undefined);
        assertScimError(answer, 401);
        assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="scim"');
      }
    }
    const basic = await scim(null, 'GET', '/Users', undefined, {
      authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}`,
    });
    assertScimError(basic, 401);
    assert.equal(await snapshot(), before);

    await revokeScimConnection(db(), id, { actor: { type: 'cli' }, at: new Date() });
    const afterRevoke = await snapshot();
    assertScimError(await scim(token, 'POST', '/Users', body), 401);
    assertScimError(await scim(token, 'GET', '/Users'), 401);
    assert.equal(await snapshot(), afterRevoke);
  });

  test('filters other than eq on userName, externalId or emails.value, joined by and, are 400 invalidFilter', async () => {
    const { token } = await connection('filters');
    for (const expression of [
      'userName co "a"',
      'userName sw "a"',
      'userName pr',
      'userName ne "a"',
      'userName eq "a" or userName eq "b"',
      'not (userName eq "a")',
      '(userName eq "a")',
      'title eq "Engineer"',
      'userName eq a',
      'userName eq true',
      'userName eq "a" and',
      'userName eq "unterminated',
      'emails[type eq "home"].value eq "a@example.com"',
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      '',
    ]) {
      assertScimError(await scim(token, 'GET', filter(expression)), 400, 'invalidFilter');
    }
    const ok = await scim(token, 'GET', filter('USERNAME EQ "x" AND externalId eq "y"'));
    assert.equal(ok.status, 200);
  });

  test('bad bodies, bad patches, a changed employeeNumber and unknown ids are refused with SCIM errors and write nothing', async () => {
    const { token } = await connection('refusals');
    const created = await scim(token, 'POST', '/Users', {
      userName: 'refuse.me@example.com',
      [ENTERPRISE_USER]: { employeeNumber: 'REF-1' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    const before = await snapshot();
    const patch = (...Operations: unknown[]) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations,
    });
    const cases: [Method, string, unknown, number, string | undefined][] = [
      ['POST', '/Users', '{"userName":', 400, 'invalidSyntax'],
      ['POST', '/Users', [], 400, 'invalidSyntax'],
      ['POST', '/Users', { externalId: 'NO-NAME' }, 400, 'invalidValue'],
      ['POST', '/Users', { userName: 'not-an-email', externalId: 'NO-MAIL' }, 400, 'invalidValue'],
      ['POST', '/Users', { userName: 'no.id@example.com' }, 400, 'invalidValue'],
      [
        'POST',
        '/Users',
        { userName: 'x@example.com', externalId: 'has space' },
        400,
        'invalidValue',
      ],
      ['POST', '/Users', { userName: 42 }, 400, 'invalidValue'],
      [
        'POST',
        '/Users',
        {
          userName: 'late@example.com',
          externalId: 'LATE',
          'urn:ietf:params:scim:schemas:extension:firstkey:2.0:User': { startDate: '2027-02-30' },
        },
        400,
        'invalidValue',
      ],
      ['PATCH', `/Users/${id}`, {}, 400, 'invalidSyntax'],
      [
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'move', path: 'userName', value: 'x' }),
        400,
        'invalidSyntax',
      ],
      ['PATCH', `/Users/${id}`, patch({ op: 'remove' }), 400, 'noTarget'],
      [
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', path: 'active', value: 'maybe' }),
        400,
        'invalidValue',
      ],
      ['PATCH', `/Users/${id}`, patch({ op: 'remove', path: 'userName' }), 400, 'mutability'],
      [
        'PATCH',
        `/Users/${id}`,
        patch(
          { op: 'replace', path: 'displayName', value: 'Changed First' },
          { op: 'replace', path: `${ENTERPRISE_USER}:employeeNumber`, value: 'REF-2' },
        ),
        400,
        'mutability',
      ],
      [
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', path: `${ENTERPRISE_USER}:manager`, value: id }),
        400,
        'invalidValue',
      ],
      ['PUT', `/Users/${id}`, { displayName: 'No userName' }, 400, 'invalidValue'],
      [
        'PATCH',
        '/Users/00000000-0000-4000-8000-000000000000',
        patch({ op: 'replace', path: 'displayName', value: 'x' }),
        404,
        undefined,
      ],
      ['DELETE', '/Users/00000000-0000-4000-8000-000000000000', undefined, 404, undefined],
      ['GET', '/Users?startIndex=abc', undefined, 400, 'invalidValue'],
      [
        'PATCH',
        '/Users',
        patch({ op: 'replace', path: 'displayName', value: 'x' }),
        405,
        undefined,
      ],
      ['GET', '/Groups', undefined, 404, undefined],
    ];
    for (const [method, path, body, status, scimType] of cases) {
      const answer = await scim(token, method, path, body);
      assertScimError(answer, status, scimType);
    }
    const wrongType = await scim(
      token,
      'POST',
      '/Users',
      { userName: 'x@example.com' },
      {
        'content-type': 'text/plain',
      },
    );
    assertScimError(wrongType, 415);
    assert.equal(await snapshot(), before);
  });

  test('a duplicate userName (in any case) is 409 uniqueness, on POST and on PATCH, and writes nothing', async () => {
    const { token } = await connection('uniqueness');
    const first = await scim(token, 'POST', '/Users', {
      userName: 'same@example.com',
      externalId: 'U-1',
    });
    const second = await scim(token, 'POST', '/Users', {
      userName: 'other@example.com',
      externalId: 'U-2',
    });
    assert.deepEqual([first.status, second.status], [201, 201]);
    const before = await snapshot();
    assertScimError(
      await scim(token, 'POST', '/Users', {
        userName: 'SAME@example.com',
        emails: [{ value: 'third@example.com' }],
        externalId: 'U-3',
      }),
      409,
      'uniqueness',
    );
    assertScimError(
      await scim(token, 'POST', '/Users', { userName: 'fourth@example.com', externalId: 'U-1' }),
      409,
      'uniqueness',
    );
    assertScimError(
      await scim(token, 'PATCH', `/Users/${second.body.id as string}`, {
        Operations: [{ op: 'replace', path: 'userName', value: 'Same@Example.com' }],
      }),
      409,
      'uniqueness',
    );
    assertScimError(
      await scim(token, 'PATCH', `/Users/${second.body.id as string}`, {
        Operations: [
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'same@example.com' },
        ],
      }),
      409,
      'uniqueness',
    );
    assert.equal(await snapshot(), before);
  });

  test('deactivating the last IT member who can sign in is refused (409) and changes nothing', async () => {
    const { token } = await connection('last admin');
    const admin = await enrolledPerson({ employeeId: 'SCIM-IT-1', role: 'it' });
    const before = await snapshot();
    const refused = await scim(token, 'PATCH', `/Users/${admin.id}`, {
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assertScimError(refused, 409);
    assertScimError(await scim(token, 'DELETE', `/Users/${admin.id}`), 409);
    assert.equal(await snapshot(), before);
  });
});

describe('a deactivated person loses every way in', () => {
  test('their open link, staff session and passkeys are dead after active: false', async () => {
    const { token } = await connection('leavers');
    // Two IT members, so that one of them may leave.
    await enrolledPerson({ employeeId: 'SCIM-IT-2', role: 'it' });
    const enrolled = await enrolledPerson({ employeeId: 'SCIM-IT-3', role: 'it' });
    const cookie = await staffSessionCookie(enrolled.id);
    assert.ok(await staffFromSessionCookie(cookie.split('=')[1], new Date()));

    // A hire created over SCIM whose laptop IT registers; the next change issues their link.
    const created = await scim(token, 'POST', '/Users', {
      userName: 'linked@example.com',
      [ENTERPRISE_USER]: { employeeNumber: 'SCIM-LINK' },
    });
    const laptop = await deviceCertificate('SCIM-LINK');
    assert.ok(
      (
        await registerDevice(
          db(),
          { employeeId: 'SCIM-LINK', serial: 'SN-LINK', certificatePem: laptop.pem },
          { actor: { type: 'cli' }, at: new Date() },
        )
      ).ok,
    );
    const { issueLink } = await import('@/lib/enrollment/issue-link');
    const link = await issueLink(
      db(),
      { employeeId: 'SCIM-LINK' },
      { actor: { type: 'cli' }, at: new Date(), origin: ORIGIN },
    );
    assert.ok(link.ok);

    for (const id of [created.body.id as string, enrolled.id]) {
      const left = await scim(token, 'PATCH', `/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
      assert.equal(left.status, 200, JSON.stringify(left.body));
    }
    const redeemed = await redeem(
      apiRequest(
        '/api/enroll/redeem',
        { fingerprint: laptop.fingerprint },
        {
          body: { token: new URL(link.url).hash.slice(1) },
        },
      ),
    );
    assert.equal(redeemed.status, 410);
    assert.equal(await staffFromSessionCookie(cookie.split('=')[1], new Date()), null);
    assert.equal(await db().passkey.count({ where: { userId: enrolled.id, revokedAt: null } }), 0);
    assert.equal(
      await db().device.count({ where: { userId: created.body.id as string, retiredAt: null } }),
      0,
    );

    // Reactivated: nothing from before comes back; a new passkey needs a two-person recovery.
    const back = await scim(token, 'PATCH', `/Users/${enrolled.id}`, {
      Operations: [{ op: 'Replace', path: 'active', value: true }],
    });
    assert.equal(back.status, 200);
    assert.equal(await db().passkey.count({ where: { userId: enrolled.id, revokedAt: null } }), 0);
    assert.equal(await staffFromSessionCookie(cookie.split('=')[1], new Date()), null);
    assert.equal(
      (await db().user.findUniqueOrThrow({ where: { id: enrolled.id } })).enrollmentState,
      'awaiting_device',
    );
  });
});

describe('paging', () => {
  test('over 250 people, startIndex/count pages see each person once; count is capped', async () => {
    const { token } = await connection('paging');
    await seedHires(260, { prefix: 'PAGE-', startDate: '2027-03-01', at: new Date() });
    // Everyone but the people a SCIM client deleted (earlier tests in this file).
    const total = await db().user.count({
      where: { OR: [{ scimUser: { is: null } }, { scimUser: { is: { deletedAt: null } } }] },
    });
    assert.ok(total > 250);
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= total; startIndex += 100) {
      const page = await scim(token, 'GET', `/Users?startIndex=${startIndex}&count=100`);
      assert.equal(page.status, 200);
      assert.equal(page.body.totalResults, total);
      assert.equal(page.body.startIndex, startIndex);
      const resources = page.body.Resources as { id: string }[];
      assert.equal(page.body.itemsPerPage, resources.length);
      assert.equal(resources.length, Math.min(100, total - startIndex + 1));
      seen.push(...resources.map((resource) => resource.id));
    }
    assert.equal(new Set(seen).size, total);
    const capped = await scim(token, 'GET', '/Users?count=100000');
    assert.equal((capped.body.Resources as unknown[]).length, SCIM_MAX_RESULTS);
    const zero = await scim(token, 'GET', '/Users?count=0&startIndex=-5');
    assert.deepEqual(
      [zero.body.totalResults, zero.body.startIndex, zero.body.Resources],
      [total, 1, []],
    );
  });
});

describe('discovery', () => {
  test('ServiceProviderConfig, ResourceTypes and Schemas describe Users with the enterprise extension', async () => {
    const { token } = await connection('discovery');
    const config = await scim(token, 'GET', '/ServiceProviderConfig');
    assert.equal(config.status, 200);
    assert.deepEqual(config.body.patch, { supported: true });
    assert.equal((config.body.filter as { supported: boolean }).supported, true);
    const types = await scim(token, 'GET', '/ResourceTypes');
    assert.deepEqual(
      (types.body.Resources as { id: string; endpoint: string }[]).map((type) => [
        type.id,
        type.endpoint,
      ]),
      [['User', '/Users']],
    );
    const schemas = await scim(token, 'GET', '/Schemas');
    assert.ok(
      (schemas.body.Resources as { id: string }[]).some((schema) => schema.id === ENTERPRISE_USER),
    );
    assert.equal((await scim(token, 'GET', `/Schemas/${ENTERPRISE_USER}`)).status, 200);
  });
});

describe('SCIM connections on the console', () => {
  test('IT creates one with a fresh passkey assertion; the token is in the answer once, stored as its hash, and works until revoked', async () => {
    const it = await addHire(
      db(),
      {
        employeeId: 'CONN-IT',
        name: 'Conn It',
        email: 'conn.it@example.com',
        startDate: '2026-12-01',
        role: 'it',
      },
      { actor: { type: 'cli' }, at: new Date() },
    );
    const manager = await addHire(
      db(),
      {
        employeeId: 'CONN-M',
        name: 'Conn M',
        email: 'conn.m@example.com',
        startDate: '2026-12-01',
        role: 'manager',
      },
      { actor: { type: 'cli' }, at: new Date() },
    );
    assert.ok(it.ok && manager.ok);
    const call = async (userId: string | null, path: string, body: unknown, assertedAgoMs = 0) => {
      const cookie = userId
        ? await staffSessionCookie(userId, { signedInAt: Date.now() - assertedAgoMs })
        : undefined;
      const request = new Request(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: ORIGIN,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      });
      const response = path.endsWith('/revoke')
        ? await revokeConnectionRoute(request, {
            params: Promise.resolve({ connectionId: path.split('/')[4]! }),
          })
        : await createConnectionRoute(request);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const before = await snapshot();
    assert.equal((await call(null, '/api/it/scim-connections', { name: 'Okta' })).status, 401);
    assert.equal(
      (await call(manager.hire.id, '/api/it/scim-connections', { name: 'Okta' })).status,
      403,
    );
    const stale = await call(
      it.hire.id,
      '/api/it/scim-connections',
      { name: 'Okta' },
      FRESH_ASSERTION + 1_000,
    );
    assert.deepEqual(
      [stale.status, (stale.body.error as { code: string }).code],
      [403, 'stale_assertion'],
    );
    assert.equal((await call(it.hire.id, '/api/it/scim-connections', { name: '' })).status, 400);
    assert.equal(await snapshot(), before);

    const created = await call(it.hire.id, '/api/it/scim-connections', { name: 'Okta' });
    assert.equal(created.status, 200);
    const token = created.body.token as string;
    assert.match(token, /^fkscim_[A-Za-z0-9_-]{43}$/);
    const row = await db().scimConnection.findUniqueOrThrow({
      where: { id: created.body.id as string },
    });
    assert.equal(row.tokenHash, hashSecret(token));
    assert.ok(!JSON.stringify(row).includes(token));
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'scim_connection_created', subjectId: row.id },
    });
    assert.deepEqual([audit.actorType, audit.actorId], ['user', it.hire.id]);
    assert.equal((await scim(token, 'GET', '/Users?count=1')).status, 200);

    const revoked = await call(it.hire.id, `/api/it/scim-connections/${row.id}/revoke`, {});
    assert.equal(revoked.status, 200);
    assertScimError(await scim(token, 'GET', '/Users?count=1'), 401);
    assert.equal(
      (await call(it.hire.id, `/api/it/scim-connections/${row.id}/revoke`, {})).status,
      409,
    );
  });
});
