import 'server-only';
import crypto from 'node:crypto';
import { type Db, writeTransaction } from '@/lib/db';
import { appendAudit } from '@/lib/audit/append';
import { attemptLink, type LinkAttempt } from '@/lib/enrollment/link-attempt';
import type { LinkFailure } from '@/lib/enrollment/link-outcome';
import { ENROLLMENT_SESSION_TTL } from '@/lib/enrollment/policy';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';
import { hashSecret } from '@/lib/crypto';
import { newToken } from '@/lib/enrollment/token';
import { referenceOf } from '@/lib/enrollment/reference';

export type RedeemResult =
  { ok: true; sessionSecret: string; expiresAt: Date; hire: { name: string } } | LinkFailure;

/**
 * Consumes the link and opens the enrollment session, in one transaction. The consuming UPDATE is
 * conditional on the link still being open, so of any number of concurrent redemptions exactly one
 * changes a row; every other one finds it used.
 */
export async function redeemLink(db: Db, attempt: LinkAttempt): Promise<RedeemResult> {
  const checked = await attemptLink(db, attempt, 'redeem');
  if (!checked.ok) return checked;
  const { link } = checked;
  const { at, request } = attempt;
  const sessionSecret = newToken();
  const expiresAt = new Date(at.getTime() + ENROLLMENT_SESSION_TTL);

  // Raw statements for the consuming UPDATE and the session row: every enrollment passes here, and a
  // Prisma model query costs about five times the CPU of the same statement (lib/audit/append.ts).
  const won = await writeTransaction(db, async (tx) => {
    const consumed = await tx.$executeRaw`
      UPDATE "BridgeToken" SET "consumedAt" = ${at}, "openedAt" = ${link.openedAt ?? at}
      WHERE "id" = ${link.id} AND "consumedAt" IS NULL AND "revokedAt" IS NULL
        AND "expiresAt" > ${at} AND "notBefore" <= ${at}`;
    if (consumed !== 1) return false;
    const session = { id: crypto.randomUUID() };
    await tx.$executeRaw`
      INSERT INTO "EnrollmentSession"
        ("id", "secretHash", "userId", "deviceId", "bridgeTokenId", "createdAt", "expiresAt")
      VALUES (${session.id}, ${hashSecret(sessionSecret)}, ${link.userId}, ${link.deviceId},
        ${link.id}, ${at}, ${expiresAt})`;
    const actor = { type: 'user', id: link.userId } as const;
    await appendAudit(tx, {
      at,
      actor,
      action: 'link_redeemed',
      subject: { type: 'enrollment_session', id: session.id },
      userId: link.userId,
      request,
      details: {
        linkId: link.id,
        purpose: link.purpose,
        sessionExpiresAt: expiresAt.toISOString(),
      },
    });
    await applyEnrollmentEvent(tx, {
      userId: link.userId,
      event: 'link_redeemed',
      at,
      actor,
      request,
    });
    return true;
  });

  if (!won) return { ok: false, reason: 'used', reference: referenceOf(link.id) };
  return { ok: true, sessionSecret, expiresAt, hire: { name: link.user.name } };
}
