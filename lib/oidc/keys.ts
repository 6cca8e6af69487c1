import 'server-only';
import crypto from 'node:crypto';
import { type Db, writeTransaction } from '@/lib/db';
import { seal, unseal } from '@/lib/webhooks/seal';

// The provider's signing keys: ES256 (the default for every client) and RS256 (for relying parties
// that only verify RSA), made once at setup and kept in the database so every app instance signs with
// the same keys. The private half is sealed with the data-at-rest key that also seals the outbox
// (FIRSTKEY_OUTBOX_KEY, or the data folder's secrets/outbox-key, mode 0600): a copy of the database
// alone cannot sign a token.

export const SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

type Jwk = crypto.JsonWebKey & { kid: string; alg: SigningAlg; use: 'sig' };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function generate(alg: SigningAlg): { publicJwk: Jwk; privateJwk: Jwk } {
  const { privateKey } =
    alg === 'ES256'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(12).toString('base64url');
  const privateJwk: Jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  const publicJwk = { ...privateJwk };
  for (const member of PRIVATE_MEMBERS) delete publicJwk[member];
  return { publicJwk, privateJwk };
}

/** Creates the signing key of each algorithm that has none in use. Idempotent; serialized by the write lock. */
export async function ensureSigningKeys(db: Db, at: Date): Promise<{ created: SigningAlg[] }> {
  return writeTransaction(db, async (tx) => {
    const created: SigningAlg[] = [];
    for (const alg of SIGNING_ALGS) {
      if (await tx.oidcSigningKey.count({ where: { alg, retiredAt: null } })) continue;
      const { publicJwk, privateJwk } = generate(alg);
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
 * fits the algorithm; retired keys stay after them, published for verification only.
 */
export async function providerJwks(db: Db): Promise<{ keys: Jwk[] }> {
  const rows = await db.oidcSigningKey.findMany({ orderBy: [{ createdAt: 'desc' }] });
  const rank = (row: { alg: string; retiredAt: Date | null }) =>
    (row.retiredAt ? 2 : 0) + (row.alg === 'ES256' ? 0 : 1);
  const ordered = [...rows].sort((a, b) => rank(a) - rank(b));
  return { keys: ordered.map((row) => JSON.parse(unseal(row.privateJwk)) as Jwk) };
}
