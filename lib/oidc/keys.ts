import 'server-only';
import crypto from 'node:crypto';
import path from 'node:path';
import { type Db, writeTransaction } from '@/lib/db';
import { loadX509 } from '@/lib/devices/x509';
import { env } from '@/lib/env';
import { KEY_ROTATION } from '@/lib/oidc/policy';
import { seal, unseal } from '@/lib/webhooks/seal';

// The provider's signing keys: ES256 (the default for every client) and RS256 (for relying parties
// that only verify RSA), made once at setup and kept in the database so every app instance signs with
// the same keys. The private half is sealed with the data-at-rest key that also seals the outbox
// (FIRSTKEY_OUTBOX_KEY, or the data folder's secrets/outbox-key, mode 0600): a copy of the database
// alone cannot sign a token.

export const SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

type Jwk = crypto.JsonWebKey & { kid: string; alg: SigningAlg; use: 'sig'; x5c?: string[] };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

async function generate(alg: SigningAlg, at: Date): Promise<{ publicJwk: Jwk; privateJwk: Jwk }> {
  const { privateKey } =
    alg === 'ES256'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(12).toString('base64url');
  const privateJwk: Jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  // Some relying parties (older SAML-era IdPs, some Java stacks) only take RSA keys as certificates.
  if (alg === 'RS256') privateJwk.x5c = [await selfSignedCertificate(privateJwk, kid, at)];
  const publicJwk = { ...privateJwk };
  for (const member of PRIVATE_MEMBERS) delete publicJwk[member];
  return { publicJwk, privateJwk };
}

