// The HTTPS front of Firstkey: serves the production Next.js build, asks every client for a TLS
// certificate without requiring one (staff pages need none), answers malformed requests itself
// (lib/http/request-gate.ts) and hands route handlers the verified fingerprint through
// lib/devices/front-door.ts. Started by `npm start` (scripts/start.mjs).
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import next from 'next';
import { db } from '@/lib/db';
import { serverFiles } from '@/lib/devices/dev-ca';
import { admitRequest, FRONT_DOOR_KEY_ENV, type FrontDoorConfig } from '@/lib/devices/front-door';
import { relyingParty } from '@/lib/passkeys/relying-party';
import { env } from '@/lib/env';
import { parserErrorAnswer, writeRefusal } from '@/lib/http/refusal';
import { INSTANCE_HEADER } from '@/lib/health/instance';
import { gateRequest } from '@/lib/http/request-gate';
import { startRequestsInTurns } from '@/lib/http/turns';
import { FrontDoorResponse } from '@/lib/http/unread-body';
import { laneHandler, serveFromLane, type RouteLane } from '@/lib/http/route-lane';
import * as peekRoute from '@/app/api/enroll/peek/route';
import * as redeemRoute from '@/app/api/enroll/redeem/route';
import * as registrationOptionsRoute from '@/app/api/enroll/passkey/options/route';
import * as registrationVerifyRoute from '@/app/api/enroll/passkey/verify/route';
import * as authenticationOptionsRoute from '@/app/api/passkeys/authenticate/options/route';
import * as authenticationVerifyRoute from '@/app/api/passkeys/authenticate/verify/route';
import { isProviderRequest } from '@/lib/oidc/front';
import { ensureSigningKeys } from '@/lib/oidc/keys';
import { createOidcProvider } from '@/lib/oidc/provider';
import { projectRoot } from '@/lib/project-root';
import { limitHeapGrowth } from '@/lib/runtime/heap';
import { sessionSecret } from '@/lib/secrets';

limitHeapGrowth();

const config = env();
const tlsFiles = config.tls ?? serverFiles(config.dataDir);
for (const file of [tlsFiles.certPath, tlsFiles.keyPath]) {
  if (!fs.existsSync(file)) {
    console.error(
      `Missing TLS file ${file}. Run \`npm start\` (or \`npx firstkey setup\`) to create the development certificates.`,
    );
    process.exit(1);
  }
}

const frontDoor: FrontDoorConfig =
  config.deviceCertMode === 'proxy'
    ? {
        mode: 'proxy',
        proxyCertHeader: config.proxyCertHeader,
        proxyCertFormat: config.proxyCertFormat,
        proxySecret: config.proxySecret!,
      }
    : { mode: 'direct', proxyCertHeader: config.proxyCertHeader };
// A fresh key per boot: only this process can produce a peer header that route handlers accept.
const frontDoorKey = crypto.randomBytes(32).toString('base64url');
process.env[FRONT_DOOR_KEY_ENV] = frontDoorKey;
// next-auth builds its callback URLs from this; it is the portal's public origin.
process.env.NEXTAUTH_URL ??= config.origin;

// The OpenID Connect provider (lib/oidc/): its own paths, ahead of Next.js. The issuer is the public
// origin; forwarded headers are believed only behind the proxy.
await ensureSigningKeys(db(), new Date());
const oidcProvider = await createOidcProvider(db(), {
  rp: relyingParty(),
  proxy: config.deviceCertMode === 'proxy',
  cookieSecret: sessionSecret(),
});
const oidc = oidcProvider.callback();

// The enrollment ceremony's JSON routes, served from their route handlers without Next.js's router
// (lib/http/route-lane.ts): the same handlers Next.js serves at the same paths, a cheaper way in.
const lane: RouteLane = new Map([
  ['/api/enroll/peek', { method: 'POST', handler: peekRoute.POST }],
  ['/api/enroll/redeem', { method: 'POST', handler: redeemRoute.POST }],
  ['/api/enroll/passkey/options', { method: 'POST', handler: registrationOptionsRoute.POST }],
  ['/api/enroll/passkey/verify', { method: 'POST', handler: registrationVerifyRoute.POST }],
  [
    '/api/passkeys/authenticate/options',
    { method: 'POST', handler: authenticationOptionsRoute.POST },
  ],
  [
    '/api/passkeys/authenticate/verify',
    { method: 'POST', handler: authenticationVerifyRoute.POST },
  ],
]);

const app = next({
  dev: false,
  dir: projectRoot(),
  hostname: config.listenHost,
  port: config.port,
});
await app.prepare();
const handle = app.getRequestHandler();

const startInTurn = startRequestsInTurns();
const server = https.createServer(
  {
    cert: fs.readFileSync(tlsFiles.certPath),
    key: fs.readFileSync(tlsFiles.keyPath),
    // Ask for a client certificate, accept any: the binding is the certificate's fingerprint, pinned
    // per device, and TLS has already proven the client holds its private key.
    requestCert: config.deviceCertMode === 'direct',
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ServerResponse: FrontDoorResponse,
  },
  (req, res) => {
    // Which of several instances answered (README "Running several instances").
    res.setHeader(INSTANCE_HEADER, config.instanceId);
    // The OpenID Connect provider's own paths go to it (a certified library that answers bad input
    // itself); everything else passes the request gate, then Next.js. Either starts its work in
    // turns of the event loop, so a busy server still accepts new connections (lib/http/turns.ts).
    if (isProviderRequest(req.method, req.url)) {
      const refusal = admitRequest(req, frontDoor, frontDoorKey);
      if (refusal) writeRefusal(res, refusal, req.method);
      else startInTurn(req, () => void oidc(req, res));
      return;
    }
    void gateRequest(req, res, config.origin).then(
      (admitted) => {
        if (!admitted) return;
        const refusal = admitRequest(admitted, frontDoor, frontDoorKey);
        if (refusal) return writeRefusal(res, refusal, admitted.method);
        const fromLane = laneHandler(lane, admitted);
        startInTurn(admitted, () =>
          fromLane
            ? void serveFromLane(admitted, res, fromLane, config.origin)
            : void handle(admitted, res),
        );
      },
      // The client went away while its body was being read: nobody is left to answer.
      () => res.destroy(),
    );
  },
);

// Idle keep-alive connections stay open 65 s rather than Node's 5 s. Browsers keep an idle connection
// for minutes and nginx its upstream ones for 60 s; a request sent on a connection the server is just
// closing gets a reset, not an answer (the e2e tests' client-certificate proxy saw one). The header
// timeout (60 s by default) stays just above it.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

// The device certificate is read once per connection (lib/devices/front-door.ts): renegotiation, the
// one way to present another certificate on the same connection, is refused.
server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());

// A request Node's HTTP parser cannot read never reaches the handler above; answer it with the same
// security headers as any other answer instead of Node's bare "400 Bad Request".
server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(parserErrorAnswer(error.code));
});

server.listen(config.port, config.listenHost, () => {
  console.log(`Firstkey is running at ${config.origin}`);
  console.log(
    `  device certificates: ${frontDoor.mode === 'direct' ? 'read from the TLS connection' : `from the proxy's ${config.proxyCertHeader} header (${config.proxyCertFormat})`}`,
  );
  console.log(`  instance:          ${config.instanceId}`);
  console.log(`  data:              ${config.dataDir}`);
  console.log(`  OpenID Connect:    ${config.origin}/.well-known/openid-configuration`);
});

function shutdown() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
