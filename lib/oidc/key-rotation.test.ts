import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { db } from '@/lib/db';
import { FRONT_DOOR_KEY_ENV } from '@/lib/devices/front-door';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import { ensureSigningKeys, providerJwks, rotateSigningKeys } from '@/lib/oidc/keys';
import { KEY_ROTATION } from '@/lib/oidc/policy';
import { createOidcProvider } from '@/lib/oidc/provider';
import {
  enrolledWithPasskey,
  redeemCode,
  signInForCode,
  type FlowClient,
} from '@/lib/testing/oidc-flow';
import { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

// Rotating the signing keys as an operator would (`firstkey oidc keys rotate` twice, instances
// restarted after each run), with real ID tokens from real provider instances, verified the way a
// relying party does: against the kid in the token's header, in the JWKS the provider publishes.

process.env[FRONT_DOOR_KEY_ENV] ??= 'integration-test-front-door-key';
const rp = { rpId: 'localhost', origin: 'https://localhost:3443' };
const servers: http.Server[] = [];
let client: FlowClient;
const authenticator = new SoftAuthenticator({ userVerification: true });

/** A fresh instance: it loads the keys as they are now in the database. */
async function instance(): Promise<string> {
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

async function idToken(host: string): Promise<string> {
  const { code, verifier } = await signInForCode(
    { start: host, finish: host },
    client,
    authenticator,
    rp,
  );
  const tokens = await redeemCode(host, client, code, verifier);
  assert.equal(tokens.status, 200, await tokens.clone().text());
  return ((await tokens.json()) as { id_token: string }).id_token;
}

const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

/** Verifies an ES256 ID token as a relying party would: the published key with the header's kid. */
async function verifiesAgainst(host: string, token: string): Promise<boolean> {
  const { keys } = (await (await fetch(`${host}/oidc/jwks`)).json()) as {
    keys: (crypto.JsonWebKey & { kid: string })[];
  };
  const jwk = keys.find((key) => key.kid === kidOf(token));
  if (!jwk) return false;
  const [header, payload, signature] = token.split('.');
  return crypto.verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: crypto.createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature!, 'base64url'),
  );
}

before(async () => {
  await ensureSigningKeys(db(), new Date());
  const added = await addOidcClient(
    db(),
    OidcClientInput.parse({ name: 'Wiki', redirectUris: ['https://wiki.example.com/cb'] }),
    { actor: { type: 'cli' }, at: new Date() },
  );
  client = {
    clientId: added.clientId,
    clientSecret: added.clientSecret!,
    redirectUri: 'https://wiki.example.com/cb',
  };
  await enrolledWithPasskey(
    { employeeId: 'ROT1', name: 'Rota Tion', email: 'rot1@example.com' },
    authenticator,
    rp,
  );
});

after(() => {
  for (const server of servers) server.close();
});

describe('rotating the signing keys', () => {
  test('stage, wait, promote: the new key is published before it signs, and tokens of the old key verify until they expire', async () => {
    const t0 = new Date();
    const before = await idToken(await instance());
    const oldKid = kidOf(before);

    const staged = await rotateSigningKeys(db(), t0);
    assert.equal(staged.ok && staged.step, 'staged');
    const stagedKids = staged.ok && staged.step === 'staged' ? staged.staged : [];
    // Published (after a restart) but not signing: the same old key still signs.
    const afterStaging = await instance();
    const published = (
      (await (await fetch(`${afterStaging}/oidc/jwks`)).json()) as { keys: { kid: string }[] }
    ).keys.map((key) => key.kid);
    for (const kid of [oldKid, ...stagedKids])
      assert.ok(published.includes(kid), `${kid} published`);
    const rsa = (
      (await (await fetch(`${afterStaging}/oidc/jwks`)).json()) as {
        keys: { kty: string; x5c?: string[]; d?: string }[];
      }
    ).keys.filter((key) => key.kty === 'RSA');
    assert.ok(
      rsa.length > 0 && rsa.every((key) => key.x5c?.length === 1 && key.d === undefined),
      'RSA keys are published with x5c, never with a private member',
    );
    assert.equal(kidOf(await idToken(afterStaging)), oldKid);

    const early = await rotateSigningKeys(
      db(),
      new Date(t0.getTime() + KEY_ROTATION.publishBeforeSigning - 60_000),
    );
    assert.deepEqual([early.ok, early.ok ? null : early.reason], [false, 'too_soon']);

    const promotedAt = new Date(t0.getTime() + KEY_ROTATION.publishBeforeSigning);
    const promoted = await rotateSigningKeys(db(), promotedAt);
    assert.equal(promoted.ok && promoted.step, 'promoted');
    const afterPromotion = await instance();
    const fresh = await idToken(afterPromotion);
    assert.ok(stagedKids.includes(kidOf(fresh)), 'new tokens are signed with the staged key');
    assert.ok(await verifiesAgainst(afterPromotion, fresh));
    assert.ok(
      await verifiesAgainst(afterPromotion, before),
      'a token signed before the rotation still verifies',
    );
    assert.equal((await providerJwks(db())).keys[0]!.kid, kidOf(fresh));

    // Once every token the old key signed has expired, the next run removes it.
    const later = await rotateSigningKeys(
      db(),
      new Date(promotedAt.getTime() + KEY_ROTATION.keepRetired),
    );
    assert.ok(later.ok && later.step === 'staged');
    assert.ok(!(await verifiesAgainst(await instance(), before)), 'the retired key is gone');
    assert.equal(await db().oidcSigningKey.count({ where: { kid: oldKid } }), 0);
  });
});
