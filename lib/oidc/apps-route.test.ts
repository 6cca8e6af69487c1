import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST as appsRoute } from '@/app/api/it/apps/route';
import { hashSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { listOidcClients } from '@/lib/oidc/clients';
import { FRESH_ASSERTION } from '@/lib/staff/policy';
import { staffSessionCookie } from '@/lib/testing/staff-session';

const ORIGIN = 'https://localhost:3443';

async function person(employeeId: string, role?: 'it' | 'manager') {
  const added = await addHire(
    db(),
    {
      employeeId,
      name: `Person ${employeeId}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: '2026-12-01',
      role,
    },
    { actor: { type: 'cli' }, at: new Date() },
  );
  assert.ok(added.ok);
  return added.hire.id;
}

async function register(userId: string | null, body: unknown, assertedAgoMs = 0) {
  const cookie = userId
    ? await staffSessionCookie(userId, { signedInAt: Date.now() - assertedAgoMs })
    : undefined;
  const response = await appsRoute(
    new Request(`${ORIGIN}/api/it/apps`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: ORIGIN,
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
  return {
    status: response.status,
    body: (await response.json()) as {
      client_id?: string;
      client_secret?: string | null;
      error?: { code: string };
    },
  };
}

describe('registering an app from the console', () => {
  test('IT registers a confidential app: the secret is in the answer once and stored only as its hash; others cannot', async () => {
    const it = await person('APP1', 'it');
    const manager = await person('APP2', 'manager');
    const wiki = {
      name: 'Wiki',
      redirectUris: ['https://wiki.example.com/cb'],
      homeUrl: 'https://wiki.example.com',
    };

    const registered = await register(it, wiki);
    assert.equal(registered.status, 200);
    assert.match(registered.body.client_secret ?? '', /^[A-Za-z0-9_-]{43}$/);
    const row = await db().oidcClient.findUniqueOrThrow({
      where: { id: registered.body.client_id! },
    });
    assert.equal(row.secretHash, hashSecret(registered.body.client_secret!));
    assert.ok(
      !JSON.stringify(await listOidcClients(db())).includes(registered.body.client_secret!),
    );

    assert.equal((await register(null, wiki)).status, 401);
    assert.equal((await register(manager, wiki)).status, 403);
    const stale = await register(it, wiki, FRESH_ASSERTION + 1_000);
    assert.deepEqual([stale.status, stale.body.error?.code], [403, 'stale_assertion']);
    const prefix = await register(it, {
      name: 'Bad',
      redirectUris: ['https://evil.example.com/cb#x'],
    });
    assert.equal(prefix.status, 400);
    assert.equal(await db().oidcClient.count(), 1);
  });
});
