import 'server-only';
import type { Db } from '@/lib/db';
import { CHALLENGE_TTL } from '@/lib/enrollment/policy';
import { hashSecret } from '@/lib/enrollment/token';

// WebAuthn challenges are kept server-side as SHA-256 only, live 5 minutes and are used once:
// a response is accepted only after its challenge row has been atomically marked consumed.

export async function storeChallenge(
  db: Db,
  input: { challenge: string; purpose: 'registration' | 'authentication'; userId?: string; enrollmentSessionId?: string; at: Date },
): Promise<void> {
  await db.webAuthnChallenge.create({
    data: {
      challengeHash: hashSecret(input.challenge),
      purpose: input.purpose,
      userId: input.userId ?? null,
      enrollmentSessionId: input.enrollmentSessionId ?? null,
      createdAt: input.at,
      expiresAt: new Date(input.at.getTime() + CHALLENGE_TTL),
    },
  });
  // Expired challenges are never useful again.
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date(input.at.getTime() - CHALLENGE_TTL) } } });
}

/**
 * Marks the challenge used, if it is one we issued for this purpose (and this enrollment session),
 * still fresh and unused. Exactly one caller can ever succeed for a given challenge.
 */
export async function consumeChallenge(
  db: Db,
  input: { challenge: string; purpose: 'registration' | 'authentication'; enrollmentSessionId?: string; at: Date },
): Promise<boolean> {
  const consumed = await db.webAuthnChallenge.updateMany({
    where: {
      challengeHash: hashSecret(input.challenge),
      purpose: input.purpose,
      consumedAt: null,
      expiresAt: { gt: input.at },
      ...(input.enrollmentSessionId ? { enrollmentSessionId: input.enrollmentSessionId } : {}),
    },
    data: { consumedAt: input.at },
  });
  return consumed.count === 1;
}
