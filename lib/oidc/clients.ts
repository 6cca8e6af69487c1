import 'server-only';
import { z } from 'zod';
import type { AdapterPayload } from 'oidc-provider';
import { type Actor, actorLabel } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { type Db, writeTransaction } from '@/lib/db';
import { constantTimeEqual, hashSecret, newSecret } from '@/lib/crypto';

// Relying parties (the company's apps, the company's IdP) that IT registers. A confidential client
// gets a 256-bit secret shown once; only its SHA-256 is stored (a hash is enough for a random
// 256-bit value: nothing to brute-force). The provider compares through `clientSecretMatches`
// (its Client.prototype.compareClientSecret hook), never against a secret in clear — which is also
// why no symmetric algorithm (HS256, client_secret_jwt) is enabled: they would need the secret itself.

const CLIENT_ID_BYTES = 16;
const CLIENT_SECRET_BYTES = 32;

/** An exact redirect URI: https, or http on a loopback address (RFC 8252 §7.3); never a fragment. */
const RedirectUri = z
  .url({ error: 'Expected an absolute URL' })
  .refine(
    (value) => !value.includes('#'),
    'A redirect URI must not contain a fragment (RFC 6749 §3.1.2)',
  )
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    );
  }, 'Expected https:// (or http:// on localhost / 127.0.0.1 for development)');

/** A public signing key of a private_key_jwt client: EC or RSA, never a private member. */
const PublicJwk = z
  .object({ kty: z.enum(['EC', 'RSA']), kid: z.string().max(200).optional() })
  .catchall(z.unknown())
  .refine(
    (jwk) => !['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in jwk),
    'A JWKS for private_key_jwt holds public keys only; this one has a private member',
  );

export const OidcClientInput = z
  .object({
    name: z.string().trim().min(1, 'A name is required (people see it when they sign in)').max(100),
    redirectUris: z.array(RedirectUri).min(1, 'At least one --redirect-uri is required'),
    postLogoutRedirectUris: z.array(RedirectUri).default([]),
    public: z.boolean().default(false),
    homeUrl: z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL' }).optional(),
    /** The app's public keys: it authenticates with private_key_jwt (RFC 7523) instead of a secret. */
    jwks: z.object({ keys: z.array(PublicJwk).min(1).max(10) }).optional(),
  })
  .refine((input) => !(input.public && input.jwks), {
    path: ['jwks'],
    message: 'A public app has no credential; a private_key_jwt app is confidential: choose one',
  });
export type OidcClientInput = z.input<typeof OidcClientInput>;

export type AddedOidcClient = {
  clientId: string;
  clientSecret: string | null;
  name: string;
  tokenEndpointAuthMethod: 'client_secret_basic' | 'private_key_jwt' | 'none';
};

export async function addOidcClient(
  db: Db,
  input: z.output<typeof OidcClientInput>,
  context: { actor: Actor; at: Date },
): Promise<AddedOidcClient> {
  const clientId = newSecret(CLIENT_ID_BYTES);
  const clientSecret = input.public || input.jwks ? null : newSecret(CLIENT_SECRET_BYTES);
  await writeTransaction(db, async (tx) => {
    await tx.oidcClient.create({
      data: {
        id: clientId,
        name: input.name,
        secretHash: clientSecret ? hashSecret(clientSecret) : null,
        jwks: input.jwks ? JSON.stringify(input.jwks) : null,
        redirectUris: JSON.stringify(input.redirectUris),
        postLogoutRedirectUris: JSON.stringify(input.postLogoutRedirectUris),
        homeUrl: input.homeUrl ?? null,
        createdAt: context.at,
        createdBy: actorLabel(context.actor),
      },
    });
    await appendAudit(tx, {
      at: context.at,
      actor: context.actor,
      action: 'oidc_client_added',
      subject: { type: 'oidc_client', id: clientId },
      details: {
        name: input.name,
        public: input.public,
        redirectUris: input.redirectUris.join(' '),
      },
    });
  });
  return {
    clientId,
    clientSecret,
    name: input.name,
    tokenEndpointAuthMethod: clientSecret
      ? 'client_secret_basic'
      : input.jwks
        ? 'private_key_jwt'
        : 'none',
  };
}

export type RegisteredApp = {
  clientId: string;
  name: string;
  public: boolean;
  redirectUris: string[];
  homeUrl: string | null;
  createdAt: Date;
  disabled: boolean;
};

/** Every registered app, for the console (never the secret's hash). */
export async function listOidcClients(db: Db): Promise<RegisteredApp[]> {
  const rows = await db.oidcClient.findMany({ orderBy: { name: 'asc' } });
  return rows.map((row) => ({
    clientId: row.id,
    name: row.name,
    public: row.secretHash === null && row.jwks === null,
    redirectUris: JSON.parse(row.redirectUris) as string[],
    homeUrl: row.homeUrl,
    createdAt: row.createdAt,
    disabled: row.disabledAt !== null,
  }));
}

/**
 * The client as oidc-provider sees it. `client_secret` holds the stored hash: the provider requires
 * the property for client_secret_basic and only ever compares it through `clientSecretMatches`.
 */
export function clientMetadata(client: {
  id: string;
  name: string;
  secretHash: string | null;
  jwks: string | null;
  redirectUris: string;
  postLogoutRedirectUris: string;
  homeUrl: string | null;
}): AdapterPayload {
  return {
    client_id: client.id,
    client_name: client.name,
    ...(client.secretHash
      ? { client_secret: client.secretHash, token_endpoint_auth_method: 'client_secret_basic' }
      : client.jwks
        ? {
            jwks: JSON.parse(client.jwks) as { keys: object[] },
            token_endpoint_auth_method: 'private_key_jwt',
          }
        : { token_endpoint_auth_method: 'none' }),
    redirect_uris: JSON.parse(client.redirectUris) as string[],
    post_logout_redirect_uris: JSON.parse(client.postLogoutRedirectUris) as string[],
    ...(client.homeUrl ? { client_uri: client.homeUrl } : {}),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: 'ES256',
  };
}

/** Does the presented secret hash to the stored one? Constant time over equal-length digests. */
export function clientSecretMatches(storedHash: string | undefined, presented: string): boolean {
  return storedHash !== undefined && constantTimeEqual(hashSecret(presented), storedHash);
}
