import 'server-only';
import crypto from 'node:crypto';
import { CHALLENGE_TTL } from '@/lib/enrollment/policy';
import { sessionSecret } from '@/lib/secrets';

// Sign-in challenges are stateless: handing one out writes nothing, so anonymous callers of the
// options endpoint cannot fill the database or slow everyone else down. A challenge carries its own
// expiry and a MAC, and single use is enforced when it is spent (lib/passkeys/challenges.ts):
//
//   version (1 byte) ‖ expiry, ms since the epoch (8 bytes) ‖ random (16 bytes) ‖ HMAC-SHA256 of the first 25 bytes
//
// The 16 random bytes keep every challenge unique and unguessable (WebAuthn L3 §13.4.3: at least 16).

const VERSION = 1;
const SIGNED_BYTES = 1 + 8 + 16;
const CHALLENGE_BYTES = SIGNED_BYTES + 32;

/**
 * The MAC key, derived (HKDF, RFC 5869) from the session secret that every app instance already
 * shares; the label keeps it apart from the session cookies' own key and any later use of the secret.
 */
function challengeKey(): Buffer {
  return Buffer.from(
    crypto.hkdfSync(
      'sha256',
      sessionSecret(),
      Buffer.alloc(0),
      'firstkey webauthn sign-in challenge v1',
      32,
    ),
  );
}

function mac(signed: Buffer): Buffer {
  return crypto.createHmac('sha256', challengeKey()).update(signed).digest();
}

/** A new sign-in challenge, valid for CHALLENGE_TTL from `at`. */
export function issueSignInChallenge(at: Date): Uint8Array<ArrayBuffer> {
  const signed = Buffer.alloc(SIGNED_BYTES);
  signed.writeUInt8(VERSION, 0);
  signed.writeBigUInt64BE(BigInt(at.getTime() + CHALLENGE_TTL), 1);
  crypto.randomFillSync(signed, 9, 16);
  return new Uint8Array(Buffer.concat([signed, mac(signed)]));
}

export type SignInChallengeCheck =
  { ok: true; expiresAt: Date } | { ok: false; reason: 'forged' | 'expired' };

/**
 * Whether a challenge, as the browser's clientDataJSON spells it (base64url), is one we issued and is
 * still fresh. Only the canonical spelling is accepted, so one challenge has exactly one hash when spent.
 */
export function checkSignInChallenge(challenge: string, at: Date): SignInChallengeCheck {
  const bytes = Buffer.from(challenge, 'base64url');
  if (
    bytes.length !== CHALLENGE_BYTES ||
    bytes.toString('base64url') !== challenge ||
    bytes[0] !== VERSION
  )
    return { ok: false, reason: 'forged' };
  const signed = bytes.subarray(0, SIGNED_BYTES);
  if (!crypto.timingSafeEqual(bytes.subarray(SIGNED_BYTES), mac(signed)))
    return { ok: false, reason: 'forged' };
  const expiresAt = new Date(Number(signed.readBigUInt64BE(1)));
  if (expiresAt <= at) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt };
}
