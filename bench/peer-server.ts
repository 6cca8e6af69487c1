// The bench's yardstick (bench/server.bench.ts): a bare node:https server doing the same two WebAuthn
// ceremonies as an enrollment — registration, then a sign-in with the new passkey — in memory, with
// the same library and the same TLS client-certificate request, and nothing else: no database, no
// framework, no audit. Started as its own process: `node --import tsx bench/peer-server.ts PORT CERT KEY`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server';

const [port, certPath, keyPath] = process.argv.slice(2);
const origin = `https://localhost:${port}`;
const rpID = 'localhost';

const registrations = new Map<string, string>(); // session → expected challenge
const signInChallenges = new Set<string>();
const credentials = new Map<string, WebAuthnCredential>();

function challengeOf(clientDataJSON: string): string {
  return (
    JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge: string;
    }
  ).challenge;
}

async function answer(path: string, body: unknown, cookie: string | undefined) {
  switch (path) {
    case '/register/options': {
      const session = crypto.randomBytes(32).toString('base64url');
      const options = await generateRegistrationOptions({
        rpName: 'Peer',
        rpID,
        userID: crypto.randomBytes(16),
        userName: `hire-${session.slice(0, 8)}`,
        attestationType: 'none',
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      registrations.set(session, options.challenge);
      return { status: 200, json: options, cookie: `peer=${session}` };
    }
    case '/register/verify': {
      const session = cookie?.split('=')[1] ?? '';
      const expectedChallenge = registrations.get(session);
      if (!expectedChallenge) return { status: 400, json: { error: 'no session' } };
      registrations.delete(session);
      const { response } = body as { response: RegistrationResponseJSON };
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: true,
      });
      if (!verification.verified) return { status: 400, json: { verified: false } };
      const { credential } = verification.registrationInfo;
      credentials.set(credential.id, credential);
      return { status: 200, json: { verified: true } };
    }
    case '/authenticate/options': {
      const options = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
      signInChallenges.add(options.challenge);
      return { status: 200, json: options };
    }
    case '/authenticate/verify': {
      const { response } = body as { response: AuthenticationResponseJSON };
      const expectedChallenge = challengeOf(response.response.clientDataJSON);
      const credential = credentials.get(response.id);
      if (!signInChallenges.delete(expectedChallenge) || !credential)
        return { status: 400, json: { verified: false } };
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: true,
        credential,
      });
      if (!verification.verified) return { status: 400, json: { verified: false } };
      credential.counter = verification.authenticationInfo.newCounter;
      return { status: 200, json: { verified: true } };
    }
    default:
      return { status: 404, json: { error: 'not found' } };
  }
}

const server = https.createServer(
  {
    cert: fs.readFileSync(certPath!),
    key: fs.readFileSync(keyPath!),
    requestCert: true,
    rejectUnauthorized: false,
  },
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The same binding input Firstkey reads: the client certificate's SHA-256 fingerprint.
      const der = (req.socket as TLSSocket).getPeerCertificate().raw;
      if (!der) {
        res.writeHead(403).end();
        return;
      }
      crypto.createHash('sha256').update(der).digest('hex');
      const text = Buffer.concat(chunks).toString('utf8');
      answer(req.url ?? '', text ? JSON.parse(text) : {}, req.headers.cookie).then(
        ({ status, json, cookie }: { status: number; json: unknown; cookie?: string }) => {
          res.writeHead(status, {
            'content-type': 'application/json',
            ...(cookie ? { 'set-cookie': `${cookie}; Path=/; HttpOnly; Secure` } : {}),
          });
          res.end(JSON.stringify(json));
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: error.message }));
        },
      );
    });
  },
);
server.listen(Number(port), 'localhost', () => console.log(`peer listening on ${origin}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