/** A self-signed certificate for an RSA signing key: base64 DER, as JWK `x5c` carries it (RFC 7517 §4.7). */
async function selfSignedCertificate(privateJwk: Jwk, kid: string, at: Date): Promise<string> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const publicMembers = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e };
  const keys = {
    privateKey: await crypto.webcrypto.subtle.importKey(
      'jwk',
      privateJwk as JsonWebKey,
      algorithm,
      false,
      ['sign'],
    ),
    publicKey: await crypto.webcrypto.subtle.importKey(
      'jwk',
      publicMembers as JsonWebKey,
      algorithm,
      true,
      ['verify'],
    ),
  };
  const x509 = await loadX509();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto
      .randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=Firstkey OpenID Connect signing key ${kid}`,
    notBefore: new Date(at.getTime() - 60 * 60_000),
    notAfter: new Date(at.getTime() + 5 * 365 * 24 * 60 * 60_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return Buffer.from(certificate.rawData).toString('base64');
}

/** Creates the signing key of each algorithm that has none in use. Idempotent; serialized by the write lock. */
export async function ensureSigningKeys(db: Db, at: Date): Promise<{ created: SigningAlg[] }> {
  return writeTransaction(db, async (tx) => {
    const created: SigningAlg[] = [];
    for (const alg of SIGNING_ALGS) {
      if (await tx.oidcSigningKey.count({ where: { alg, state: 'current' } })) continue;
      const { publicJwk, privateJwk } = await generate(alg, at);
      await tx.oidcSigningKey.create({
        data: {
          kid: publicJwk.kid,
          alg,
          publicJwk: JSON.stringify(publicJwk),
          privateJwk: seal(JSON.stringify(privateJwk)),
          createdAt: at,
        },
      });
      created.push(alg);
    }
    return { created };
  });
}

/**
 * The private JWKS the provider is configured with (it publishes only the public halves). Keys in
 * use come first, newest first, ES256 before RS256: oidc-provider signs with the first key that
 * fits the algorithm. Staged (`next`) and retired keys follow: published, so relying parties can
 * verify with them, never signing.
 */
export async function providerJwks(db: Db): Promise<{ keys: Jwk[] }> {
  const rows = await db.oidcSigningKey.findMany({ orderBy: [{ createdAt: 'desc' }] });
  const rank = (row: { alg: string; state: string }) =>
    (row.state === 'current' ? 0 : row.state === 'next' ? 2 : 4) + (row.alg === 'ES256' ? 0 : 1);
  const ordered = [...rows].sort((a, b) => rank(a) - rank(b));
  return { keys: ordered.map((row) => JSON.parse(unsealKey(row)) as Jwk) };
}

/** The private halves were sealed by another instance whose outbox key differs from ours. */
export class SigningKeySealError extends Error {
  override name = 'SigningKeySealError';
}

function unsealKey(row: { kid: string; privateJwk: string }): string {
  try {
    return unseal(row.privateJwk);
  } catch {
    throw new SigningKeySealError(
      `The OpenID Connect signing key ${row.kid} in the database was sealed with another outbox key than this process has (FIRSTKEY_OUTBOX_KEY, else ${path.join(env().dataDir, 'secrets', 'outbox-key')}). Every instance on one database needs the same FIRSTKEY_OUTBOX_KEY (README "Running several instances").`,
    );
  }
}

export type Rotation =
  | { ok: true; step: 'staged'; staged: string[]; promoteFrom: Date }
  | { ok: true; step: 'promoted'; signing: string[]; retired: string[]; removed: string[] }
  | { ok: false; reason: 'too_soon'; message: string; promoteFrom: Date };

/**
 * A safe rotation, in two runs of `firstkey oidc keys rotate` (lib/oidc/policy.ts KEY_ROTATION):
 *   1. stage: a new key per algorithm is published (after the instances restart) but does not sign;
 *   2. at least KEY_ROTATION.publishBeforeSigning later, promote: the staged keys sign, the old ones
 *      are retired — still published until every ID token they signed has expired, then removed.
 * So a relying party that caches the JWKS already holds a key before the first token it signs, and
 * keeps the old key as long as any token signed with it is valid.
 */
export async function rotateSigningKeys(db: Db, at: Date): Promise<Rotation> {
  return writeTransaction(db, async (tx) => {
    const removable = await tx.oidcSigningKey.findMany({
      where: {
        state: 'retired',
        retiredAt: { lte: new Date(at.getTime() - KEY_ROTATION.keepRetired) },
      },
      select: { kid: true },
    });
    await tx.oidcSigningKey.deleteMany({ where: { kid: { in: removable.map((key) => key.kid) } } });
    const staged = await tx.oidcSigningKey.findMany({
      where: { state: 'next' },
      orderBy: { createdAt: 'asc' },
    });
    if (staged.length === 0) {
      const kids: string[] = [];
      for (const alg of SIGNING_ALGS) {
        const { publicJwk, privateJwk } = await generate(alg, at);
        await tx.oidcSigningKey.create({
          data: {
            kid: publicJwk.kid,
            alg,
            state: 'next',
            publicJwk: JSON.stringify(publicJwk),
            privateJwk: seal(JSON.stringify(privateJwk)),
            createdAt: at,
          },
        });
        kids.push(publicJwk.kid);
      }
      return {
        ok: true as const,
        step: 'staged' as const,
        staged: kids,
        promoteFrom: new Date(at.getTime() + KEY_ROTATION.publishBeforeSigning),
      };
    }
    const promoteFrom = new Date(
      staged[0]!.createdAt.getTime() + KEY_ROTATION.publishBeforeSigning,
    );
    if (at < promoteFrom) {
      return {
        ok: false as const,
        reason: 'too_soon' as const,
        promoteFrom,
        message: `The staged keys were published at ${staged[0]!.createdAt.toISOString()}; promote them from ${promoteFrom.toISOString()}, once relying parties have fetched them (restart every instance first, so all of them publish the staged keys)`,
      };
    }
    const retiring = await tx.oidcSigningKey.findMany({
      where: { state: 'current', alg: { in: staged.map((key) => key.alg) } },
      select: { kid: true },
    });
    await tx.oidcSigningKey.updateMany({
      where: { kid: { in: retiring.map((key) => key.kid) } },
      data: { state: 'retired', retiredAt: at },
    });
    await tx.oidcSigningKey.updateMany({
      where: { kid: { in: staged.map((key) => key.kid) } },
      data: { state: 'current' },
    });
    return {
      ok: true as const,
      step: 'promoted' as const,
      signing: staged.map((key) => key.kid),
      retired: retiring.map((key) => key.kid),
      removed: removable.map((key) => key.kid),
    };
  });
}
