import { plainRegistrationRefusal } from '@/lib/passkeys/plain-refusal';
import 'server-only';
import crypto from 'node:crypto';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  convertAAGUIDToString,
  decodeAttestationObject,
  isoBase64URL,
  parseAuthenticatorData,
} from '@simplewebauthn/server/helpers';
import { type Db, type Tx, writeTransaction } from '@/lib/db';
import { Rollback } from '@/lib/db/rollback';
import type { AuditAction } from '@/lib/audit/actions';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { uniqueViolation } from '@/lib/db/errors';
import { CEREMONY_TIMEOUT } from '@/lib/enrollment/policy';
import type { ActiveEnrollmentSession } from '@/lib/enrollment/session';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';
import { consumeChallenge, storeChallenge, type ChallengeScope } from '@/lib/passkeys/challenges';
import { embeddingProblem, readClientData, type ClientData } from '@/lib/passkeys/client-data';
import { metadataFor, withMetadataStatement } from '@/lib/passkeys/metadata';
import { aaguidNames, currentPasskeyPolicy, policyRefusal } from '@/lib/passkeys/policy';
import { providerName } from '@/lib/passkeys/providers';
import type { RelyingParty } from '@/lib/passkeys/relying-party';

/**
 * WebAuthn L3 §7.1 step 25: a credential ID is at most 1023 bytes. A longer one is malformed, and it
 * would bloat the passkey table and every excludeCredentials list sent afterwards.
 */
const MAX_CREDENTIAL_ID_BYTES = 1023;

/**
 * Registration options for a person (DESIGN.md "Passkey registration"): user verification and a
 * discoverable credential required, their existing passkeys excluded so the same authenticator is
 * not registered twice. The caller stores the challenge, bound to what it belongs to.
 */
export async function registrationOptionsFor(
  db: Db,
  user: { id: string; email: string; name: string },
  context: { rp: RelyingParty },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  // Raw: it runs on every enrollment (lib/audit/append.ts: a model query costs ~5× the CPU).
  const existing = await db.$queryRaw<{ credentialId: string; transports: string }[]>`
    SELECT "credentialId", "transports" FROM "Passkey"
    WHERE "userId" = ${user.id} AND "revokedAt" IS NULL`;
  return generateRegistrationOptions({
    rpName: 'Firstkey',
    rpID: context.rp.rpId,
    // The user handle is the opaque user id, never the email (WebAuthn L3 §14.6.1: no PII in it).
    userID: new TextEncoder().encode(user.id),
    userName: user.email,
    userDisplayName: user.name,
    timeout: CEREMONY_TIMEOUT,
    // The passkey policy may require the authenticator to prove its model (lib/passkeys/policy.ts).
    attestationType: (await currentPasskeyPolicy(db)).attestationRequired ? 'direct' : 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: JSON.parse(passkey.transports) as never,
    })),
  });
}

/** Registration options for the hire of an open enrollment session. */
export async function passkeyRegistrationOptions(
  db: Db,
  session: ActiveEnrollmentSession,
  context: { rp: RelyingParty; at: Date },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await registrationOptionsFor(
    db,
    { id: session.userId, email: session.user.email, name: session.user.name },
    context,
  );
  await storeChallenge(db, {
    challenge: options.challenge,
    purpose: 'registration',
    userId: session.userId,
    enrollmentSessionId: session.id,
    at: context.at,
  });
  return options;
}

export type VerifiedCredential = {
  credentialId: string;
  publicKey: Buffer<ArrayBuffer>;
  counter: number;
  transports: string;
  aaguid: string;
  deviceType: string;
  backedUp: boolean;
  userVerified: boolean;
  /** The attestation format, and whether it carried a certificate chain (x5c) that was verified. */
  attestation: { fmt: string; chain: boolean };
};

/**
 * Formats whose certificate chain SimpleWebAuthn checks against the metadata statement it is given
 * (packed with x5c, TPM, Android Key). Others (none, self attestation, apple, fido-u2f…) prove no
 * model to the passkey policy.
 */
const METADATA_CHECKED_FORMATS: ReadonlySet<string> = new Set(['packed', 'tpm', 'android-key']);

/** The AAGUID the authenticator claims, read before verification to find its metadata statement. */
function claimedAaguid(response: RegistrationResponseJSON): string | null {
  try {
    const attestation = decodeAttestationObject(
      isoBase64URL.toBuffer(response.response.attestationObject),
    );
    const { aaguid } = parseAuthenticatorData(attestation.get('authData'));
    return aaguid ? convertAAGUIDToString(aaguid) : null;
  } catch {
    return null;
  }
}

/**
 * The checks every new passkey passes, whatever asked for it, once its challenge has been consumed:
 * not made inside another site's frame (crossOrigin/topOrigin), a valid attestation for our origin and
 * rpID with user verification, and a credential ID of sane length.
 */
