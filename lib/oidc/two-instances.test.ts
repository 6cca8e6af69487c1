import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV } from '@/lib/devices/front-door';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import { ensureSigningKeys } from '@/lib/oidc/keys';
import { createOidcProvider } from '@/lib/oidc/provider';
import { enrolledWithPasskey, redeemCode, signInForCode } from '@/lib/testing/oidc-flow';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

// Two provider instances that share nothing but the database (as two app instances would): a sign-in
// starts on one, the passkey finishes it on the other, the code is redeemed on the other again, and
// userinfo answers on the first. Real HTTP on loopback, a real passkey assertion, the real client secret.

process.env[FRONT_DOOR_KEY_ENV] ??= 'integration-test-front-door-key';
const rp = { rpId: 'localhost', origin: 'https://localhost:3443' };
const redirectUri = 'https://app.example.com/callback';
const servers: http.Server[] = [];
let a = '';
let b = '';
let client: { clientId: string; clientSecret: string };
let authenticator: SoftAuthenticator;

async function serve(): Promise<string> {
  const provider = await createOidcProvider(db(), {
    rp,
    proxy: false,
    cookieSecret: 'a shared secret of at least thirty-two characters',
  });
  const server = http.createServer(provider.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  await ensureSigningKeys(db(), new Date());
  const added = await addOidcClient(
    db(),
    OidcClientInput.parse({ name: 'Team Wiki', redirectUris: [redirectUri] }),
    { actor: { type: 'cli' }, at: new Date() },
  );
  client = { clientId: added.clientId, clientSecret: added.clientSecret! };
  authenticator = new SoftAuthenticator({ userVerification: true });
  await enrolledWithPasskey(
    { employeeId: 'TWO1', name: 'Ada Two', email: 'two1@example.com' },
    authenticator,
    rp,
  );
  [a, b] = [await serve(), await serve()];
});

after(() => {
  for (const server of servers) server.close();
});

describe('two provider instances on one database', () => {
  test('authorize on one, finish with the passkey and redeem the code on the other, userinfo on the first; a replay fails', async () => {
    const flowClient = { ...client, redirectUri };
    const { code, verifier } = await signInForCode(
      { start: a, finish: b },
      flowClient,
      authenticator,
      rp,
    );
    const redeem = () => redeemCode(b, flowClient, code, verifier);
    const tokens = await redeem();
    assert.equal(tokens.status, 200, await tokens.clone().text());
    const { access_token: accessToken } = (await tokens.json()) as { access_token: string };

    const userinfo = await fetch(`${a}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(userinfo.status, 200);
    assert.equal(((await userinfo.json()) as { name: string }).name, 'Ada Two');

    const replay = await redeem();
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
    // The replay revoked what the first redemption issued, on every instance.
    assert.equal(
      (await fetch(`${a}/oidc/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } }))
        .status,
      401,
    );
  });

  test('a wrong client secret is refused (only the hash is stored; the hash itself is no secret)', async () => {
    const stored = await db().oidcClient.findUniqueOrThrow({ where: { id: client.clientId } });
    for (const secret of ['wrong', stored.secretHash!]) {
      const response = await fetch(`${b}/oidc/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'x',
          redirect_uri: redirectUri,
          code_verifier: 'x'.repeat(43),
        }),
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    }
  });
});
