import en from '@/lib/i18n/messages/en.json' with { type: 'json' };
import 'server-only';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { type Db, writeTransaction } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { revokePasskeys } from '@/lib/access/revocation';
import { storeChallenge } from '@/lib/passkeys/challenges';
import { providerName } from '@/lib/passkeys/providers';
import {
  acceptNewPasskey,
  registrationOptionsFor,
  type NewPasskeyRefusal,
} from '@/lib/passkeys/registration';
import type { RelyingParty } from '@/lib/passkeys/relying-party';
import { enqueuePasskeyChange } from '@/lib/webhooks/outbox';

// A person's own passkeys (/account): list, add a backup, rename, remove. Who may call these is
// decided by lib/staff/authorize.ts (`own_passkeys.*`; adding and removing need a fresh assertion);
// every function here acts on the signed-in person's passkeys only, found by owner.

export const RenamePasskeyBody = z
  .object({
    name: z.string().trim().min(1, en.refusals.name_required).max(60, en.refusals.name_too_long),
  })
  .strict();

/** The signed-in person acting on their own passkeys (a staff session, with or without roles). */
export type Owner = { id: string; employeeId: string };

type Context = { at: Date; request?: RequestContext };

export type OwnPasskey = {
  id: string;
  /** The name the person gave it, else the provider's name from its AAGUID, else null. */
  name: string | null;
  provider: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  backedUp: boolean;
  deviceType: string;
};

export async function listOwnPasskeys(db: Db, owner: Owner): Promise<OwnPasskey[]> {
  const passkeys = await db.passkey.findMany({
    where: { userId: owner.id, revokedAt: null },
    orderBy: { createdAt: 'asc' },
  });
  return passkeys.map((passkey) => ({
    id: passkey.id,
    name: passkey.name,
    provider: providerName(passkey.aaguid),
    createdAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt,
    backedUp: passkey.backedUp,
    deviceType: passkey.deviceType,
  }));
}

/** Options to register another authenticator: the person's existing passkeys are excluded. */
export async function backupPasskeyOptions(
  db: Db,
  owner: Owner,
  context: { rp: RelyingParty; at: Date },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: owner.id },
    select: { id: true, email: true, name: true },
  });
  const options = await registrationOptionsFor(db, user, context);
  await storeChallenge(db, {
    challenge: options.challenge,
    purpose: 'account_registration',
    userId: owner.id,
    at: context.at,
  });
  return options;
}

export type AddBackupPasskeyResult =
  | { ok: true; passkey: OwnPasskey }
  | {
      ok: false;
      reason: NewPasskeyRefusal;
      message: string;
    };

/**
 * Verifies a new authenticator's registration with the same checks as enrollment, stores it, audits
 * it and queues the `person.passkey_added` webhook — one transaction.
 */
export async function addBackupPasskey(
  db: Db,
  owner: Owner,
  response: RegistrationResponseJSON,
  context: Context & { rp: RelyingParty },
): Promise<AddBackupPasskeyResult> {
  const { at, request } = context;
  const actor = { type: 'user', id: owner.id } as const;
  const accepted = await acceptNewPasskey(db, response, {
    ...context,
    userId: owner.id,
    challenge: { purpose: 'account_registration', userId: owner.id },
    challengeMessage:
      'This passkey prompt is no longer valid (used, expired or for someone else). Start again.',
    failure: { action: 'passkey_add_failed', subject: { type: 'user', id: owner.id } },
    then: async (tx, passkey, userVerified) => {
      await appendAudit(tx, {
        at,
        actor,
        action: 'passkey_added',
        subject: { type: 'passkey', id: passkey.id },
        userId: owner.id,
        request,
        details: {
          aaguid: passkey.aaguid,
          provider: passkey.name,
          deviceType: passkey.deviceType,
          backedUp: passkey.backedUp,
          userVerified,
        },
      });
      await enqueuePasskeyChange(tx, {
        type: 'person.passkey_added',
        userId: owner.id,
        employeeId: owner.employeeId,
        passkeyId: passkey.id,
        provider: passkey.name,
        at,
      });
      return passkey;
    },
  });
  if (!accepted.ok) return accepted;
  const created = accepted.value;
  return {
    ok: true,
    passkey: {
      id: created.id,
      name: created.name,
      provider: created.name,
      createdAt: created.createdAt,
      lastUsedAt: null,
      backedUp: created.backedUp,
      deviceType: created.deviceType,
    },
  };
}

export type OwnPasskeyResult =
  | { ok: true }
  | { ok: false; reason: 'unknown_passkey' | 'last_passkey' | 'last_admin'; message: string };

/** Gives one of the person's passkeys a name they recognise ("Work laptop", "YubiKey on keyring"). */
export async function renameOwnPasskey(
  db: Db,
  owner: Owner,
  input: { passkeyId: string; name: string },
  context: Context,
): Promise<OwnPasskeyResult> {
  return writeTransaction(db, async (tx) => {
    const passkey = await tx.passkey.findFirst({
      where: { id: input.passkeyId, userId: owner.id, revokedAt: null },
      select: { id: true, name: true },
    });
    if (!passkey) return unknownPasskey;
    await tx.passkey.update({ where: { id: passkey.id }, data: { name: input.name } });
    await appendAudit(tx, {
      at: context.at,
      actor: { type: 'user', id: owner.id },
      action: 'passkey_renamed',
      subject: { type: 'passkey', id: passkey.id },
      userId: owner.id,
      request: context.request,
      details: { from: passkey.name, to: input.name },
    });
    return { ok: true as const };
  });
}

/**
 * Removes one of the person's passkeys through the one revocation path (which ends their sessions:
 * the removed passkey may be on a lost phone), and queues `person.passkey_removed`. Never the last
 * one: a person without a passkey needs IT and a new link to get back in.
 */
export async function removeOwnPasskey(
  db: Db,
  owner: Owner,
  input: { passkeyId: string },
  context: Context,
): Promise<OwnPasskeyResult> {
  return writeTransaction(db, async (tx) => {
    const active = await tx.passkey.findMany({
      where: { userId: owner.id, revokedAt: null },
      select: { id: true, name: true },
    });
    const passkey = active.find((candidate) => candidate.id === input.passkeyId);
    if (!passkey) return unknownPasskey;
    if (active.length === 1)
      return {
        ok: false as const,
        reason: 'last_passkey' as const,
        message:
          'This is your only passkey. Add a backup passkey first, then remove this one; without a passkey you would need IT and a new link to get back in.',
      };
    const revoked = await revokePasskeys(tx, {
      userId: owner.id,
      passkeyIds: [passkey.id],
      at: context.at,
      actor: { type: 'user', id: owner.id },
      request: context.request,
      reason: 'Removed by its owner from their passkeys page',
    });
    if (!revoked.ok) return revoked;
    await enqueuePasskeyChange(tx, {
      type: 'person.passkey_removed',
      userId: owner.id,
      employeeId: owner.employeeId,
      passkeyId: passkey.id,
      provider: passkey.name,
      at: context.at,
    });
    return { ok: true as const };
  });
}

const unknownPasskey = {
  ok: false as const,
  reason: 'unknown_passkey' as const,
  message: 'You have no such passkey (it may have been removed already)',
};
