import 'server-only';
import crypto from 'node:crypto';
import type { Db, DbOrTx, Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { CHALLENGE_TTL } from '@/lib/enrollment/policy';
import { hashSecret } from '@/lib/crypto';

// WebAuthn challenges are kept server-side as SHA-256 only, live 5 minutes and are used once.
// Registration challenges are stored when issued (they belong to an enrollment session, or — for a
// backup passkey added from /account — to the signed-in person) and a response is accepted only
// after its row has been atomically marked consumed. Sign-in challenges
// are stateless (lib/passkeys/sign-in-challenge.ts) and get a row only when spent.
// Storing, consuming, looking up and purging are raw statements: each runs on every enrollment or
// sign-in, and a Prisma model query costs about five times the CPU (lib/audit/append.ts).

/** `registration`: during enrollment; `account_registration`: a backup passkey added from /account. */
export type RegistrationPurpose = 'registration' | 'account_registration';

export async function storeChallenge(
  db: Db,
  input: {
    challenge: string;
    purpose: RegistrationPurpose;
    userId: string;
    enrollmentSessionId?: string;
    at: Date;
  },
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "WebAuthnChallenge"
      ("id", "challengeHash", "purpose", "userId", "enrollmentSessionId", "createdAt", "expiresAt")
    VALUES (${crypto.randomUUID()}, ${hashSecret(input.challenge)}, ${input.purpose}, ${input.userId},
      ${input.enrollmentSessionId ?? null}, ${input.at}, ${new Date(input.at.getTime() + CHALLENGE_TTL)})`;
  await purgeExpiredChallenges(db, input.at);
}

/**
 * Marks the challenge used, if it is one we issued for this enrollment session (or this person, for
 * `account_registration`), still fresh and unused. Exactly one caller can ever succeed for a given
 * challenge.
 */
/** What a registration challenge was issued for: an enrollment session, or a person's /account. */
export type ChallengeScope =
  | { purpose: 'registration'; enrollmentSessionId: string }
  | { purpose: 'account_registration'; userId: string };

export async function consumeChallenge(
  db: Db,
  input: { challenge: string; at: Date } & ChallengeScope,
): Promise<boolean> {
  const scope =
    input.purpose === 'registration'
      ? Prisma.sql`"enrollmentSessionId" = ${input.enrollmentSessionId}`
      : Prisma.sql`"userId" = ${input.userId} AND "enrollmentSessionId" IS NULL`;
  const consumed = await db.$executeRaw`
    UPDATE "WebAuthnChallenge" SET "consumedAt" = ${input.at}
    WHERE "challengeHash" = ${hashSecret(input.challenge)} AND "purpose" = ${input.purpose}
      AND "consumedAt" IS NULL AND "expiresAt" > ${input.at} AND ${scope}`;
  return consumed === 1;
}

/** Whether a sign-in challenge was spent already (one lookup on the unique hash). */
export async function challengeSpent(db: Db, challenge: string): Promise<boolean> {
  const found = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "WebAuthnChallenge" WHERE "challengeHash" = ${hashSecret(challenge)}`;
  return found.length > 0;
}

/**
 * Records a sign-in challenge as spent, in the transaction that completes the sign-in. The unique
 * index on challengeHash lets exactly one spend commit, on any number of app instances; any other
 * fails with a unique violation on `challengeHash` and its transaction rolls back. The row lives as
 * long as the challenge could be accepted, so an expired challenge's row may go.
 */
export async function spendSignInChallenge(
  tx: Tx,
  input: { challenge: string; expiresAt: Date; at: Date },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "WebAuthnChallenge"
      ("id", "challengeHash", "purpose", "createdAt", "expiresAt", "consumedAt")
    VALUES (${crypto.randomUUID()}, ${hashSecret(input.challenge)}, 'authentication', ${input.at},
      ${input.expiresAt}, ${input.at})`;
  await purgeExpiredChallenges(tx, input.at);
}

/**
 * Expired challenges are never accepted again, so their rows can go — one TTL late, so that an app
 * instance whose clock runs behind still finds a spent challenge it would consider fresh.
 */
async function purgeExpiredChallenges(client: DbOrTx, at: Date): Promise<void> {
  // Raw: it runs with every challenge stored or spent, and a Prisma model query costs about five
  // times the CPU of the same statement sent raw (lib/audit/append.ts).
  await client.$executeRaw`
    DELETE FROM "WebAuthnChallenge" WHERE "expiresAt" < ${new Date(at.getTime() - CHALLENGE_TTL)}`;
}
