import 'server-only';
import crypto from 'node:crypto';
import Provider, {
  interactionPolicy,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { appendAudit } from '@/lib/audit/append';
import { type Db, writeTransaction } from '@/lib/db';
import type { RelyingParty } from '@/lib/passkeys/relying-party';
import { findAccount } from '@/lib/oidc/account';
import { prismaAdapter } from '@/lib/oidc/adapter';
import { clientSecretMatches } from '@/lib/oidc/clients';
import { securityHeaders } from '@/lib/http/security-headers';
import { errorPage } from '@/lib/oidc/error-page';
import { firstPartyGrant } from '@/lib/oidc/grants';
import { passkeyInteractionRoute, requestContextOf } from '@/lib/oidc/interaction-route';
import { providerJwks, SIGNING_ALGS } from '@/lib/oidc/keys';
import { ACR, interactionPath, OIDC_PREFIX, OIDC_TTL } from '@/lib/oidc/policy';

// Firstkey as an OpenID Connect provider, with panva's certified oidc-provider doing all of OAuth:
// authorization code flow only, PKCE (S256) for every client, exact redirect URIs, rotating refresh
// tokens, prompt=login and max_age honoured. Firstkey supplies the storage (its database), the keys,
// the clients IT registered, the people, and the sign-in: the passkey page.

export type OidcProviderOptions = {
  /** FIRSTKEY_ORIGIN: the issuer, and the WebAuthn origin of the passkey page. */
  rp: RelyingParty;
  /** Trust X-Forwarded-Proto/-For: only behind the TLS-terminating proxy (FIRSTKEY_DEVICE_CERT_MODE=proxy). */
  proxy: boolean;
  /** Signs the provider's cookies; the same on every instance. */
  cookieSecret: string;
};

const { Check, base } = interactionPolicy;

function signInPolicy() {
  const policy = base();
  // A session whose person can no longer sign in (left, or never finished) asks for the passkey again,
  // where they are refused; prompt=none gets login_required.
  policy
    .get('login')!
    .checks.add(
      new Check('account_unavailable', 'the signed-in person can no longer sign in', (ctx) =>
        ctx.oidc.session?.accountId && !ctx.oidc.account
          ? Check.REQUEST_PROMPT
          : Check.NO_NEED_TO_PROMPT,
      ),
    );
  return policy;
}

export async function createOidcProvider(db: Db, options: OidcProviderOptions): Promise<Provider> {
  const cookieKey = Buffer.from(
    crypto.hkdfSync('sha256', options.cookieSecret, '', 'firstkey oidc-provider cookies', 32),
  ).toString('base64url');
  const configuration: Configuration = {
    adapter: prismaAdapter(db),
    jwks: await providerJwks(db),
    findAccount: (_ctx, sub) => findAccount(db, sub),
    async loadExistingGrant(ctx) {
      const { session, client } = ctx.oidc;
      const accountId = session?.accountId;
      if (!session || !accountId || !client) return undefined;
      return firstPartyGrant(ctx.oidc.provider, {
        accountId,
        clientId: client.clientId,
        requestedScope: ctx.oidc.params?.scope as string | undefined,
        existingGrantId: ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId),
      });
    },
    // How the person signed in (acr, amr, auth_time) rides on the openid scope: in every ID token, so
    // an app — or the company's IdP, with Okta's claims sharing — can insist on a phishing-resistant sign-in.
    claims: {
      sid: null,
      iss: null,
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'employee_id'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    acrValues: [ACR.phishingResistantHardware, ACR.phishingResistant],
    subjectTypes: ['public'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    // No symmetric algorithm anywhere: client secrets are stored as hashes (lib/oidc/clients.ts).
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: [...SIGNING_ALGS],
      userinfoSigningAlgValues: [...SIGNING_ALGS],
      introspectionSigningAlgValues: [...SIGNING_ALGS],
      authorizationSigningAlgValues: [...SIGNING_ALGS],
      requestObjectSigningAlgValues: [...SIGNING_ALGS],
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
    },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    // Browser apps may call the token and userinfo endpoints from the origins they registered only.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: { ...OIDC_TTL },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
    },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/userinfo`,
      jwks: `${OIDC_PREFIX}/jwks`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      end_session: `${OIDC_PREFIX}/session/end`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
    },
    interactions: {
      url: (_ctx, interaction) => interactionPath(interaction.uid),
      policy: signInPolicy(),
    },
    cookies: {
      keys: [cookieKey],
      names: {
        session: 'firstkey_oidc_session',
        interaction: 'firstkey_oidc_interaction',
        resume: 'firstkey_oidc_resume',
      },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  };

  const provider = new Provider(options.rp.origin, configuration);
  provider.proxy = options.proxy;
  // The supported hook for hashed client secrets (node-oidc-provider#631): compare the presented
  // secret's hash with the stored hash, never a secret in clear.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    actual: string,
  ) {
    return clientSecretMatches(this.clientSecret, actual);
  };
  provider.use(portalHeaders());
  provider.use(passkeyInteractionRoute(provider, db, options.rp));
  provider.use(auditSignIns(db));
  return provider;
}

/**
 * The portal's security headers on the provider's answers too — except its Content-Security-Policy:
 * the provider's own pages (form_post, logout) run inline scripts; its error page brings its own policy.
 */
function portalHeaders() {
  const headers = Object.entries(securityHeaders('')).filter(
    ([name]) => name !== 'content-security-policy',
  );
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
    await next();
    for (const [name, value] of headers) ctx.set(name, value);
  };
}

/** Every code issued to an app is a sign-in: audited (client, person, amr/acr) before the browser gets it. */
function auditSignIns(db: Db) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
    await next();
    // The authorization endpoint issues codes (the token endpoint only redeems them).
    if (ctx.oidc?.route !== 'authorization' && ctx.oidc?.route !== 'resume') return;
    const code = ctx.oidc.entities.AuthorizationCode;
    const clientId = code?.clientId;
    if (!code || !clientId) return;
    const user = code.accountId
      ? await db.user.findUnique({ where: { oidcSubject: code.accountId }, select: { id: true } })
      : null;
    await writeTransaction(db, (tx) =>
      appendAudit(tx, {
        at: new Date(),
        actor: user ? { type: 'user', id: user.id } : { type: 'anonymous' },
        action: 'oidc_sign_in',
        subject: { type: 'oidc_client', id: clientId },
        userId: user?.id,
        request: requestContextOf(ctx.req),
        details: {
          client: clientId,
          acr: code.acr ?? null,
          amr: code.amr?.join(' ') ?? null,
          withPasskeyNow: ctx.oidc.route === 'resume',
        },
      }),
    );
  };
}
