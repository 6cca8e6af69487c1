import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { POST as optionsRoute } from '@/app/api/account/passkeys/options/route';
import { POST as removeRoute } from '@/app/api/account/passkeys/[passkeyId]/remove/route';
import { POST as verifyRoute } from '@/app/api/account/passkeys/verify/route';
import { db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV } from '@/lib/devices/front-door';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import { ensureSigningKeys } from '@/lib/oidc/keys';
import { createOidcProvider } from '@/lib/oidc/provider';
import {
  enrolledWithPasskey,
  redeemCode,
  signInForCode,
  type FlowClient,
} from '@/lib/testing/oidc-flow';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';
import { staffSessionCookie } from '@/lib/testing/staff-session';

// The backup passkey a person adds on /account opens the same apps as their day-one passkey, and the
// one they remove stops opening them: /account's route handlers, then the provider over HTTP.

process.env[FRONT_DOOR_KEY_ENV] ??= 'integration-test-front-door-key';
const rp = { rpId: 'localhost', origin: 'https://localhost:3443' };
let host = '';
let server: http.Server;
let client: FlowClient;

const post = (path: string, cookie: string, body: unknown) =>
  new Request(`${rp.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: rp.origin, cookie },
    body: JSON.stringify(body),
  });

before(async () => {
  await ensureSigningKeys(db(), new Date());
  const added = await addOidcClient(
    db(),
    OidcClientInput.parse({ name: 'Mail', redirectUris: ['https://mail.example.com/cb'] }),
    {
      actor: { type: 'cli' },
      at: new Date(),
    },
  );
  client = {
    clientId: added.clientId,
    clientSecret: added.clientSecret!,
    redirectUri: 'https://mail.example.com/cb',
  };
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

describe('a backup passkey and the apps', () => {
  test('a backup added on /account signs in to an app; the removed day-one passkey no longer does', async () => {
    const dayOne = new SoftAuthenticator({ userVerification: true });
    const backup = new SoftAuthenticator({ userVerification: true });
    const userId = await enrolledWithPasskey(
      { employeeId: 'BK1', name: 'Bea Backup', email: 'bk1@example.com' },
      dayOne,
      rp,
    );

    const cookie = await staffSessionCookie(userId);
    const creation = (await (
      await optionsRoute(post('/api/account/passkeys/options', cookie, {}))
    ).json()) as PublicKeyCredentialCreationOptionsJSON;
    const verified = await verifyRoute(
      post('/api/account/passkeys/verify', cookie, {
        response: backup.register(creation, rp.origin),
      }),
    );
    assert.equal(verified.status, 200, await verified.clone().text());

    const withBackup = await signInForCode({ start: host, finish: host }, client, backup, rp);
    assert.equal(
      (await redeemCode(host, client, withBackup.code, withBackup.verifier)).status,
      200,
    );

    const first = await db().passkey.findFirstOrThrow({
      where: { userId },
      orderBy: { createdAt: 'asc' },
    });
    const removed = await removeRoute(
      post(`/api/account/passkeys/${first.id}/remove`, cookie, {}),
      { params: Promise.resolve({ passkeyId: first.id }) },
    );
    assert.equal(removed.status, 200, await removed.clone().text());
    await assert.rejects(
      signInForCode({ start: host, finish: host }, client, dayOne, rp),
      /Interaction refused: 4\d\d/,
    );
    const again = await signInForCode({ start: host, finish: host }, client, backup, rp);
    assert.equal((await redeemCode(host, client, again.code, again.verifier)).status, 200);
  });
});
