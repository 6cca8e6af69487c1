import crypto from 'node:crypto';
import { z } from 'zod';
import { TOKEN_BYTES } from '@/lib/enrollment/policy';

// Bridge tokens and session secrets: random bytes, base64url, stored only as SHA-256.
// Lookups go through the hash (an indexed equality on a value the attacker cannot choose to collide),
// so no stored secret is ever compared byte-by-byte with attacker input.

export function newSecret(bytes = TOKEN_BYTES): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** 32 bytes in base64url without padding are exactly 43 characters. */
export const BridgeTokenString = z
  .string({ error: 'Expected the token from the link, as text' })
  .regex(/^[A-Za-z0-9_-]{43}$/, 'The link is incomplete or damaged: the token must be 43 URL-safe characters');

export function enrollmentUrl(origin: string, token: string): string {
  // The token travels in the fragment: browsers never send it in a request, so it stays out of
  // access logs, Referer headers, proxies and mail scanners' pre-fetches (DESIGN.md).
  return `${origin}/enroll#${token}`;
}
