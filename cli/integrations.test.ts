import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstkey } from './testing';

// The firstkey CLI: OIDC clients and SCIM tokens. Shared set-up in cli/testing.ts.

describe('firstkey CLI', () => {
  test('oidc client add: a confidential app gets its secret once, a public one none; bad redirect URIs are refused', async () => {
    const wiki = await firstkey(
      'oidc',
      'client',
      'add',
      '--name',
      'Wiki',
      '--redirect-uri',
      'https://wiki.example.com/cb',
      '--redirect-uri',
      'https://wiki.example.com/cb2',
    );
    assert.equal(wiki.code, 0, wiki.stderr);
    assert.match(String(wiki.json?.client_secret), /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      [wiki.json?.token_endpoint_auth_method, wiki.json?.redirect_uris],
      ['client_secret_basic', ['https://wiki.example.com/cb', 'https://wiki.example.com/cb2']],
    );
    const spa = await firstkey(
      'oidc',
      'client',
      'add',
      '--name',
      'SPA',
      '--redirect-uri',
      'http://localhost:5173/cb',
      '--public',
    );
    assert.equal(spa.code, 0, spa.stderr);
    assert.equal(spa.json?.client_secret, undefined);
    assert.equal(spa.json?.token_endpoint_auth_method, 'none');
    const refused = await firstkey(
      'oidc',
      'client',
      'add',
      '--name',
      'Bad',
      '--redirect-uri',
      'http://app.example.com/cb',
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /https/);
  });

  test('scim token create prints the token once; list shows no secret; revoke refuses it from then on', async () => {
    const created = await firstkey('scim', 'token', 'create', '--name', 'Okta');
    assert.equal(created.code, 0, created.stderr);
    const token = String(created.json?.token);
    assert.match(token, /^fkscim_[A-Za-z0-9_-]{43}$/);
    assert.match(String(created.json?.baseUrl), /\/scim\/v2$/);
    const listed = await firstkey('scim', 'token', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(!JSON.stringify(listed.json).includes(token));
    assert.ok(JSON.stringify(listed.json).includes(String(created.json?.id)));
    const revoked = await firstkey('scim', 'token', 'revoke', '--id', String(created.json?.id));
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.ok(revoked.json?.revokedAt);
    const again = await firstkey('scim', 'token', 'revoke', '--id', String(created.json?.id));
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already revoked/);
    assert.equal((await firstkey('scim', 'token', 'create')).code, 2);
  });
});
