import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { hashSecret } from '@/lib/crypto';
import {
  addOidcClient,
  clientMetadata,
  clientSecretMatches,
  OidcClientInput,
} from '@/lib/oidc/clients';

const at = new Date('2026-12-01T09:00:00Z');

describe('OIDC clients', () => {
  test('a confidential client gets a secret once; only its SHA-256 is stored, and it matches only itself', async () => {
    const added = await addOidcClient(
      db(),
      OidcClientInput.parse({ name: 'Wiki', redirectUris: ['https://wiki.example.com/cb'] }),
      { actor: { type: 'cli' }, at },
    );
    assert.equal(added.tokenEndpointAuthMethod, 'client_secret_basic');
    assert.match(added.clientSecret!, /^[A-Za-z0-9_-]{43}$/);
    const row = await db().oidcClient.findUniqueOrThrow({ where: { id: added.clientId } });
    assert.equal(row.secretHash, hashSecret(added.clientSecret!));
    assert.ok(!JSON.stringify(row).includes(added.clientSecret!));
    assert.equal(clientSecretMatches(row.secretHash!, added.clientSecret!), true);
    assert.equal(clientSecretMatches(row.secretHash!, `${added.clientSecret!}x`), false);
    assert.equal(
      clientSecretMatches(row.secretHash!, row.secretHash!),
      false,
      'the stored hash is not itself a secret',
    );
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'oidc_client_added', subjectId: added.clientId },
    });
    assert.ok(!audit.details.includes(added.clientSecret!));
  });

  test('a public client has no secret and authenticates with none (PKCE)', async () => {
    const added = await addOidcClient(
      db(),
      OidcClientInput.parse({
        name: 'SPA',
        redirectUris: ['http://127.0.0.1:8080/cb'],
        public: true,
      }),
      { actor: { type: 'cli' }, at },
    );
    assert.equal(added.clientSecret, null);
    const metadata = clientMetadata(
      await db().oidcClient.findUniqueOrThrow({ where: { id: added.clientId } }),
    );
    assert.equal(metadata.token_endpoint_auth_method, 'none');
    assert.equal(metadata.client_secret, undefined);
  });

  test('redirect URIs are exact https URLs (http only on loopback), never with a fragment', () => {
    const parse = (uri: string) =>
      OidcClientInput.safeParse({ name: 'x', redirectUris: [uri] }).success;
    assert.equal(parse('https://app.example.com/callback'), true);
    assert.equal(parse('http://localhost:3000/cb'), true);
    assert.equal(parse('http://app.example.com/cb'), false);
    assert.equal(parse('https://app.example.com/cb#frag'), false);
    assert.equal(parse('/relative/cb'), false);
    assert.equal(OidcClientInput.safeParse({ name: 'x', redirectUris: [] }).success, false);
  });
});
