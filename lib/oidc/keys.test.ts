import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { db } from '@/lib/db';
import { ensureSigningKeys, providerJwks } from '@/lib/oidc/keys';

describe('OIDC signing keys', () => {
  test('setup makes one ES256 and one RS256 key, once; the private halves are sealed at rest', async () => {
    const at = new Date();
    assert.deepEqual((await ensureSigningKeys(db(), at)).created, ['ES256', 'RS256']);
    assert.deepEqual((await ensureSigningKeys(db(), at)).created, []);
    const rows = await db().oidcSigningKey.findMany();
    assert.equal(rows.length, 2);
    for (const row of rows) {
      const published = JSON.parse(row.publicJwk) as Record<string, unknown>;
      assert.equal(published.d, undefined, 'no private member in the public JWK');
      assert.ok(!row.privateJwk.includes('"d"'), 'the private JWK is not stored in clear');
    }
  });

  test('the provider gets ES256 first (it signs with the first key of an algorithm), and the keys sign and verify', async () => {
    const { keys } = await providerJwks(db());
    assert.deepEqual(
      keys.map((key) => key.alg),
      ['ES256', 'RS256'],
    );
    for (const jwk of keys) {
      const privateKey = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
      const signature = crypto.sign('sha256', Buffer.from('firstkey'), privateKey);
      assert.ok(
        crypto.verify(
          'sha256',
          Buffer.from('firstkey'),
          crypto.createPublicKey(privateKey),
          signature,
        ),
      );
    }
  });

  test('the RS256 key is also published as a certificate (x5c) whose public key is the JWK itself', async () => {
    const rsa = (await providerJwks(db())).keys.find((key) => key.alg === 'RS256')!;
    assert.equal(rsa.x5c?.length, 1);
    const certificate = new crypto.X509Certificate(Buffer.from(rsa.x5c![0]!, 'base64'));
    const fromCertificate = certificate.publicKey.export({ format: 'jwk' });
    assert.deepEqual([fromCertificate.n, fromCertificate.e], [rsa.n, rsa.e]);
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed by that key');
    assert.equal(
      (await providerJwks(db())).keys.find((key) => key.alg === 'ES256')!.x5c,
      undefined,
    );
  });

  test('a key sealed under another outbox key is refused with what to do, not a bare decryption error', async () => {
    const [row] = await db().oidcSigningKey.findMany({ where: { alg: 'ES256' } });
    const foreignKey = crypto.randomBytes(32);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', foreignKey, iv);
    const body = Buffer.concat([cipher.update('{"kty":"EC"}', 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    await db().oidcSigningKey.update({
      where: { kid: row!.kid },
      data: { privateJwk: sealed },
    });
    await assert.rejects(
      providerJwks(db()),
      new RegExp(
        `^SigningKeySealError: The OpenID Connect signing key ${row!.kid} in the database was sealed with another outbox key than this process has .*Every instance on one database needs the same FIRSTKEY_OUTBOX_KEY`,
      ),
    );
  });
});
