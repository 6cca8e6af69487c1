import 'server-only';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { type Db, writeTransaction } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { uniqueViolation } from '@/lib/db/errors';
import { CHALLENGE_TTL } from '@/lib/enrollment/policy';
import { challengeSpent, spendSignInChallenge } from '@/lib/passkeys/challenges';
import { embeddingProblem, readClientData } from '@/lib/passkeys/client-data';
import { plainAssertionRefusal } from '@/lib/passkeys/plain-refusal';
import type { RelyingParty } from '@/lib/passkeys/relying-party';
import { checkSignInChallenge, issueSignInChallenge } from '@/lib/passkeys/sign-in-challenge';

/**
 * Options for signing in with a discoverable passkey: no username, user verification required.
 * Anyone may ask, so this writes nothing: the challenge is signed, not stored.
 */
export async function passkeyAuthenticationOptions(context: {
  rp: RelyingParty;
  at: Date;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: context.rp.rpId,
    userVerification: 'required',
    timeout: CHALLENGE_TTL,
    challenge: issueSignInChallenge(context.at),
  });
}

export type AuthenticatedPasskey = {
  user: { id: string; name: string; employeeId: string; roles: string[]; sessionEpoch: number };
  passkey: { id: string; provider: string | null; deviceType: string; backedUp: boolean };
};

export type PasskeyAuthenticationResult =
  | { ok: true; signedIn: AuthenticatedPasskey }
  | {
      ok: false;
      reason: 'challenge_invalid' | 'unknown_passkey' | 'verification_failed';
      message: string;
    };

type PasskeyRow = {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number | bigint;
  transports: string;
  deviceType: string;
  name: string | null;
  revokedAt: Date | null;
  userName: string;
  userEmployeeId: string;
  userEnrollmentState: string;
  userSessionEpoch: number | bigint;
};

/**
 * The passkey and its owner in one raw statement, the owner's roles in another: every sign-in starts
 * here, and the model query with two relations cost several times the CPU (lib/audit/append.ts).
 */
async function loadPasskey(db: Db, credentialId: string) {
  const [row] = await db.$queryRaw<PasskeyRow[]>`
    SELECT p."id", p."userId", p."credentialId", p."publicKey", p."counter", p."transports",
      p."deviceType", p."name", p."revokedAt",
      u."name" AS "userName", u."employeeId" AS "userEmployeeId",
      u."enrollmentState" AS "userEnrollmentState", u."sessionEpoch" AS "userSessionEpoch"
    FROM "Passkey" p JOIN "User" u ON u."id" = p."userId"
    WHERE p."credentialId" = ${credentialId}`;
  if (!row) return null;
  const roles = await db.$queryRaw<{ role: string }[]>`
    SELECT "role" FROM "StaffRole" WHERE "userId" = ${row.userId}`;
  return {
    id: row.id,
    userId: row.userId,
    credentialId: row.credentialId,
    publicKey: row.publicKey,
    counter: Number(row.counter),
    transports: row.transports,
    deviceType: row.deviceType,
    name: row.name,
    revokedAt: row.revokedAt,
    user: {
      id: row.userId,
      name: row.userName,
      employeeId: row.userEmployeeId,
      enrollmentState: row.userEnrollmentState,
      sessionEpoch: Number(row.userSessionEpoch),
      roles,
    },
  };
}

/**
 * Verifies a passkey assertion (challenge, counter, origin, rpID, user verification) and records the
 * sign-in. Nothing is written before the signature checks out, except the audit of a failed attempt
 * on a known passkey; the challenge is spent in the transaction that records the sign-in.
 */
export async function verifyPasskeyAssertion(
  db: Db,
  response: AuthenticationResponseJSON,
  context: { rp: RelyingParty; at: Date; request: RequestContext },
): Promise<PasskeyAuthenticationResult> {
  const { at, rp, request } = context;
  const challengeInvalid = {
    ok: false,
    reason: 'challenge_invalid',
    message: 'This sign-in prompt is no longer valid (used or expired). Start again.',
  } as const;
  const clientData = readClientData(response.response.clientDataJSON);
  const challenge = clientData ? checkSignInChallenge(clientData.challenge, at) : null;
  if (!clientData || !challenge?.ok || (await challengeSpent(db, clientData.challenge)))
    return challengeInvalid;
  const passkey = await loadPasskey(db, response.id);
  if (!passkey || passkey.revokedAt || passkey.user.enrollmentState === 'offboarded') {
    return {
      ok: false,
      reason: 'unknown_passkey',
      message: 'This passkey is not (or no longer) registered with Firstkey',
    };
  }
  // The audit keeps what the verifier saw; the person gets a plain sentence (lib/passkeys/plain-refusal.ts).
  const denied = async (seen: string) => {
    await writeTransaction(db, async (tx) =>
      appendAudit(tx, {
        at,
        actor: { type: 'anonymous' },
        action: 'passkey_sign_in_failed',
        subject: { type: 'passkey', id: passkey.id },
        userId: passkey.userId,
        request,
        result: 'denied',
        details: { message: seen },
      }),
    );
    return {
      ok: false as const,
      reason: 'verification_failed' as const,
      message: plainAssertionRefusal(seen),
    };
  };
  const embedded = embeddingProblem(clientData);
  if (embedded) return denied(embedded);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: clientData.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: JSON.parse(passkey.transports) as never,
      },
    });
  } catch (error) {
    return denied((error as Error).message);
  }
  if (!verification.verified) return denied('The passkey assertion could not be verified');

  try {
    await writeTransaction(db, async (tx) => {
      await spendSignInChallenge(tx, {
        challenge: clientData.challenge,
        expiresAt: challenge.expiresAt,
        at,
      });
      await tx.$executeRaw`
        UPDATE "Passkey" SET "counter" = ${verification.authenticationInfo.newCounter},
          "lastUsedAt" = ${at}, "backedUp" = ${verification.authenticationInfo.credentialBackedUp}
        WHERE "id" = ${passkey.id}`;
      await appendAudit(tx, {
        at,
        actor: { type: 'user', id: passkey.userId },
        action: 'passkey_signed_in',
        subject: { type: 'passkey', id: passkey.id },
        userId: passkey.userId,
        request,
      });
    });
  } catch (error) {
    // Another request spent the same challenge first (a replay racing the original).
    if (uniqueViolation(error) === 'challengeHash') return challengeInvalid;
    throw error;
  }
  return {
    ok: true,
    signedIn: {
      user: {
        id: passkey.user.id,
        name: passkey.user.name,
        employeeId: passkey.user.employeeId,
        roles: passkey.user.roles.map((role) => role.role),
        sessionEpoch: passkey.user.sessionEpoch,
      },
      passkey: {
        id: passkey.id,
        provider: passkey.name,
        deviceType: passkey.deviceType,
        backedUp: verification.authenticationInfo.credentialBackedUp,
      },
    },
  };
}
