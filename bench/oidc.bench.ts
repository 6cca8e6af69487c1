// `npm run bench` (OpenID Connect part): the authorization-code round trip as an app sees it — the
// provider over loopback HTTP, a real passkey assertion, PKCE, client_secret_basic — and how many code
// redemptions the token endpoint answers per second. Prints numbers; asserts nothing.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-bench-oidc-'));
process.env.FIRSTKEY_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'firstkey.db')}`;

const { migrate } = await import('@/lib/db/migrate');
migrate(process.env.DATABASE_URL);
const { db } = await import('@/lib/db');
const { addHire } = await import('@/lib/hires/add-hire');
const { registerDevice } = await import('@/lib/hires/register-device');
const { issueLink } = await import('@/lib/enrollment/issue-link');
const { addOidcClient, OidcClientInput } = await import('@/lib/oidc/clients');
const { ensureSigningKeys } = await import('@/lib/oidc/keys');
const { createOidcProvider } = await import('@/lib/oidc/provider');
const { deviceCertificate } = await import('@/lib/testing/certificates');
const { apiRequest, cookieFrom } = await import('@/lib/testing/api');
const { SoftAuthenticator } = await import('@/lib/testing/soft-authenticator');
const { redeemCode, signInForCode } = await import('@/lib/testing/oidc-flow');
const { POST: redeem } = await import('@/app/api/enroll/redeem/route');
const { POST: options } = await import('@/app/api/enroll/passkey/options/route');
const { POST: verify } = await import('@/app/api/enroll/passkey/verify/route');

const rp = { rpId: 'localhost', origin: 'https://localhost:3443' };
const actor = { type: 'cli' } as const;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[
    Math.min(values.length - 1, Math.floor((p / 100) * values.length))
  ]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

// One person enrolled the real way (link → passkey), one confidential app.
const at = new Date();
const hire = await addHire(
  db(),
  {
    employeeId: 'OB1',
    name: 'Bench Person',
    email: 'ob1@example.com',
    startDate: at.toISOString().slice(0, 10),
  },
  { actor, at },
);
if (!hire.ok) throw new Error(hire.message);
const laptop = await deviceCertificate('OB1');
await registerDevice(
  db(),
  { employeeId: 'OB1', serial: 'OB1', certificatePem: laptop.pem },
  { actor, at },
);
const link = await issueLink(db(), { employeeId: 'OB1' }, { actor, at, origin: rp.origin });
if (!link.ok) throw new Error(link.message);
const caller = { fingerprint: laptop.fingerprint, ip: '198.51.100.1' };
const redeemed = await redeem(
  apiRequest('/api/enroll/redeem', caller, { body: { token: new URL(link.url).hash.slice(1) } }),
);
const session = { ...caller, cookie: cookieFrom(redeemed) };
const creation = await (
  await options(apiRequest('/api/enroll/passkey/options', session, { body: {} }))
).json();
const authenticator = new SoftAuthenticator({ userVerification: true });
const registered = await verify(
  apiRequest('/api/enroll/passkey/verify', session, {
    body: { response: authenticator.register(creation, rp.origin) },
  }),
);
if (registered.status !== 200) throw new Error(`enrollment failed: ${registered.status}`);

await ensureSigningKeys(db(), new Date());
const redirectUri = 'https://app.example.com/callback';
const added = await addOidcClient(
  db(),
  OidcClientInput.parse({ name: 'Bench App', redirectUris: [redirectUri] }),
  { actor, at },
);
const client = { clientId: added.clientId, clientSecret: added.clientSecret!, redirectUri };

const provider = await createOidcProvider(db(), {
  rp,
  proxy: false,
  cookieSecret: 'a bench secret of at least thirty-two characters',
});
const server = http.createServer(provider.callback());
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The whole round trip, one after another: authorize → passkey → resume → code → tokens.
const ROUND_TRIPS = 100;
const roundTrips: number[] = [];
for (let i = 0; i < ROUND_TRIPS; i += 1) {
  const t0 = performance.now();
  const { code, verifier } = await signInForCode(
    { start: host, finish: host },
    client,
    authenticator,
    rp,
  );
  const tokens = await redeemCode(host, client, code, verifier);
  if (tokens.status !== 200) throw new Error(`token ${tokens.status}: ${await tokens.text()}`);
  await tokens.json();
  roundTrips.push(performance.now() - t0);
}

// The token endpoint alone: codes gathered first, then redeemed 10 at a time.
const CODES = 200;
const CONCURRENCY = 10;
const codes: Awaited<ReturnType<typeof signInForCode>>[] = [];
for (let i = 0; i < CODES; i += 1)
  codes.push(await signInForCode({ start: host, finish: host }, client, authenticator, rp));
const t0 = performance.now();
let next = 0;
let failures = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < codes.length) {
      const { code, verifier } = codes[next++]!;
      const response = await redeemCode(host, client, code, verifier);
      if (response.status !== 200) failures += 1;
      await response.arrayBuffer();
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
server.close();

const figures = {
  authorizationCodeRoundTrip: {
    p50Ms: percentile(roundTrips, 50),
    p95Ms: percentile(roundTrips, 95),
    n: ROUND_TRIPS,
  },
  tokenEndpoint: { redemptionsPerSecond: CODES / seconds, concurrency: CONCURRENCY, failures },
};
console.log(
  `oidc round trip (authorize → passkey → code → tokens): p50 ${ms(figures.authorizationCodeRoundTrip.p50Ms)}, p95 ${ms(figures.authorizationCodeRoundTrip.p95Ms)} (${ROUND_TRIPS} sign-ins)`,
);
console.log(
  `oidc token endpoint: ${figures.tokenEndpoint.redemptionsPerSecond.toFixed(1)} code redemptions/s at concurrency ${CONCURRENCY} (${failures} failed)`,
);
console.log(JSON.stringify({ oidc: figures }));
fs.rmSync(dataDir, { recursive: true, force: true });
