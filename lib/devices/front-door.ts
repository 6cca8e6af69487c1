import crypto from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { normalizeFingerprint } from '@/lib/devices/fingerprint';
import {
  DEFAULT_PROXY_CERT_HEADER,
  forwardedFingerprint,
  type ProxyCertFormat,
} from '@/lib/devices/forwarded-certificate';
import { constantTimeEqual } from '@/lib/crypto';
import type { Refusal } from '@/lib/http/refusal';

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
  | {
      mode: 'proxy';
      proxyCertHeader: string;
      proxyCertFormat: ProxyCertFormat;
      proxySecret: string;
    };

export type PeerResolution = { ok: true; peer: Peer } | { ok: false; refusal: Refusal };

function mac(key: string, payload: string): string {
  return crypto.createHmac('sha256', key).update(payload).digest('base64url');
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Decides the peer of one request. Direct mode: the certificate of this TLS connection.
 * Proxy mode: the proxy's certificate header (lib/devices/forwarded-certificate.ts) and
 * X-Forwarded-For, believed only with the proxy's shared secret; without it the request has no
 * certificate at all, whatever it carries. With the secret, a certificate header that does not parse
 * is refused (400): the proxy is misconfigured, and guessing would bind the wrong laptop or none.
 */
export function resolvePeer(
  headers: IncomingHttpHeaders,
  connection: { peerCertificateDer: Buffer | null; remoteAddress: string | null },
  config: FrontDoorConfig,
): PeerResolution {
  if (config.mode === 'direct') {
    const der = connection.peerCertificateDer;
    return {
      ok: true,
      peer: {
        fingerprint:
          der && der.length > 0 ? crypto.createHash('sha256').update(der).digest('hex') : null,
        ip: connection.remoteAddress,
      },
    };
  }
  const secret = first(headers[PROXY_SECRET_HEADER]);
  if (!secret || !constantTimeEqual(secret, config.proxySecret))
    return { ok: true, peer: { fingerprint: null, ip: connection.remoteAddress } };
  const presented = forwardedFingerprint(
    config.proxyCertFormat,
    config.proxyCertHeader,
    first(headers[config.proxyCertHeader]),
  );
  if (!presented.ok)
    return {
      ok: false,
      refusal: { status: 400, code: 'bad_client_certificate_header', message: presented.message },
    };
  // The proxy appends the client it saw last; earlier entries come from the client and prove nothing.
  const forwarded = first(headers['x-forwarded-for'])?.split(',').at(-1)?.trim();
  return {
    ok: true,
    peer: { fingerprint: presented.fingerprint, ip: forwarded || connection.remoteAddress },
  };
}

/** The peer header's value: the peer, MACed with the boot key. */
export function signPeer(peer: Peer, key: string): string {
  const payload = Buffer.from(JSON.stringify(peer)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** Strips every header a client could use to claim a certificate, then writes the signed peer header. */
export function applyPeerHeader(
  headers: IncomingHttpHeaders,
  peer: Peer | { signed: string },
  config: FrontDoorConfig,
  key: string,
): void {
  delete headers[PEER_HEADER];
  delete headers[PROXY_SECRET_HEADER];
  delete headers[config.proxyCertHeader];
  for (const header of Object.values(DEFAULT_PROXY_CERT_HEADER)) delete headers[header];
  headers[PEER_HEADER] = 'signed' in peer ? peer.signed : signPeer(peer, key);
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

// Direct mode: the peer is a property of the TLS connection (server.ts refuses renegotiation, so the
// certificate cannot change on it), worked out and signed on its first request and reused by the
// requests that follow on the same keep-alive connection.
const signedDirectPeers = new WeakMap<object, string>();

/**
 * The step server.ts runs on every request before Next.js sees it: the signed peer header, or the
 * refusal to answer instead (a proxy certificate header that does not parse).
 */
export function admitRequest(
  req: IncomingMessage,
  config: FrontDoorConfig,
  key: string,
): Refusal | null {
  const socket = req.socket as TLSSocket;
  if (config.mode === 'direct') {
    let signed = signedDirectPeers.get(socket);
    if (signed === undefined) {
      const certificate =
        typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null;
      const resolved = resolvePeer(
        req.headers,
        {
          peerCertificateDer: certificate?.raw ?? null,
          remoteAddress: socket.remoteAddress ?? null,
        },
        config,
      );
      if (!resolved.ok) return resolved.refusal;
      signed = signPeer(resolved.peer, key);
      signedDirectPeers.set(socket, signed);
    }
    applyPeerHeader(req.headers, { signed }, config, key);
    return null;
  }
  const resolved = resolvePeer(
    req.headers,
    { peerCertificateDer: null, remoteAddress: socket.remoteAddress ?? null },
    config,
  );
  if (!resolved.ok) return resolved.refusal;
  applyPeerHeader(req.headers, resolved.peer, config, key);
  return null;
}
