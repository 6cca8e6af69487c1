import 'server-only';
import { z } from 'zod';
import { actorLabel, type Actor, type RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { constantTimeEqual, hashSecret, newSecret } from '@/lib/crypto';
import { type Db, writeTransaction } from '@/lib/db';
import {
  SCIM_LAST_USED_RESOLUTION_MS,
  SCIM_TOKEN_BYTES,
  SCIM_TOKEN_PREFIX,
} from '@/lib/scim/policy';

// SCIM connections: one per provisioning client (an Okta app, an Entra enterprise app). IT creates
// one and gets its bearer token once; Firstkey keeps only the token's SHA-256, looked up by that hash
// (an indexed equality on a value nobody can choose to collide) and compared in constant time.
// A revoked connection's token is refused from the next request on.

export const ScimConnectionInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'A name is required (e.g. "Okta" or "Entra ID")')
      .max(100, 'A name is at most 100 characters'),
  })
  .strict();

export type CreatedScimConnection = { id: string; name: string; token: string; createdAt: Date };

export async function createScimConnection(
  db: Db,
  input: z.output<typeof ScimConnectionInput>,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<CreatedScimConnection> {
  const token = `${SCIM_TOKEN_PREFIX}${newSecret(SCIM_TOKEN_BYTES)}`;
  const row = await writeTransaction(db, async (tx) => {
    const created = await tx.scimConnection.create({
      data: {
        name: input.name,
        tokenHash: hashSecret(token),
        createdAt: context.at,
        createdBy: actorLabel(context.actor),
      },
    });
    await appendAudit(tx, {
      at: context.at,
      actor: context.actor,
      action: 'scim_connection_created',
      subject: { type: 'scim_connection', id: created.id },
      request: context.request,
      details: { name: input.name },
    });
    return created;
  });
  return { id: row.id, name: row.name, token, createdAt: row.createdAt };
}

export type ScimConnectionSummary = {
  id: string;
  name: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Every connection, newest first, for the console and the CLI (never the token's hash). */
export async function listScimConnections(db: Db): Promise<ScimConnectionSummary[]> {
  return db.scimConnection.findMany({
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      name: true,
      createdAt: true,
      createdBy: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
}

export type RevokeScimConnectionResult =
  | { ok: true; connection: ScimConnectionSummary }
  | { ok: false; reason: 'unknown' | 'already_revoked'; message: string };

export async function revokeScimConnection(
  db: Db,
  id: string,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<RevokeScimConnectionResult> {
  return writeTransaction(db, async (tx) => {
    const existing = await tx.scimConnection.findUnique({ where: { id } });
    if (!existing)
      return {
        ok: false as const,
        reason: 'unknown' as const,
        message: `No SCIM connection "${id}"`,
      };
    const revoked = await tx.scimConnection.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: context.at, revokedBy: actorLabel(context.actor) },
    });
    if (revoked.count === 0)
      return {
        ok: false as const,
        reason: 'already_revoked' as const,
        message: `The SCIM connection "${existing.name}" was already revoked`,
      };
    await appendAudit(tx, {
      at: context.at,
      actor: context.actor,
      action: 'scim_connection_revoked',
      subject: { type: 'scim_connection', id },
      request: context.request,
      details: { name: existing.name },
    });
    const connection: ScimConnectionSummary = {
      id: existing.id,
      name: existing.name,
      createdAt: existing.createdAt,
      createdBy: existing.createdBy,
      lastUsedAt: existing.lastUsedAt,
      revokedAt: context.at,
    };
    return { ok: true as const, connection };
  });
}

/** The connection a request's `Authorization: Bearer <token>` names, or null (RFC 6750 §2.1). */
export async function authenticateScim(
  db: Db,
  authorization: string | null,
): Promise<{ id: string; name: string; lastUsedAt: Date | null } | null> {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(authorization ?? '');
  if (!match) return null;
  const hash = hashSecret(match[1]!);
  const row = await db.scimConnection.findUnique({ where: { tokenHash: hash } });
  if (!row || row.revokedAt || !constantTimeEqual(row.tokenHash, hash)) return null;
  return { id: row.id, name: row.name, lastUsedAt: row.lastUsedAt };
}

/**
 * Records that a connection was used, for the console: after an accepted request only (a refused
 * one writes nothing), and at most once a minute.
 */
export async function recordScimUse(
  db: Db,
  connection: { id: string; lastUsedAt: Date | null },
  at: Date,
): Promise<void> {
  const last = connection.lastUsedAt;
  if (last && at.getTime() - last.getTime() < SCIM_LAST_USED_RESOLUTION_MS) return;
  // Bookkeeping, not a state change: no audit event; conditional, so concurrent requests write once.
  await db.scimConnection.updateMany({
    where: { id: connection.id, revokedAt: null, lastUsedAt: last },
    data: { lastUsedAt: at },
  });
}
