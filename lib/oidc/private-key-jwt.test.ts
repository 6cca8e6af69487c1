import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV } from '@/lib/devices/front-door';
import { env } from '@/lib/env';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import { ensureSigningKeys } from '@/lib/oidc/keys';
import { createOidcProvider } from '@/lib/oidc/provider';
import { enrolledWithPasskey, signInForCode, type FlowClient } from '@/lib/testing/oidc-flow';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

// An app that proves itself with its own key (private_key_jwt, RFC 7523 §2.2) instead of a secret:
// Firstkey stores only its public JWKS; the token endpoint takes a JWT the app signed.

process.env[FRONT_DOOR_KEY_ENV] ??= 'integration-test-front-door-key';
const rp = { rpId: 'localhost', origin: 'https://localhost:3443' };
const redirectUri = 'https://erp.example.com/cb';
const appKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const authenticator = new SoftAuthenticator({ userVerification: true });
let host = '';
let server: http.Server;
let client: FlowClient;

/** The client assertion the app signs: ES256 over its header and claims (raw r‖s signature). */
function clientAssertion(clientId: string, key: crypto.KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const signed = `${encode({ alg: 'ES256', typ: 'JWT', kid: 'erp-1' })}.${encode({ iss: clientId, sub: clientId, aud: env().origin, jti: crypto.randomUUID(), iat: now, exp: now + 60 })}`;
  const signature = crypto.sign('sha256', Buffer.from(signed), { key, dsaEncoding: 'ieee-p1363' });
  return `${signed}.${signature.toString('base64url')}`;
}

function redeemWithAssertion(code: string, verifier: string, assertion: string) {
  return fetch(`${host}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: client.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
}

before(async () => {
  await ensureSigningKeys(db(), new Date());
  const jwk = {
    ...appKey.publicKey.export({ format: 'jwk' }),
    kid: 'erp-1',
    use: 'sig',
    alg: 'ES256',
  };
  const added = await addOidcClient(
    db(),
    OidcClientInput.parse({ name: 'ERP', redirectUris: [redirectUri], jwks: { keys: [jwk] } }),
    {
      actor: { type: 'cli' },
      at: new Date(),
    },
  );
  assert.deepEqual([added.clientSecret, added.tokenEndpointAuthMethod], [null, 'private_key_jwt']);
  client = { clientId: added.clientId, clientSecret: '', redirectUri };
  await enrolledWithPasskey(
    { employeeId: 'PKJ1', name: 'Kim Key', email: 'pkj1@example.com' },
    authenticator,
    rp,
  );
  const provider = await createOidcProvider(db(), {
    rp,
    proxy: false,
    cookieSecret: 'a shared secret of at least thirty-two characters',
  });
  server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

describe('private_key_jwt clients', () => {
  test('an app that signs its client assertion with its registered key gets tokens; another key, or none, gets invalid_client', async () => {
    const stranger = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const first = await signInForCode({ start: host, finish: host }, client, authenticator, rp);
    const forged = await redeemWithAssertion(
      first.code,
      first.verifier,
      clientAssertion(client.clientId, stranger),
    );
    assert.deepEqual(
      [forged.status, ((await forged.json()) as { error: string }).error],
      [401, 'invalid_client'],
    );
    const bare = await fetch(`${host}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: first.code,
        redirect_uri: redirectUri,
        code_verifier: first.verifier,
        client_id: client.clientId,
      }),
    });
    assert.equal(bare.status, 401);

    const second = await signInForCode({ start: host, finish: host }, client, authenticator, rp);
    const tokens = await redeemWithAssertion(
      second.code,
      second.verifier,
      clientAssertion(client.clientId, appKey.privateKey),
    );
    assert.equal(tokens.status, 200, await tokens.clone().text());
    assert.ok(((await tokens.json()) as { id_token?: string }).id_token);
  });

  test('a JWKS with a private member is refused at registration, as is one on a public app', () => {
    const leaked = appKey.privateKey.export({ format: 'jwk' });
    assert.equal(
      OidcClientInput.safeParse({
        name: 'Leaky',
        redirectUris: [redirectUri],
        jwks: { keys: [leaked] },
      }).success,
      false,
    );
    const publicJwk = appKey.publicKey.export({ format: 'jwk' });
    assert.equal(
      OidcClientInput.safeParse({
        name: 'Both',
        redirectUris: [redirectUri],
        public: true,
        jwks: { keys: [publicJwk] },
      }).success,
      false,
    );
  });
});
