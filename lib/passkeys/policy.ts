import 'server-only';
import { z } from 'zod';
import { type Actor, actorLabel, type RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { type Db, type DbOrTx, writeTransaction } from '@/lib/db';
import {
  metadataDescriptions,
  metadataSummary,
  type MetadataSummary,
} from '@/lib/passkeys/metadata';
import { providerName } from '@/lib/passkeys/providers';

// The passkey policy IT sets (README "Passkey policy"): which authenticators (by AAGUID) are accepted,
// whether synced passkeys are, and whether the authenticator must prove its model with an attestation
// that chains to the imported FIDO metadata. One row; checked for every new passkey in one place,
// `policyRefusal`, called by acceptNewPasskey (lib/passkeys/registration.ts) for enrollment and for
// backups on /account alike.
//
// Without verified attestation, the AAGUID and the backup flags are the authenticator's own claim: a
// modified or software authenticator can claim any AAGUID and "not backed up". Allow/block lists and
// "device-bound only" steer honest authenticators and people; only "attestation required" proves it.

const POLICY_ID = 'current';

const Aaguid = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'Expected an AAGUID such as 08987058-cadc-4b81-b6e1-30de50dcbe96',
  );

export const PasskeyPolicyInput = z
  .object({
    /** any: every AAGUID; allow: only those listed; block: all but those listed. */
    aaguidMode: z.enum(['any', 'allow', 'block']),
    aaguids: z.array(Aaguid).max(200, 'At most 200 AAGUIDs'),
    deviceBoundOnly: z.boolean(),
    attestationRequired: z.boolean(),
  })
  .strict()
  .refine((input) => input.aaguidMode !== 'allow' || input.aaguids.length > 0, {
    path: ['aaguids'],
    message: 'An allow-list needs at least one AAGUID (an empty one would refuse every passkey)',
  });
export type PasskeyPolicy = z.output<typeof PasskeyPolicyInput>;

/** No row yet: every passkey that passes the WebAuthn checks is accepted. */
export const OPEN_POLICY: PasskeyPolicy = {
  aaguidMode: 'any',
  aaguids: [],
  deviceBoundOnly: false,
  attestationRequired: false,
};

export async function currentPasskeyPolicy(db: DbOrTx): Promise<PasskeyPolicy> {
  // Raw: read twice per enrollment (options, verify); a Prisma model query costs about five times
  // the CPU of the same statement sent raw (lib/audit/append.ts). SQLite returns booleans as 0/1.
  const [row] = await db.$queryRaw<
    {
      aaguidMode: string;
      aaguids: string;
      deviceBoundOnly: unknown;
      attestationRequired: unknown;
    }[]
  >`
    SELECT "aaguidMode", "aaguids", "deviceBoundOnly", "attestationRequired"
    FROM "PasskeyPolicy" WHERE "id" = ${POLICY_ID}`;
  if (!row) return OPEN_POLICY;
  return {
    aaguidMode: row.aaguidMode as PasskeyPolicy['aaguidMode'],
    aaguids: JSON.parse(row.aaguids) as string[],
    deviceBoundOnly: Boolean(Number(row.deviceBoundOnly)),
    attestationRequired: Boolean(Number(row.attestationRequired)),
  };
}

export type SetPolicyResult =
  | { ok: true; before: PasskeyPolicy; after: PasskeyPolicy; changed: boolean }
  | { ok: false; reason: 'no_metadata'; message: string };

/**
 * Replaces the policy, audited with before and after in the same transaction. Requiring attestation
 * needs imported FIDO metadata first: without it every new passkey would be refused.
 */
