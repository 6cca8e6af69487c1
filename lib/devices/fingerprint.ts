import crypto from 'node:crypto';
import { constantTimeEqual } from '@/lib/crypto';

/** Lower-case hex SHA-256 of a certificate's DER bytes: what a TLS peer presents, in the form we store. */
export function fingerprintOfDer(der: Uint8Array): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}

/**
 * Accepts the spellings proxies and tools use for a SHA-256 fingerprint (hex, any case, with or
 * without colons, as nginx's $ssl_client_fingerprint is SHA-1 — so we insist on 64 hex digits).
 * Returns the canonical form, or null.
 */
export function normalizeFingerprint(value: string): string | null {
  const hex = value.trim().replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** Compares two fingerprints in constant time (both canonical hex). */
export function sameFingerprint(a: string, b: string): boolean {
  return constantTimeEqual(a, b);
}
