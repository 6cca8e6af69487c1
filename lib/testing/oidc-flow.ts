// A relying party's side of the authorization-code flow, driven over HTTP against the provider's own
// callback (no browser): start at /oidc/auth, finish the interaction with a real passkey assertion
// from the software authenticator, follow the resume, redeem the code with PKCE. Tests and the bench
// use it; the e2e suite does the same in Chromium with an independent relying party.
import crypto from 'node:crypto';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { db } from '@/lib/db';
import { addHire } from '@/lib/hires/add-hire';
import { passkeyAuthenticationOptions } from '@/lib/passkeys/authentication';
import type { RelyingParty } from '@/lib/passkeys/relying-party';
import type { SoftAuthenticator } from '@/lib/testing/soft-authenticator';

/** A browser's cookie jar, enough for the provider's cookies on one host. */
export class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(name!, value ?? '');
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export type FlowClient = { clientId: string; clientSecret: string; redirectUri: string };

/**
 * Authorization request on `start`, passkey on `finish`, resume on `start` again (they may be two
 * instances). Returns the code and its PKCE verifier, or throws with what the provider answered.
 */
export async function signInForCode(
  hosts: { start: string; finish: string },
  client: FlowClient,
  authenticator: SoftAuthenticator,
  rp: RelyingParty,
): Promise<{ code: string; verifier: string; jar: Jar }> {
  const jar = new Jar();
  const verifier = crypto.randomBytes(32).toString('base64url');
  const authorize = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: client.redirectUri,
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: crypto.randomBytes(8).toString('base64url'),
    nonce: crypto.randomBytes(8).toString('base64url'),
  });
  const started = await fetch(`${hosts.start}/oidc/auth?${authorize}`, { redirect: 'manual' });
  jar.take(started);
  const interaction = started.headers.get('location');
  if (!interaction?.startsWith('/oidc/interaction/'))
    throw new Error(`No interaction: ${started.status} ${interaction}`);

  const options = await passkeyAuthenticationOptions({ rp, at: new Date() });
  const finished = await fetch(`${hosts.finish}${interaction}/passkey`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: rp.origin, cookie: jar.header() },
    body: JSON.stringify({ response: authenticator.authenticate(options, rp.origin) }),
  });
  if (finished.status !== 200)
    throw new Error(`Interaction refused: ${finished.status} ${await finished.text()}`);
  const { redirectTo } = (await finished.json()) as { redirectTo: string };

  const resumed = await fetch(`${hosts.start}${new URL(redirectTo).pathname}`, {
    redirect: 'manual',
    headers: { cookie: jar.header() },
  });
  const callback = new URL(resumed.headers.get('location') ?? 'about:blank');
  const code = callback.searchParams.get('code');
  if (`${callback.origin}${callback.pathname}` !== client.redirectUri || !code) {
    throw new Error(`No code at the redirect URI: ${resumed.headers.get('location')}`);
  }
  return { code, verifier, jar };
}

/** The token request a confidential client makes for `code` (client_secret_basic + PKCE). */
export function redeemCode(
  host: string,
  client: FlowClient,
  code: string,
  verifier: string,
): Promise<Response> {
  return fetch(`${host}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }),
  });
}

/**
 * An enrolled person whose passkey lives in `authenticator` (registered and verified by
 * @simplewebauthn/server, stored as enrollment stores it), for tests that start at an app's sign-in.
 */
export async function enrolledWithPasskey(
  person: { employeeId: string; name: string; email: string },
  authenticator: SoftAuthenticator,
  rp: RelyingParty,
): Promise<string> {
  const added = await addHire(
    db(),
    { ...person, startDate: '2026-12-01' },
    { actor: { type: 'cli' }, at: new Date() },
  );
  if (!added.ok) throw new Error(added.message);
  const challenge = crypto.randomBytes(16).toString('base64url');
  const registration = authenticator.register(
    {
      challenge,
      rp: { id: rp.rpId, name: 'Firstkey' },
      user: { id: 'dXNlcg', name: 'x', displayName: 'x' },
      pubKeyCredParams: [],
    },
    rp.origin,
  );
  const { registrationInfo } = await verifyRegistrationResponse({
    response: registration,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpId,
  });
  await db().passkey.create({
    data: {
      userId: added.hire.id,
      credentialId: registrationInfo!.credential.id,
      publicKey: Buffer.from(registrationInfo!.credential.publicKey),
      aaguid: '0',
      deviceType: 'singleDevice',
      backedUp: false,
    },
  });
  await db().user.update({ where: { id: added.hire.id }, data: { enrollmentState: 'enrolled' } });
  return added.hire.id;
}
