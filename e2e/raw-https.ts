import fs from 'node:fs';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

// A raw HTTPS client for tests that send what no browser would: node:https rather than Playwright's
// request context, because it sends the request target byte for byte (no URL normalisation of "..",
// malformed %-escapes or raw Latin-1), any method token, any header, and keeps no cookie jar.

export type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer };
export type Wire = {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
};

const ANSWER_TIMEOUT_MS = 15_000;

/** One keep-alive connection pool per client identity: with the device certificate, or with none. */
export function agentFor(certificate: { certPath: string; keyPath: string } | null): https.Agent {
  return new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    rejectUnauthorized: false,
    ...(certificate
      ? { cert: fs.readFileSync(certificate.certPath), key: fs.readFileSync(certificate.keyPath) }
      : {}),
  });
}

/**
 * Sends one request. A keep-alive connection the server closed after its last answer (as it does
 * after a refusal with `Connection: close`) fails on reuse before anything is sent; that is retried
 * once on a fresh connection (Node's documented pattern), anything else is the server's doing.
 */
export async function send(origin: string, agent: https.Agent, wire: Wire): Promise<Answer> {
  try {
    return await attempt(origin, agent, wire);
  } catch (error) {
    if (!(error as { reusedSocket?: boolean }).reusedSocket) throw error;
    return attempt(origin, agent, wire);
  }
}

function attempt(origin: string, agent: https.Agent, wire: Wire): Promise<Answer> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        servername: url.hostname,
        method: wire.method,
        path: wire.target,
        headers: wire.headers,
        timeout: ANSWER_TIMEOUT_MS,
        // Next.js repeats the path of its trailing-slash redirects in Location and Refresh: an 8 KiB
        // path makes 16 KiB of headers, more than Node's default, far less than a browser's limit.
        maxHeaderSize: 64 * 1024,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`No answer within ${ANSWER_TIMEOUT_MS / 1000} s`)),
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      reject(Object.assign(error, { reusedSocket: stale }));
    });
    request.end(wire.body ?? undefined);
  });
}
