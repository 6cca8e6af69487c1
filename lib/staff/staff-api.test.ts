import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST as addHireRoute } from '@/app/api/it/hires/route';
import { POST as deviceRoute } from '@/app/api/it/hires/[employeeId]/device/route';
import { POST as issueRoute } from '@/app/api/it/hires/[employeeId]/links/route';
import { POST as revokeRoute } from '@/app/api/it/hires/[employeeId]/links/revoke/route';
import { POST as importRoute } from '@/app/api/it/hires/import/route';
import { db } from '@/lib/db';
import { registerDevice } from '@/lib/hires/register-device';
import { addHire } from '@/lib/hires/add-hire';
import { MAX_IMPORT_ROWS } from '@/lib/hr/import-hires';
import { FRESH_ASSERTION } from '@/lib/staff/policy';
import { deviceCertificate } from '@/lib/testing/certificates';
import { staffSessionCookie } from '@/lib/testing/staff-session';

// Every IT route handler × {anonymous, new hire, manager, IT}, with real session cookies.
let sequence = 0;
async function person(options: { role?: 'it' | 'manager'; manager?: string } = {}) {
  sequence += 1;
  const employeeId = `Z${sequence}`;
  const result = await addHire(
    db(),
    {
      employeeId,
      name: `Person ${sequence}`,
      email: `z${sequence}@example.com`,
      startDate: '2026-12-01',
      role: options.role,
      managerEmployeeId: options.manager,
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(result.ok);
  return { id: result.hire.id, employeeId };
}

async function sessionCookie(userId: string | null, assertedAgoMs = 0) {
  if (!userId) return undefined;
  return staffSessionCookie(userId, { signedInAt: Date.now() - assertedAgoMs });
}

function request(
  path: string,
  cookie: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return new Request(`https://localhost:3443${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://localhost:3443',
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

const params = (employeeId: string) => ({ params: Promise.resolve({ employeeId }) });

describe('IT actions: authorization matrix', async () => {
  const it = await person({ role: 'it' });
  const manager = await person({ role: 'manager' });
  const hire = await person({ manager: manager.employeeId });
  const target = await person({ manager: manager.employeeId });
  const laptop = await deviceCertificate(target.employeeId);
  assert.ok(
    (
      await registerDevice(
        db(),
        { employeeId: target.employeeId, serial: 'SN', certificatePem: laptop.pem },
        { actor: { type: 'cli' }, at: new Date() },
      )
    ).ok,
  );

  const callers = { anonymous: null, hire: hire.id, manager: manager.id, it: it.id } as const;
  const routes = [
    {
      name: 'add hire',
      call: (cookie?: string) =>
        addHireRoute(
          request('/api/it/hires', cookie, {
            employeeId: `N${sequence++}`,
            name: 'New',
            email: `n${sequence}@example.com`,
            startDate: '2026-12-01',
          }),
        ),
    },
    {
      name: 'register device',
      call: async (cookie?: string) =>
        deviceRoute(
          request('/x', cookie, {
            serial: 'SN2',
            certificatePem: (await deviceCertificate('m')).pem,
          }),
          params(target.employeeId),
        ),
    },
    {
      name: 'issue link',
      call: (cookie?: string) =>
        issueRoute(request('/x', cookie, { reason: 'matrix test' }), params(target.employeeId)),
    },
    {
      name: 'revoke link',
      call: (cookie?: string) =>
        revokeRoute(request('/x', cookie, { reason: 'matrix test' }), params(target.employeeId)),
    },
  ];

  for (const route of routes) {
    test(`${route.name}: anonymous 401, hire 403, manager (even their own report) 403, IT succeeds`, async () => {
      const statuses: Record<string, number> = {};
      for (const [who, userId] of Object.entries(callers))
        statuses[who] = (await route.call(await sessionCookie(userId))).status;
      assert.deepEqual(statuses, { anonymous: 401, hire: 403, manager: 403, it: 200 });
    });
  }

  test('a sensitive action with a passkey assertion older than 5 minutes asks for a fresh one, and changes nothing', async () => {
    const stale = await sessionCookie(it.id, FRESH_ASSERTION + 1_000);
    const before = await db().bridgeToken.count({ where: { userId: target.id } });
    const response = await issueRoute(
      request('/x', stale, { reason: 'stale' }),
      params(target.employeeId),
    );
    assert.equal(response.status, 403);
    assert.equal(
      ((await response.json()) as { error: { code: string } }).error.code,
      'stale_assertion',
    );
    assert.equal(await db().bridgeToken.count({ where: { userId: target.id } }), before);
    // Adding a hire is not sensitive: the same session may do it.
    const added = await addHireRoute(
      request('/api/it/hires', stale, {
        employeeId: 'STALE1',
        name: 'S',
        email: 'stale1@example.com',
        startDate: '2026-12-01',
      }),
    );
    assert.equal(added.status, 200);
  });

  test('a cross-site request is refused even with a valid IT session', async () => {
    const response = await issueRoute(
      request(
        '/x',
        await sessionCookie(it.id),
        { reason: 'csrf' },
        { origin: 'https://evil.example' },
      ),
      params(target.employeeId),
    );
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'cross_site');
  });

  test('a state-changing request without an Origin header is refused, not left to SameSite', async () => {
    const bare = request('/x', await sessionCookie(it.id), { reason: 'no origin' });
    bare.headers.delete('origin');
    const before = await db().bridgeToken.count({ where: { userId: target.id } });
    const response = await issueRoute(bare, params(target.employeeId));
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'cross_site');
    assert.equal(await db().bridgeToken.count({ where: { userId: target.id } }), before);
  });

  test('bad input is a 4xx with a message and writes nothing', async () => {
    const cookie = await sessionCookie(it.id);
    const before = await db().auditEvent.count();
    const cases = [
      await issueRoute(request('/x', cookie, { reason: 'no' }), params(target.employeeId)),
      await issueRoute(
        request('/x', cookie, { reason: 'valid reason', ttlMinutes: 5 }),
        params(target.employeeId),
      ),
      await deviceRoute(
        request('/x', cookie, { serial: 'S', certificatePem: 'not a pem' }),
        params(target.employeeId),
      ),
      await deviceRoute(
        request('/x', cookie, { serial: 'S', certificatePem: laptop.pem + laptop.keyPem }),
        params(target.employeeId),
      ),
      await addHireRoute(
        request('/api/it/hires', cookie, {
          employeeId: 'bad id!',
          name: '',
          email: 'x',
          startDate: '2026-13-01',
        }),
      ),
      await addHireRoute(
        request('/api/it/hires', cookie, {
          employeeId: 'R1',
          name: 'R',
          email: 'r1@example.com',
          startDate: '2026-12-01',
          role: 'it',
        }),
      ),
      await issueRoute(request('/x', cookie, { reason: 'valid reason' }), params('NOBODY')),
      await issueRoute(request('/x', cookie, { reason: 'valid reason' }), params('abc%')),
    ];
    assert.deepEqual(
      cases.map((response) => response.status),
      [400, 400, 400, 400, 400, 400, 404, 404],
    );
    for (const response of cases)
      assert.ok(
        ((await response.json()) as { error: { message: string } }).error.message.length > 5,
      );
    assert.equal(await db().auditEvent.count(), before);
  });
});

describe('CSV import from the console', async () => {
  const it = await person({ role: 'it' });
  const header = 'employee_id,name,email,start_date,manager_employee_id,department';
  const rows = (count: number, prefix: string) =>
    Array.from(
      { length: count },
      (_, i) => `${prefix}${i},Imported ${i},${prefix.toLowerCase()}${i}@example.com,2026-12-01,,`,
    );
  const upload = async (csv: string) => {
    const response = await importRoute(
      request('/api/it/hires/import', await sessionCookie(it.id), { csv }),
    );
    return {
      status: response.status,
      body: (await response.json()) as {
        imported?: number;
        error?: { code: string; message: string };
      },
    };
  };

  test('500 rows (the size that used to fail with a 500) import whole', async () => {
    assert.deepEqual(await upload([header, ...rows(500, 'CI')].join('\r\n')), {
      status: 200,
      body: { ok: true, imported: 500 },
    });
  });

  test(`more than ${MAX_IMPORT_ROWS} rows: 413 naming the limit, nothing imported`, async () => {
    const before = await db().user.count();
    const result = await upload([header, ...rows(MAX_IMPORT_ROWS + 1, 'CJ')].join('\n'));
    assert.equal(result.status, 413);
    assert.deepEqual(result.body.error, {
      code: 'file_too_large',
      message: `At most ${MAX_IMPORT_ROWS} rows per file; this one has ${MAX_IMPORT_ROWS + 1}: split it`,
    });
    assert.equal(await db().user.count(), before);
  });
});
