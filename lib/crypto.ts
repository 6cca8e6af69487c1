import 'server-only';
import crypto from 'node:crypto';

// Secrets Firstkey makes and the one way it compares secret-derived values (Lucia / the Copenhagen
// Book: random tokens, stored hashed, compared in constant time).

/** A random secret: `bytes` random bytes, base64url (32 bytes → 43 characters). */
export function newSecret(bytes: number): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/**
 * The SHA-256 under which a secret is stored and looked up. Lookups go through this hash (an indexed
 * equality on a value the attacker cannot choose to collide), so no stored secret is ever compared
 * byte by byte with attacker input.
 */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Equality that takes the same time wherever the inputs differ, whatever their lengths: both sides
 * are hashed first, so neither length nor content leaks through timing.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = crypto.createHash('sha256').update(a).digest();
  const right = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(left, right);
}
