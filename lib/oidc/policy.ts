// Every lifetime and fixed value of Firstkey's OpenID Connect provider, with its reason. The
// provider's configuration (lib/oidc/configuration.ts) and the tests read them from here.

/** Where the provider's own endpoints live; discovery stays at /.well-known/openid-configuration. */
export const OIDC_PREFIX = '/oidc';

/** Firstkey's passkey page that resolves a sign-in (app/(public)/oidc/interaction/[uid]). */
export function interactionPath(uid: string): string {
  return `${OIDC_PREFIX}/interaction/${uid}`;
}

/** Lifetimes in seconds, as oidc-provider takes them. */
export const OIDC_TTL = {
  /** RFC 6749 §4.1.2 recommends at most 10 minutes; a browser redirect needs seconds. */
  AuthorizationCode: 60,
  /**
   * Opaque and stored, so a leaver's token fails at userinfo and introspection at once; short all the
   * same because resource servers may cache an introspection answer.
   */
  AccessToken: 10 * 60,
  IdToken: 60 * 60,
  /** The passkey prompt of one sign-in; the WebAuthn challenge inside lives 5 minutes. */
  Interaction: 10 * 60,
  /** A working day: after it, an app's next sign-in asks for the passkey again. */
  Session: 12 * 60 * 60,
  /**
   * A refresh token rotates on every use (the used one dies), and lives 14 days unused; the grant
   * behind it caps the whole chain at 14 days, after which the person signs in with the passkey again.
   */
  RefreshToken: 14 * 24 * 60 * 60,
  Grant: 14 * 24 * 60 * 60,
} as const;

/**
 * Signing-key rotation (lib/oidc/keys.ts). A staged key is published this long before it signs:
 * relying parties cache the JWKS (a day is the longest common default). A retired key stays published
 * until every ID token it signed has expired (access tokens are opaque and need no key), with an
 * hour's margin for clock skew and caches.
 */
export const KEY_ROTATION = {
  publishBeforeSigning: 24 * 60 * 60_000,
  keepRetired: (OIDC_TTL.IdToken + 60 * 60) * 1000,
} as const;

/**
 * RFC 8176 values for a passkey sign-in: proof of possession of a key ("hwk" when the key cannot leave
 * the authenticator, "swk" for a synced passkey), the authenticator verified the person ("user"), and
 * that is two factors ("mfa": something you have, and a PIN or biometric). "phr" / "phrh" are the names
 * Okta's authorization API gives phishing-resistant and phishing-resistant hardware-protected sign-in (WebAuthn
 * binds every assertion to Firstkey's origin, so no look-alike site can replay it).
 */
export function passkeyAmr(passkey: { deviceType: string; backedUp: boolean }): string[] {
  return isHardwareBound(passkey)
    ? ['hwk', 'user', 'mfa', 'phr', 'phrh']
    : ['swk', 'user', 'mfa', 'phr'];
}

/** acr values relying parties can ask for with acr_values (the same names Okta uses). */
export const ACR = { phishingResistant: 'phr', phishingResistantHardware: 'phrh' } as const;

export function passkeyAcr(passkey: { deviceType: string; backedUp: boolean }): string {
  return isHardwareBound(passkey) ? ACR.phishingResistantHardware : ACR.phishingResistant;
}

/** A device-bound passkey (not backup-eligible, not backed up) never leaves its authenticator. */
function isHardwareBound(passkey: { deviceType: string; backedUp: boolean }): boolean {
  return passkey.deviceType === 'singleDevice' && !passkey.backedUp;
}

/** How often one process deletes expired provider rows (sessions, codes, tokens) at most. */
export const OIDC_CLEANUP_INTERVAL_MS = 60_000;
