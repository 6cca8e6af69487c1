import 'server-only';
import { z } from 'zod';
import { newSecret } from '@/lib/crypto';
import { TOKEN_BYTES } from '@/lib/enrollment/policy';
import { TOKEN_PATTERN } from '@/lib/enrollment/token-shape';

// Bridge tokens (and enrollment session secrets): TOKEN_BYTES random bytes, base64url, stored only as
// their SHA-256 (lib/crypto.ts).

export function newToken(): string {
  return newSecret(TOKEN_BYTES);
}

export const BridgeTokenString = z
  .string({ error: 'Expected the token from the link, as text' })
  .regex(
    TOKEN_PATTERN,
    'The link is incomplete or damaged: the token must be 43 URL-safe characters',
  );

export function enrollmentUrl(origin: string, token: string): string {
  // The token travels in the fragment: browsers never send it in a request, so it stays out of
  // access logs, Referer headers, proxies and mail scanners' pre-fetches (DESIGN.md).
  return `${origin}/enroll#${token}`;
}