async function verifyNewCredential(
  response: RegistrationResponseJSON,
  clientData: ClientData,
  rp: RelyingParty,
): Promise<{ ok: true; credential: VerifiedCredential } | { ok: false; message: string }> {
  const embedded = embeddingProblem(clientData);
  if (embedded) return { ok: false, message: embedded };
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: clientData.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
    });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (!verification.verified)
    return { ok: false, message: 'The passkey response could not be verified' };
  const info = verification.registrationInfo;
  const credentialIdBytes = Buffer.from(info.credential.id, 'base64url').length;
  const attestationStatement = decodeAttestationObject(info.attestationObject).get('attStmt');
  if (credentialIdBytes > MAX_CREDENTIAL_ID_BYTES) {
    return {
      ok: false,
      message: `Credential ID of ${credentialIdBytes} bytes, expected at most ${MAX_CREDENTIAL_ID_BYTES}`,
    };
  }
  return {
    ok: true,
    credential: {
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: JSON.stringify(info.credential.transports ?? []),
      aaguid: info.aaguid,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      userVerified: info.userVerified,
      attestation: {
        fmt: info.fmt,
        chain: METADATA_CHECKED_FORMATS.has(info.fmt) && Boolean(attestationStatement.get('x5c')),
      },
    },
  };
}

export type RegisteredPasskey = {
  id: string;
  provider: string | null;
  deviceType: string;
  backedUp: boolean;
  createdAt: Date;
};

export type PasskeyRegistrationResult =
  | { ok: true; passkey: RegisteredPasskey }
  | {
      ok: false;
      reason: NewPasskeyRefusal | 'session_ended';
      message: string;
    };

export type NewPasskeyRefusal =
  'challenge_invalid' | 'verification_failed' | 'credential_exists' | 'passkey_not_allowed';

/** What a new passkey is stored as, before the caller's own steps run in the same transaction. */
export type NewPasskeyRow = Awaited<ReturnType<Tx['passkey']['create']>>;

/**
 * One raw INSERT of every column: each enrollment stores a passkey, and a Prisma model query costs
 * about five times the CPU of the statement (lib/audit/append.ts). A credential ID that is already
 * registered fails on its unique index as the model query did (uniqueViolation reads both errors).
 */
async function insertPasskey(tx: Tx, row: NewPasskeyRow): Promise<NewPasskeyRow> {
  await tx.$executeRaw`
    INSERT INTO "Passkey" ("id", "userId", "credentialId", "publicKey", "counter", "transports",
      "aaguid", "deviceType", "backedUp", "name", "createdAt", "lastUsedAt", "revokedAt",
      "revokedReason", "bridgeTokenId")
    VALUES (${row.id}, ${row.userId}, ${row.credentialId}, ${row.publicKey}, ${row.counter},
      ${row.transports}, ${row.aaguid}, ${row.deviceType}, ${row.backedUp}, ${row.name},
      ${row.createdAt}, ${row.lastUsedAt}, ${row.revokedAt}, ${row.revokedReason},
      ${row.bridgeTokenId})`;
  return row;
}

/**
 * The steps every new passkey goes through, whoever adds it (enrollment, a backup on /account): spend
 * the challenge issued for this ceremony, verify the credential (verifyNewCredential: user
 * verification, origin, no framing, credential-ID length), store it, then the caller's own steps
 * (`then`) in the same transaction. Every refusal is audited (`failure`) and stores nothing; `then`
 * may roll everything back with a Rollback (lib/db/rollback.ts), which is audited the same way.
 */
