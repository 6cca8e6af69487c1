// An independent relying party for the e2e tests, built on panva's openid-client (a certified RP
// library): it knows Firstkey only through discovery, trusts Firstkey's TLS certificate through
// NODE_EXTRA_CA_CERTS (the dev CA), and checks what any real app would — the ID token's signature
// against the JWKS, iss, aud, exp and nonce, state, PKCE — then reads userinfo.
// Run as its own process (e2e/oidc.spec.ts starts it); every answer is JSON for the test to read.
//   GET  /login[?pkce=omit][&verifier=wrong][&redirect_uri=…][&prompt=…][&max_age=…][&acr_values=…]
//   GET  /callback                      the redirect URI: code → tokens → userinfo
//   POST /configure {clientId, clientSecret}
//   GET  /refresh?session=ID[&old=1]    refresh (rotating); old=1 replays the previous refresh token
//   GET  /replay?session=ID             redeems the same authorization code a second time
import http from 'node:http';
import * as client from 'openid-client';

const issuer = new URL(process.env.RP_ISSUER!);
let config: client.Configuration | undefined;
let base = '';

type Pending = { verifier: string; nonce: string; redirectUri: string };
type Session = {
  callbackUrl: URL;
  pending: Pending;
  state: string;
  refreshToken?: string;
  previousRefreshToken?: string;
  sub: string;
};
const pending = new Map<string, Pending>();
const sessions = new Map<string, Session>();

function describe(error: unknown) {
  const value = error as {
    error?: string;
    code?: string;
    message?: string;
    error_description?: string;
    cause?: { error?: string; error_description?: string };
  };
  return {
    ok: false,
    error: value.error ?? value.cause?.error ?? value.code ?? 'error',
    description: value.error_description ?? value.cause?.error_description ?? value.message,
  };
}

async function login(url: URL) {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const redirectUri = url.searchParams.get('redirect_uri') ?? `${base}/callback`;
  // The test's attacks: leave PKCE out, or present another verifier at the token endpoint.
  pending.set(state, {
    verifier:
      url.searchParams.get('verifier') === 'wrong' ? client.randomPKCECodeVerifier() : verifier,
    nonce,
    redirectUri,
  });
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: 'openid profile email groups',
    state,
    nonce,
  };
  if (url.searchParams.get('pkce') !== 'omit') {
    parameters.code_challenge = await client.calculatePKCECodeChallenge(verifier);
    parameters.code_challenge_method = 'S256';
  }
  for (const name of ['prompt', 'max_age', 'acr_values']) {
    const value = url.searchParams.get(name);
    if (value) parameters[name] = value;
  }
  return client.buildAuthorizationUrl(config!, parameters);
}

async function callback(url: URL) {
  const state = url.searchParams.get('state') ?? '';
  const checks = pending.get(state);
  if (!checks) return { ok: false, error: 'unknown_state' };
  const tokens = await client.authorizationCodeGrant(config!, url, {
    pkceCodeVerifier: checks.verifier,
    expectedState: state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims()!;
  const userinfo = await client.fetchUserInfo(config!, tokens.access_token, claims.sub);
  const id = client.randomState();
  sessions.set(id, {
    callbackUrl: url,
    pending: checks,
    state,
    refreshToken: tokens.refresh_token,
    sub: claims.sub,
  });
  return {
    ok: true,
    session: id,
    idToken: claims,
    userinfo,
    hasRefreshToken: Boolean(tokens.refresh_token),
  };
}

async function refresh(session: Session, old: boolean) {
  const token = old ? session.previousRefreshToken : session.refreshToken;
  if (!token) return { ok: false, error: 'no_refresh_token' };
  const tokens = await client.refreshTokenGrant(config!, token);
  if (!old) {
    session.previousRefreshToken = session.refreshToken;
    session.refreshToken = tokens.refresh_token ?? session.refreshToken;
  }
  const userinfo = await client.fetchUserInfo(config!, tokens.access_token, session.sub);
  return {
    ok: true,
    rotated: Boolean(tokens.refresh_token) && tokens.refresh_token !== token,
    userinfo,
  };
}

async function replay(session: Session) {
  await client.authorizationCodeGrant(config!, session.callbackUrl, {
    pkceCodeVerifier: session.pending.verifier,
    expectedState: session.state,
    expectedNonce: session.pending.nonce,
    idTokenExpected: true,
  });
  return { ok: true };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', base);
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const answer = async (work: () => Promise<unknown>) => {
    try {
      send(200, await work());
    } catch (error) {
      send(200, describe(error));
    }
  };
  const sessionOf = () => sessions.get(url.searchParams.get('session') ?? '');
  if (req.method === 'POST' && url.pathname === '/configure') {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on(
      'end',
      () =>
        void answer(async () => {
          const { clientId, clientSecret } = JSON.parse(text) as {
            clientId: string;
            clientSecret: string;
          };
          config = await client.discovery(
            issuer,
            clientId,
            { client_secret: clientSecret, id_token_signed_response_alg: 'ES256' },
            client.ClientSecretBasic(clientSecret),
          );
          return { ok: true, issuer: config.serverMetadata().issuer };
        }),
    );
    return;
  }
  if (url.pathname === '/login') {
    void login(url).then(
      (location) => send(302, { location: location.href }, { location: location.href }),
      (error: unknown) => send(200, describe(error)),
    );
    return;
  }
  if (url.pathname === '/callback') return void answer(() => callback(url));
  const session = sessionOf();
  if (url.pathname === '/refresh' && session)
    return void answer(() => refresh(session, url.searchParams.get('old') === '1'));
  if (url.pathname === '/replay' && session) return void answer(() => replay(session));
  send(404, { ok: false, error: 'not_found' });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
  process.stdout.write(`listening ${base}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
