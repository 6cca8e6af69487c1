import crypto from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { normalizeFingerprint } from '@/lib/devices/fingerprint';
import { constantTimeEqual } from '@/lib/crypto';

// The HTTPS front of Firstkey (server.ts) tells route handlers who is on the other end of the
// connection: the SHA-256 fingerprint of the TLS client certificate, and the client's address.
// It travels in one internal header that the front door always deletes and rewrites, and that is
// MACed with a key generated at boot and known only to this process — so a client that sends the
// header itself, or a deployment that bypasses server.ts, never gets a forged fingerprint accepted.

export const PEER_HEADER = 'x-firstkey-peer';
export const PROXY_SECRET_HEADER = 'x-firstkey-proxy-secret';
/** Set by server.ts at boot; inherited by nothing outside this process. */
export const FRONT_DOOR_KEY_ENV = 'FIRSTKEY_FRONT_DOOR_KEY';

export type Peer = { fingerprint: string | null; ip: string | null };

export type FrontDoorConfig =
  | { mode: 'direct'; proxyCertHeader: string }
  | { mode: 'proxy'; proxyCertHeader: string; proxySecret: string };

function mac(key: string, payload: string): string {
  return crypto.createHmac('sha256', key).update(payload).digest('base64url');
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Decides the peer of one request. Direct mode: the certificate of this TLS connection.
 * Proxy mode: the proxy's fingerprint header and X-Forwarded-For, believed only with the proxy's
 * shared secret; without it the request has no certificate at all.
 */
export function resolvePeer(
  headers: IncomingHttpHeaders,
  connection: { peerCertificateDer: Buffer | null; remoteAddress: string | null },
  config: FrontDoorConfig,
): Peer {
  if (config.mode === 'direct') {
    const der = connection.peerCertificateDer;
    return {
      fingerprint:
        der && der.length > 0 ? crypto.createHash('sha256').update(der).digest('hex') : null,
      ip: connection.remoteAddress,
    };
  }
  const secret = first(headers[PROXY_SECRET_HEADER]);
  if (!secret || !constantTimeEqual(secret, config.proxySecret))
    return { fingerprint: null, ip: connection.remoteAddress };
  const presented = first(headers[config.proxyCertHeader]);
  // The proxy appends the client it saw last; earlier entries come from the client and prove nothing.
  const forwarded = first(headers['x-forwarded-for'])?.split(',').at(-1)?.trim();
  return {
    fingerprint: presented ? normalizeFingerprint(presented) : null,
    ip: forwarded || connection.remoteAddress,
  };
}

/** Strips every header a client could use to claim a certificate, then writes the signed peer header. */
export function applyPeerHeader(
  headers: IncomingHttpHeaders,
  peer: Peer,
  config: FrontDoorConfig,
  key: string,
): void {
  delete headers[PEER_HEADER];
  delete headers[PROXY_SECRET_HEADER];
  delete headers[config.proxyCertHeader];
  const payload = Buffer.from(JSON.stringify(peer)).toString('base64url');
  headers[PEER_HEADER] = `${payload}.${mac(key, payload)}`;
}

/** Reads the peer header in a route handler; anything unsigned or mis-signed means "no certificate". */
export function readPeerHeader(value: string | null, key: string | undefined): Peer {
  const none: Peer = { fingerprint: null, ip: null };
  if (!value || !key) return none;
  const [payload, signature] = value.split('.');
  if (!payload || !signature || !constantTimeEqual(signature, mac(key, payload))) return none;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Peer;
    return {
      fingerprint:
        typeof parsed.fingerprint === 'string' ? normalizeFingerprint(parsed.fingerprint) : null,
      ip: typeof parsed.ip === 'string' ? parsed.ip : null,
    };
  } catch {
    return none;
  }
}

/** The step server.ts runs on every request before Next.js sees it. */
export function admitRequest(req: IncomingMessage, config: FrontDoorConfig, key: string): void {
  const socket = req.socket as TLSSocket;
  const certificate =
    config.mode === 'direct' && typeof socket.getPeerCertificate === 'function'
      ? socket.getPeerCertificate()
      : null;
  const peer = resolvePeer(
    req.headers,
    { peerCertificateDer: certificate?.raw ?? null, remoteAddress: socket.remoteAddress ?? null },
    config,
  );
  applyPeerHeader(req.headers, peer, config, key);
}