export async function setPasskeyPolicy(
  db: Db,
  policy: PasskeyPolicy,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<SetPolicyResult> {
  const after = PasskeyPolicyInput.parse(policy);
  after.aaguids = [...new Set(after.aaguids)].sort();
  return writeTransaction(db, async (tx) => {
    if (after.attestationRequired && (await tx.metadataBlob.count()) === 0) {
      return {
        ok: false as const,
        reason: 'no_metadata' as const,
        message:
          'Import FIDO metadata first (firstkey policy mds import blob.jwt, with the BLOB from https://mds3.fidoalliance.org/): without it every passkey would be refused.',
      };
    }
    const before = await currentPasskeyPolicy(tx);
    const changed = JSON.stringify(before) !== JSON.stringify(after);
    const row = {
      aaguidMode: after.aaguidMode,
      aaguids: JSON.stringify(after.aaguids),
      deviceBoundOnly: after.deviceBoundOnly,
      attestationRequired: after.attestationRequired,
      updatedAt: context.at,
      updatedBy: actorLabel(context.actor),
    };
    if (changed) {
      await tx.passkeyPolicy.upsert({
        where: { id: POLICY_ID },
        create: { id: POLICY_ID, ...row },
        update: row,
      });
      await appendAudit(tx, {
        at: context.at,
        actor: context.actor,
        action: 'passkey_policy_changed',
        subject: { type: 'passkey_policy', id: POLICY_ID },
        request: context.request,
        details: { before: JSON.stringify(before), after: JSON.stringify(after) },
      });
    }
    return { ok: true as const, before, after, changed };
  });
}

/** What a new passkey tells about itself, once its registration has verified. */
export type NewCredentialFacts = {
  aaguid: string;
  /** WebAuthn's BE flag: the passkey may be copied to other devices (a synced passkey). */
  backupEligible: boolean;
  /**
   * The attestation format and whether it carried a certificate chain. With attestation required and
   * metadata for the AAGUID, SimpleWebAuthn verified that chain against the statement's roots
   * (strict mode) before this is asked.
   */
  attestation: { fmt: string; chain: boolean };
  /** Imported metadata of its AAGUID, when attestation is required (null: the BLOB has none). */
  metadata: { description: string; refusedStatus: string | null } | null;
};

export type PolicyRule =
  | 'aaguid_not_allowed'
  | 'aaguid_blocked'
  | 'synced'
  | 'attestation_missing'
  | 'not_in_metadata'
  | 'authenticator_compromised';

export type PolicyRefusal = { rule: PolicyRule; message: string };

/** What the hire can do instead, in plain words: the end of every refusal. */
const INSTEAD =
  'Use this laptop\u2019s built-in passkey (Windows Hello on Windows, Touch ID on a Mac) or a security key IT gave you, then try again.';

/**
 * The one place the policy is applied to a new passkey. Null: accepted. The message is for the
 * person who made the passkey: what was refused, in their words, and what to use instead.
 */
export function policyRefusal(
  policy: PasskeyPolicy,
  credential: NewCredentialFacts,
  names: { provider: string | null; allowed: string[] },
): PolicyRefusal | null {
  const aaguid = credential.aaguid.toLowerCase();
  const what = names.provider ? `a passkey saved in ${names.provider}` : 'this kind of passkey';
  if (policy.attestationRequired) {
    if (!credential.attestation.chain)
      return {
        rule: 'attestation_missing',
        message: `Your company accepts only passkeys whose device can prove its make and model, and ${what} did not. If your browser asks whether to share your security key\u2019s make and model, allow it. ${INSTEAD}`,
      };
    if (!credential.metadata)
      return {
        rule: 'not_in_metadata',
        message: `Your company accepts only certified passkey devices, and ${what} is not one of them. ${INSTEAD}`,
      };
    if (credential.metadata.refusedStatus)
      return {
        rule: 'authenticator_compromised',
        message: `This device (${credential.metadata.description}) has a known security problem, so your company no longer accepts it. ${INSTEAD}`,
      };
  }
  if (policy.aaguidMode === 'allow' && !policy.aaguids.includes(aaguid))
    return {
      rule: 'aaguid_not_allowed',
      message: `Your company does not accept ${what}.${names.allowed.length > 0 ? ` It accepts passkeys from ${names.allowed.join(', ')}.` : ''} ${INSTEAD}`,
    };
  if (policy.aaguidMode === 'block' && policy.aaguids.includes(aaguid))
    return {
      rule: 'aaguid_blocked',
      message: `Your company does not accept ${what}. ${INSTEAD}`,
    };
  if (policy.deviceBoundOnly && credential.backupEligible)
    return {
      rule: 'synced',
      message: `${names.provider ? `${names.provider} copies passkeys` : 'This passkey would be copied'} to your other devices, and your company accepts only passkeys that stay on one device. Don\u2019t save it in a password manager or phone. ${INSTEAD}`,
    };
  return null;
}

/** A provider's name for people: the known-providers table, else the FIDO metadata's description. */
export async function aaguidNames(
  db: Db,
  aaguids: readonly string[],
): Promise<Map<string, string | null>> {
  const described = await metadataDescriptions(db, aaguids);
  return new Map(
    aaguids.map((aaguid) => [aaguid, providerName(aaguid) ?? described.get(aaguid) ?? null]),
  );
}

export type PasskeyPolicyView = {
  policy: PasskeyPolicy;
  /** The listed AAGUIDs with the provider's name where known. */
  listed: { aaguid: string; name: string | null }[];
  updatedAt: Date | null;
  updatedBy: string | null;
  metadata: MetadataSummary;
};

/** The policy as the console and `firstkey policy show` present it. */
export async function passkeyPolicyView(db: Db, at: Date): Promise<PasskeyPolicyView> {
  const [policy, row, metadata] = await Promise.all([
    currentPasskeyPolicy(db),
    db.passkeyPolicy.findUnique({ where: { id: POLICY_ID } }),
    metadataSummary(db, at),
  ]);
  const names = await aaguidNames(db, policy.aaguids);
  return {
    policy,
    listed: policy.aaguids.map((aaguid) => ({ aaguid, name: names.get(aaguid) ?? null })),
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
    metadata,
  };
}

export type PolicyRefusalEvent = {
  at: Date;
  employeeId: string | null;
  name: string | null;
  aaguid: string;
  provider: string | null;
  rule: string;
};

/** New passkeys the policy refused lately, newest first (the console's policy page). */
export async function recentPolicyRefusals(
  db: Db,
  at: Date,
  options: { days: number; limit: number } = { days: 7, limit: 50 },
): Promise<PolicyRefusalEvent[]> {
  const events = await db.auditEvent.findMany({
    where: {
      action: 'passkey_policy_refused',
      at: { gt: new Date(at.getTime() - options.days * 86_400_000) },
    },
    orderBy: { seq: 'desc' },
    take: options.limit,
    select: { at: true, userId: true, details: true },
  });
  const users = await db.user.findMany({
    where: { id: { in: events.flatMap((event) => (event.userId ? [event.userId] : [])) } },
    select: { id: true, employeeId: true, name: true },
  });
  const byId = new Map(users.map((user) => [user.id, user]));
  return events.map((event) => {
    const details = JSON.parse(event.details) as {
      aaguid?: string;
      provider?: string | null;
      rule?: string;
    };
    const user = event.userId ? byId.get(event.userId) : undefined;
    return {
      at: event.at,
      employeeId: user?.employeeId ?? null,
      name: user?.name ?? null,
      aaguid: details.aaguid ?? '',
      provider: details.provider ?? null,
      rule: details.rule ?? '',
    };
  });
}
