import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { deleteExpiredOidcPayloads, prismaAdapter } from '@/lib/oidc/adapter';

// The provider's storage against the real database: what one app instance writes, another reads.
let clock = new Date('2026-12-01T09:00:00Z');
const adapterFor = prismaAdapter(db(), { now: () => clock });
const later = (seconds: number) => new Date(clock.getTime() + seconds * 1000);

describe('OIDC adapter (OidcPayload)', () => {
  test('upsert then find returns the payload; another adapter instance sees the same row', async () => {
    await adapterFor('AccessToken').upsert(
      'at-1',
      { jti: 'at-1', kind: 'AccessToken', accountId: 'sub-1', grantId: 'g-1' },
      600,
    );
    const found = await prismaAdapter(db(), { now: () => clock })('AccessToken').find('at-1');
    assert.deepEqual(found, {
      jti: 'at-1',
      kind: 'AccessToken',
      accountId: 'sub-1',
      grantId: 'g-1',
    });
    const row = await db().oidcPayload.findUniqueOrThrow({
      where: { model_id: { model: 'AccessToken', id: 'at-1' } },
    });
    assert.deepEqual(
      [row.accountId, row.grantId, row.expiresAt?.toISOString()],
      ['sub-1', 'g-1', later(600).toISOString()],
    );
  });

  test('models are kept apart: the same id under another model is not found', async () => {
    await adapterFor('AuthorizationCode').upsert(
      'same-id',
      { jti: 'same-id', kind: 'AuthorizationCode' },
      60,
    );
    assert.equal(await adapterFor('RefreshToken').find('same-id'), undefined);
  });

  test('an upsert replaces the payload of the same id', async () => {
    const sessions = adapterFor('Session');
    await sessions.upsert('s-1', { jti: 's-1', uid: 'uid-1', kind: 'Session' }, 3600);
    await sessions.upsert(
      's-1',
      { jti: 's-1', uid: 'uid-1', kind: 'Session', accountId: 'sub-2' },
      3600,
    );
    assert.equal((await sessions.find('s-1'))?.accountId, 'sub-2');
  });

  test('a session is found by its uid', async () => {
    await adapterFor('Session').upsert('s-2', { jti: 's-2', uid: 'uid-2', kind: 'Session' }, 3600);
    assert.equal((await adapterFor('Session').findByUid('uid-2'))?.jti, 's-2');
    assert.equal(await adapterFor('Session').findByUid('uid-unknown'), undefined);
  });

  test('consume marks a code used; a second consume (a replay, or another instance racing) fails and revokes the grant', async () => {
    const codes = adapterFor('AuthorizationCode');
    await codes.upsert('code-1', { jti: 'code-1', kind: 'AuthorizationCode', grantId: 'g-2' }, 60);
    await adapterFor('AccessToken').upsert(
      'at-2',
      { jti: 'at-2', kind: 'AccessToken', grantId: 'g-2' },
      600,
    );
    await adapterFor('Grant').upsert('g-2', { jti: 'g-2', kind: 'Grant' }, 3600);
    await codes.consume('code-1');
    assert.equal((await codes.find('code-1'))?.consumed, Math.floor(clock.getTime() / 1000));
    await assert.rejects(
      codes.consume('code-1'),
      (error: { error?: string; error_detail?: string }) =>
        error.error === 'invalid_grant' && /already used/.test(error.error_detail ?? ''),
    );
    assert.equal(await adapterFor('AccessToken').find('at-2'), undefined);
    assert.equal(await adapterFor('Grant').find('g-2'), undefined);
  });

  test('destroy removes one row', async () => {
    await adapterFor('Interaction').upsert('i-1', { jti: 'i-1', kind: 'Interaction' }, 600);
    await adapterFor('Interaction').destroy('i-1');
    assert.equal(await adapterFor('Interaction').find('i-1'), undefined);
  });

  test('revokeByGrantId removes every token of the grant and the grant, and nothing else', async () => {
    await adapterFor('Grant').upsert(
      'g-3',
      { jti: 'g-3', kind: 'Grant', accountId: 'sub-3' },
      3600,
    );
    await adapterFor('RefreshToken').upsert(
      'rt-3',
      { jti: 'rt-3', kind: 'RefreshToken', grantId: 'g-3' },
      3600,
    );
    await adapterFor('AccessToken').upsert(
      'at-3',
      { jti: 'at-3', kind: 'AccessToken', grantId: 'g-3' },
      600,
    );
    await adapterFor('AccessToken').upsert(
      'at-4',
      { jti: 'at-4', kind: 'AccessToken', grantId: 'g-4' },
      600,
    );
    await adapterFor('RefreshToken').revokeByGrantId('g-3');
    assert.equal(await adapterFor('RefreshToken').find('rt-3'), undefined);
    assert.equal(await adapterFor('AccessToken').find('at-3'), undefined);
    assert.equal(await adapterFor('Grant').find('g-3'), undefined);
    assert.ok(await adapterFor('AccessToken').find('at-4'));
  });

  test('an expired row is never returned, and the cleanup deletes it', async () => {
    await adapterFor('AuthorizationCode').upsert(
      'code-old',
      { jti: 'code-old', kind: 'AuthorizationCode' },
      60,
    );
    clock = later(61);
    assert.equal(await adapterFor('AuthorizationCode').find('code-old'), undefined);
    assert.ok((await deleteExpiredOidcPayloads(db(), clock)) >= 1);
    assert.equal(await db().oidcPayload.count({ where: { id: 'code-old' } }), 0);
  });

  test('a finished interaction is tied to the person it signed in (for ending their sign-ins in flight)', async () => {
    await adapterFor('Interaction').upsert(
      'i-2',
      { jti: 'i-2', kind: 'Interaction', result: { login: { accountId: 'sub-9' } } } as never,
      600,
    );
    const row = await db().oidcPayload.findUniqueOrThrow({
      where: { model_id: { model: 'Interaction', id: 'i-2' } },
    });
    assert.equal(row.accountId, 'sub-9');
  });

  test('clients cannot be written through the provider', async () => {
    await assert.rejects(
      adapterFor('Client').upsert('c', { client_id: 'c' }, 0),
      /registered by IT/,
    );
    assert.equal(await adapterFor('Client').find('no-such-client'), undefined);
  });
});
