import 'server-only';
import { inTransaction, type Db, type DbOrTx } from '@/lib/db';
import { actorLabel, type Actor, type RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { enqueueLinkPush } from '@/lib/webhooks/outbox';
import { LINK_TTL, LINK_VALID_BEFORE_START } from '@/lib/enrollment/policy';
import { applyEnrollmentEvent } from '@/lib/enrollment/states';
import { hashSecret } from '@/lib/crypto';
import { enrollmentUrl, newToken } from '@/lib/enrollment/token';
import { env } from '@/lib/env';
import { endOfDay, startOfDay } from '@/lib/time/zone';

export type LinkPurpose = 'enrollment' | 'bootstrap' | 'recovery';

export type IssueLinkInput = {
  employeeId: string;
  ttlMs?: number;
  notBefore?: Date;
  purpose?: LinkPurpose;
  recoveryRequestId?: string;
  /** Why IT issued it (console, audited). */
  reason?: string;
};

export type IssuedLink = {
  url: string;
  expiresAt: Date;
  notBefore: Date;
  linkId: string;
  deviceSerial: string;
  /** Whether the link was also queued for the MDM to show on the laptop. */
  pushed: boolean;
};

export type IssueLinkResult =
  | ({ ok: true } & IssuedLink)
  | {
      ok: false;
      reason:
        'unknown_employee' | 'offboarded' | 'no_device' | 'already_enrolled' | 'ttl_out_of_range';
      message: string;
    };

/** 3 days before the start day begins in the organisation's zone. */
function defaultNotBefore(startDate: string, timeZone: string): Date {
  return new Date(startOfDay(startDate, timeZone).getTime() - LINK_VALID_BEFORE_START);
}

function describeTtl(ms: number): string {
  return ms % 86_400_000 === 0
    ? `${ms / 86_400_000} days`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000} h`
      : `${Math.round(ms / 60_000)} min`;
}

export type LinkRefusal = Extract<IssueLinkResult, { ok: false }> & {
  reason: 'offboarded' | 'no_device' | 'already_enrolled';
};

/**
 * Why this person cannot be given a link of this purpose now, or null when they can. The console asks
 * it too, so the button it offers follows the same rule as the action.
 */
export function linkRefusal(
  user: {
    name: string;
    employeeId: string;
    enrollmentState: string;
    devices: unknown[];
    everHadPasskey: boolean;
  },
  purpose: LinkPurpose,
): LinkRefusal | null {
  const who = `${user.name} (${user.employeeId})`;
  if (user.enrollmentState === 'offboarded')
    return { ok: false, reason: 'offboarded', message: `${who} has left; no link can be issued` };
  if (user.devices.length === 0) {
    return {
      ok: false,
      reason: 'no_device',
      message: `${who} has no registered device; register the laptop issued to them first`,
    };
  }
  // Anyone who has ever held a passkey gets another only through a two-person recovery — whatever
  // their state now (revoking their passkeys and swapping their device must not reopen this door).
  if (purpose === 'enrollment' && user.everHadPasskey) {
    return {
      ok: false,
      reason: 'already_enrolled',
      message: `${who} has had a passkey; a new link needs a two-person recovery`,
    };
  }
  return null;
}

/**
 * Issues the one open enrollment link of a hire, bound to their current device. Issuing revokes the
 * previous open link. The token itself exists only in the returned URL; the database keeps its hash.
 * Given a transaction, it joins it (a recovery approval and its link are one change).
 */
export async function issueLink(
  db: DbOrTx,
  input: IssueLinkInput,
  context: {
    actor: Actor;
    at: Date;
    origin: string;
    request?: RequestContext;
    /** The zone the start date is a day in; the organisation's (`FIRSTKEY_TIME_ZONE`) unless given. */
    timeZone?: string;
  },
): Promise<IssueLinkResult> {
  const { at, actor } = context;
  const timeZone = context.timeZone ?? env().timeZone;
  const purpose = input.purpose ?? 'enrollment';
  const ttlMs = input.ttlMs ?? (purpose === 'bootstrap' ? LINK_TTL.bootstrap : LINK_TTL.default);
  if (purpose !== 'bootstrap' && (ttlMs < LINK_TTL.min || ttlMs > LINK_TTL.max)) {
    return {
      ok: false,
      reason: 'ttl_out_of_range',
      message: `A link may live between ${describeTtl(LINK_TTL.min)} and ${describeTtl(LINK_TTL.max)}; got ${describeTtl(ttlMs)}`,
    };
  }
  const user = await db.user.findUnique({
    where: { employeeId: input.employeeId },
    include: { devices: { where: { retiredAt: null }, take: 1 } },
  });
  if (!user)
    return {
      ok: false,
      reason: 'unknown_employee',
      message: `No person with employee id "${input.employeeId}"`,
    };
  const refused = linkRefusal(
    { ...user, everHadPasskey: (await db.passkey.count({ where: { userId: user.id } })) > 0 },
    purpose,
  );
  if (refused) return refused;
  const device = user.devices[0]!;
  // Valid from the requested time, or (for a joiner's first link) from 3 days before their start
  // date, never earlier than now; the lifetime counts from then, so an early invite is not wasted.
  const requested =
    input.notBefore ?? (purpose === 'enrollment' ? defaultNotBefore(user.startDate, timeZone) : at);
  const notBefore = requested > at ? requested : at;
  // Without a lifetime chosen by IT, the link also lasts to the end of the start day in the
  // organisation's zone: a hire who opens it on the morning of day one is never turned away.
  const lifetimeEnd = notBefore.getTime() + ttlMs;
  const expiresAt = new Date(
    input.ttlMs === undefined && purpose !== 'bootstrap'
      ? Math.max(lifetimeEnd, endOfDay(user.startDate, timeZone).getTime())
      : lifetimeEnd,
  );

  const token = newToken();
  const link = await inTransaction(db, async (tx) => {
    // Re-read inside the transaction: a leaver or a device swap may have committed since the checks.
    const fresh = await tx.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { enrollmentState: true },
    });
    const stillBound = await tx.device.count({ where: { id: device.id, retiredAt: null } });
    if (fresh.enrollmentState === 'offboarded' || stillBound === 0) return null;
    const revoked = await tx.bridgeToken.updateMany({
      where: { userId: user.id, consumedAt: null, revokedAt: null },
      data: { revokedAt: at, revokedReason: 'reissued' },
    });
    await tx.enrollmentSession.updateMany({
      where: { userId: user.id, endedAt: null },
      data: { endedAt: at },
    });
    const created = await tx.bridgeToken.create({
      data: {
        userId: user.id,
        deviceId: device.id,
        tokenHash: hashSecret(token),
        purpose,
        issuedAt: at,
        issuedBy: actorLabel(actor),
        notBefore,
        expiresAt,
        recoveryRequestId: input.recoveryRequestId ?? null,
      },
    });
    await appendAudit(tx, {
      at,
      actor,
      action: 'link_issued',
      subject: { type: 'bridge_token', id: created.id },
      userId: user.id,
      request: context.request,
      details: {
        purpose,
        deviceSerial: device.serial,
        notBefore: notBefore.toISOString(),
        expiresAt: expiresAt.toISOString(),
        previousLinksRevoked: revoked.count,
        reason: input.reason ?? null,
      },
    });
    await applyEnrollmentEvent(tx, {
      userId: user.id,
      event: 'link_issued',
      at,
      actor,
      request: context.request,
    });
    // With an MDM configured, the link also goes straight to the laptop (never to an inbox).
    const url = enrollmentUrl(context.origin, token);
    const pushed = await enqueueLinkPush(tx, {
      userId: user.id,
      employeeId: user.employeeId,
      deviceSerial: device.serial,
      url,
      notBefore,
      expiresAt,
      at,
    });
    if (pushed) {
      await appendAudit(tx, {
        at,
        actor,
        action: 'link_push_queued',
        subject: { type: 'bridge_token', id: created.id },
        userId: user.id,
        details: { deviceSerial: device.serial },
      });
    }
    return { id: created.id, pushed };
  });
  if (!link)
    return {
      ok: false,
      reason: 'offboarded',
      message: `${user.name} (${user.employeeId}) left or their device changed meanwhile; nothing was issued`,
    };
  return {
    ok: true,
    url: enrollmentUrl(context.origin, token),
    expiresAt,
    notBefore,
    linkId: link.id,
    deviceSerial: device.serial,
    pushed: link.pushed,
  };
}

/** Revokes the hire's open link (IT action); the link then answers "revoked". */
export async function revokeOpenLink(
  db: Db,
  input: { userId: string; reason: string },
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<{ revoked: number }> {
  const { at, actor } = context;
  return inTransaction(db, async (tx) => {
    const open = await tx.bridgeToken.findMany({
      where: { userId: input.userId, consumedAt: null, revokedAt: null },
      select: { id: true },
    });
    if (open.length === 0) return { revoked: 0 };
    await tx.bridgeToken.updateMany({
      where: { id: { in: open.map((link) => link.id) } },
      data: { revokedAt: at, revokedReason: input.reason },
    });
    await tx.enrollmentSession.updateMany({
      where: { userId: input.userId, endedAt: null },
      data: { endedAt: at },
    });
    for (const link of open) {
      await appendAudit(tx, {
        at,
        actor,
        action: 'link_revoked',
        subject: { type: 'bridge_token', id: link.id },
        userId: input.userId,
        request: context.request,
        details: { reason: input.reason },
      });
    }
    await applyEnrollmentEvent(tx, {
      userId: input.userId,
      event: 'link_revoked',
      at,
      actor,
      request: context.request,
      reason: input.reason,
    });
    return { revoked: open.length };
  });
}