export async function acceptNewPasskey<T, R extends string = never>(
  db: Db,
  response: RegistrationResponseJSON,
  ceremony: {
    userId: string;
    rp: RelyingParty;
    at: Date;
    request?: RequestContext;
    challenge: ChallengeScope;
    failure: { action: AuditAction; subject: { type: string; id: string } };
    challengeMessage: string;
    row?: { bridgeTokenId: string };
    then: (tx: Tx, passkey: NewPasskeyRow, userVerified: boolean) => Promise<T>;
  },
): Promise<{ ok: true; value: T } | { ok: false; reason: NewPasskeyRefusal | R; message: string }> {
  const { at, request, rp, userId } = ceremony;
  const refuse = async (
    reason: NewPasskeyRefusal | R,
    message: string,
    audit: { action: AuditAction; details: Record<string, string | boolean | null> } = {
      action: ceremony.failure.action,
      details: {},
    },
  ) => {
    await writeTransaction(db, async (tx) =>
      appendAudit(tx, {
        at,
        actor: { type: 'user', id: userId },
        action: audit.action,
        subject: ceremony.failure.subject,
        userId,
        request,
        result: audit.action === 'passkey_policy_refused' ? 'denied' : 'failed',
        details: { reason, message, ...audit.details },
      }),
    );
    return { ok: false as const, reason, message };
  };

  const clientData = readClientData(response.response.clientDataJSON);
  if (
    !clientData ||
    !(await consumeChallenge(db, { ...ceremony.challenge, challenge: clientData.challenge, at }))
  ) {
    return refuse('challenge_invalid', ceremony.challengeMessage);
  }
  // The passkey policy (lib/passkeys/policy.ts): when attestation is required, the library verifies
  // the attestation against the imported metadata statement of the AAGUID the authenticator claims.
  const policy = await currentPasskeyPolicy(db);
  const claimed = policy.attestationRequired ? claimedAaguid(response) : null;
  const metadata = claimed ? await metadataFor(db, claimed) : null;
  const verified = await withMetadataStatement(metadata?.statement ?? null, () =>
    verifyNewCredential(response, clientData, rp),
  );
  if (!verified.ok) {
    // The audit keeps what the verifier saw; the person gets a plain sentence (plain-refusal.ts).
    const refused = await refuse('verification_failed', verified.message);
    return { ...refused, message: plainRegistrationRefusal(verified.message) };
  }
  const { userVerified, attestation, ...credential } = verified.credential;
  const names = await aaguidNames(db, [credential.aaguid, ...policy.aaguids]);
  const refused = policyRefusal(
    policy,
    {
      aaguid: credential.aaguid,
      backupEligible: credential.deviceType === 'multiDevice',
      attestation,
      metadata: metadata && {
        description: metadata.description,
        refusedStatus: metadata.refusedStatus,
      },
    },
    {
      provider: names.get(credential.aaguid) ?? null,
      allowed: policy.aaguids.flatMap((aaguid) => names.get(aaguid) ?? []),
    },
  );
  if (refused) {
    return refuse('passkey_not_allowed', refused.message, {
      action: 'passkey_policy_refused',
      details: {
        rule: refused.rule,
        aaguid: credential.aaguid,
        provider: names.get(credential.aaguid) ?? null,
        backupEligible: credential.deviceType === 'multiDevice',
        attestation: attestation.fmt,
        metadataStatus: metadata?.refusedStatus ?? null,
      },
    });
  }
  try {
    const value = await writeTransaction(db, async (tx) => {
      const passkey = await insertPasskey(tx, {
        id: crypto.randomUUID(),
        userId,
        ...credential,
        name: providerName(credential.aaguid),
        createdAt: at,
        lastUsedAt: null,
        revokedAt: null,
        revokedReason: null,
        bridgeTokenId: ceremony.row?.bridgeTokenId ?? null,
      });
      return ceremony.then(tx, passkey, userVerified);
    });
    return { ok: true, value };
  } catch (error) {
    if (error instanceof Rollback) return refuse(error.reason as R, error.message);
    if (uniqueViolation(error) === 'credentialId')
      return refuse('credential_exists', 'This passkey is already registered');
    throw error;
  }
}

/**
 * Verifies the browser's registration response, stores the passkey, ends the enrollment session and
 * marks the hire enrolled — one transaction. A failure leaves the session open for another try.
 */
export async function registerPasskey(
  db: Db,
  session: ActiveEnrollmentSession,
  response: RegistrationResponseJSON,
  context: { rp: RelyingParty; at: Date; request: RequestContext },
): Promise<PasskeyRegistrationResult> {
  const { at, request } = context;
  const actor = { type: 'user', id: session.userId } as const;
  const accepted = await acceptNewPasskey<RegisteredPasskey, 'session_ended'>(db, response, {
    ...context,
    userId: session.userId,
    challenge: { purpose: 'registration', enrollmentSessionId: session.id },
    challengeMessage:
      'This passkey prompt is no longer valid (used, expired or from another session). Start again.',
    failure: {
      action: 'passkey_registration_failed',
      subject: { type: 'enrollment_session', id: session.id },
    },
    row: { bridgeTokenId: session.bridgeTokenId },
    then: async (tx, created, userVerified) => {
      // Conditional: if the session was ended meanwhile (a leaver, a revoke), nothing is registered.
      const ended = await tx.$executeRaw`
        UPDATE "EnrollmentSession" SET "endedAt" = ${at}
        WHERE "id" = ${session.id} AND "endedAt" IS NULL AND "expiresAt" > ${at}`;
      if (ended !== 1)
        throw new Rollback(
          'session_ended',
          'The enrollment was closed while the passkey was being saved',
        );
      await appendAudit(tx, {
        at,
        actor,
        action: 'passkey_registered',
        subject: { type: 'passkey', id: created.id },
        userId: session.userId,
        request,
        details: {
          aaguid: created.aaguid,
          provider: created.name,
          deviceType: created.deviceType,
          backedUp: created.backedUp,
          userVerified,
          linkPurpose: session.bridgeToken.purpose,
        },
      });
      await applyEnrollmentEvent(tx, {
        userId: session.userId,
        event: 'passkey_registered',
        at,
        actor,
        request,
      });
      return {
        id: created.id,
        provider: created.name,
        deviceType: created.deviceType,
        backedUp: created.backedUp,
        createdAt: created.createdAt,
      };
    },
  });
  return accepted.ok ? { ok: true, passkey: accepted.value } : accepted;
}
