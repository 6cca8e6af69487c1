import 'server-only';
import crypto from 'node:crypto';
import type { Tx } from '@/lib/db';
import { insertRows } from '@/lib/db/insert-rows';
import type { AuditAction } from '@/lib/audit/actions';
import type { Actor, RequestContext } from '@/lib/audit/actor';

export type AuditResult = 'ok' | 'denied' | 'failed';

export type AuditInput = {
  at: Date;
  actor: Actor;
  action: AuditAction;
  subject?: { type: string; id: string };
  /** The hire this event belongs to (their timeline). */
  userId?: string;
  request?: RequestContext;
  result?: AuditResult;
  details?: Record<string, string | number | boolean | null>;
};

/** Details must never hold a credential: a key of one of these names is a bug, caught loudly. */
const FORBIDDEN_DETAIL_KEYS = /token|challenge|secret|private|password|credentialpublickey|cookie/i;

export type ChainedRow = {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  result: string;
  details: string;
  prevHash: string;
};

/** SHA-256 over the row's fields in a fixed order, including the previous row's hash. */
export function hashAuditRow(row: ChainedRow): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at.toISOString(),
    row.actorType,
    row.actorId,
    row.action,
    row.subjectType,
    row.subjectId,
    row.userId,
    row.ip,
    row.userAgent,
    row.result,
    row.details,
    row.prevHash,
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one event to the hash chain inside the caller's transaction, so the event exists exactly
 * when the change it describes does. Bumping the head row first takes the write lock (SQLite) or the
 * row lock (PostgreSQL), so concurrent appenders line up instead of forking the chain.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  await appendAuditEvents(tx, [input]);
}

/**
 * Appends events in the given order, chained exactly as one appendAudit call each would chain them,
 * but with one head bump and multi-row inserts: a 10,000-row CSV import writes its 10,000 events in
 * 22 statements instead of 30,000.
 */
export async function appendAuditEvents(tx: Tx, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  for (const input of inputs) {
    const forbidden = Object.keys(input.details ?? {}).find((key) =>
      FORBIDDEN_DETAIL_KEYS.test(key),
    );
    if (forbidden)
      throw new Error(
        `Audit details must not carry secrets; got key "${forbidden}" on ${input.action}`,
      );
  }
  // Raw statements for the head, as for the rows (lib/db/insert-rows.ts): every state change passes
  // here, and a Prisma model query costs about five times the CPU of the same statement sent raw.
  const [head] = await tx.$queryRaw<{ seq: number | bigint; hash: string }[]>`
    UPDATE "AuditHead" SET "seq" = "seq" + ${inputs.length} WHERE "id" = 1 RETURNING "seq", "hash"`;
  if (!head) throw new Error('The audit head row is missing: run the migrations');
  let prevHash = head.hash;
  const headSeq = Number(head.seq);
  const rows = inputs.map((input, index) => {
    const row: ChainedRow = {
      seq: headSeq - inputs.length + 1 + index,
      at: input.at,
      actorType: input.actor.type,
      actorId: 'id' in input.actor ? input.actor.id : null,
      action: input.action,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      userId: input.userId ?? null,
      ip: input.request?.ip ?? null,
      userAgent: input.request?.userAgent?.slice(0, 400) ?? null,
      result: input.result ?? 'ok',
      details: JSON.stringify(input.details ?? {}),
      prevHash,
    };
    prevHash = hashAuditRow(row);
    return { ...row, hash: prevHash };
  });
  await insertRows(tx, 'AuditEvent', rows);
  await tx.$executeRaw`UPDATE "AuditHead" SET "hash" = ${prevHash} WHERE "id" = 1`;
}
