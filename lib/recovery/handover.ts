import 'server-only';
import { writeTransaction, type Db, type Tx } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { IssuedLink } from '@/lib/enrollment/issue-link';
import type { Staff } from '@/lib/staff/session';
import { seal, unseal } from '@/lib/webhooks/seal';

// Who hands over an approved recovery link (DESIGN.md "Contracts": recovery). With an MDM push
// configured, issueLink has already queued it for the laptop. Otherwise it waits, sealed with the
// outbox key, for the IT member who asked — independent of the approver by the two-person rule, so
// the approver (a manager, say) never holds a link they could use. Shown once, then deleted.

export type Handover =
  | { to: 'mdm'; deviceSerial: string }
  | { to: 'requester'; requester: string; deviceSerial: string; expiresAt: Date };

/** Inside the approval's transaction: routes the new link to whoever hands it over. */
export async function routeRecoveryLink(
  tx: Tx,
  link: IssuedLink,
  recovery: { id: string; requestedBy: { name: string } },
  at: Date,
): Promise<Handover> {
  if (link.pushed) return { to: 'mdm', deviceSerial: link.deviceSerial };
  await tx.recoveryHandover.create({
    data: {
      recoveryRequestId: recovery.id,
      sealedUrl: seal(link.url),
      deviceSerial: link.deviceSerial,
      notBefore: link.notBefore,
      expiresAt: link.expiresAt,
      createdAt: at,
    },
  });
  return {
    to: 'requester',
    requester: recovery.requestedBy.name,
    deviceSerial: link.deviceSerial,
    expiresAt: link.expiresAt,
  };
}

/** The recovery link waiting for this IT member to hand over for this person, if any (no URL). */
export async function waitingHandover(
  db: Db,
  input: { userId: string; requester: { id: string } },
  at: Date,
): Promise<{ requestId: string; deviceSerial: string; expiresAt: Date } | null> {
  const handover = await db.recoveryHandover.findFirst({
    where: {
      expiresAt: { gt: at },
      recoveryRequest: {
        userId: input.userId,
        requestedById: input.requester.id,
        // A link revoked or reissued since (or already used) is nothing to hand over.
        bridgeToken: { consumedAt: null, revokedAt: null },
      },
    },
    orderBy: { createdAt: 'desc' },
  });
  return handover
    ? {
        requestId: handover.recoveryRequestId,
        deviceSerial: handover.deviceSerial,
        expiresAt: handover.expiresAt,
      }
    : null;
}

export type TakeHandoverResult =
  | { ok: true; url: string; deviceSerial: string; notBefore: Date; expiresAt: Date }
  | { ok: false; reason: 'unknown_request' | 'not_allowed'; message: string };

/**
 * Shows the requester the approved link once: the row is deleted in the same transaction, with its
 * audit event. Anyone else — the approver included — is refused and the link stays for the requester.
 */
export async function takeRecoveryHandover(
  db: Db,
  input: { requestId: string },
  context: { staff: Staff; at: Date; request?: RequestContext },
): Promise<TakeHandoverResult> {
  const { staff, at } = context;
  return writeTransaction(db, async (tx) => {
    const handover = await tx.recoveryHandover.findUnique({
      where: { recoveryRequestId: input.requestId },
      include: {
        recoveryRequest: {
          select: {
            userId: true,
            requestedById: true,
            bridgeToken: { select: { consumedAt: true, revokedAt: true } },
          },
        },
      },
    });
    const link = handover?.recoveryRequest.bridgeToken;
    if (!handover || handover.expiresAt <= at || !link || link.consumedAt || link.revokedAt) {
      if (handover) await tx.recoveryHandover.delete({ where: { id: handover.id } });
      return {
        ok: false as const,
        reason: 'unknown_request' as const,
        message:
          'No recovery link is waiting here: it was already shown, pushed to the laptop, revoked, or it expired',
      };
    }
    if (handover.recoveryRequest.requestedById !== staff.id)
      return {
        ok: false as const,
        reason: 'not_allowed' as const,
        message: 'Only the IT member who asked for this recovery hands over its link',
      };
    const deleted = await tx.recoveryHandover.deleteMany({ where: { id: handover.id } });
    if (deleted.count !== 1)
      return {
        ok: false as const,
        reason: 'unknown_request' as const,
        message: 'This recovery link was shown at the same moment elsewhere',
      };
    await appendAudit(tx, {
      at,
      actor: { type: 'user', id: staff.id },
      action: 'recovery_link_handed_over',
      subject: { type: 'recovery_request', id: input.requestId },
      userId: handover.recoveryRequest.userId,
      request: context.request,
      details: { deviceSerial: handover.deviceSerial },
    });
    return {
      ok: true as const,
      url: unseal(handover.sealedUrl),
      deviceSerial: handover.deviceSerial,
      notBefore: handover.notBefore,
      expiresAt: handover.expiresAt,
    };
  });
}
