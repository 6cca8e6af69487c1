import 'server-only';
import { type Db, writeTransaction } from '@/lib/db';
import type { RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import type { Peer } from '@/lib/devices/front-door';
import { sameFingerprint } from '@/lib/devices/fingerprint';
import { hashSecret } from '@/lib/crypto';
import { findUsableLinkByHash } from '@/lib/enrollment/find-link';
import { TOKEN_PATTERN } from '@/lib/enrollment/token-shape';
import type { NewLinkAnswer } from '@/lib/enrollment/messages';
import { NEW_LINK_REQUESTS } from '@/lib/enrollment/policy';
import { referenceOf } from '@/lib/enrollment/reference';
import { recordFailure, throttledFor, throttleKeys } from '@/lib/enrollment/throttle';

/** The kind of attention item a hire's "Ask IT for a new link" raises on the IT console. */
export const NEW_LINK_REQUEST = 'new_link_request';

export type AskForLinkResult =
  | { ok: true; answer: 'requested' | 'already_requested'; reference: string }
  | {
      ok: false;
      answer: Exclude<NewLinkAnswer, 'requested' | 'already_requested'>;
      retryAfterSeconds?: number;
    };

/**
 * "Ask IT for a new link" on a failure page: raises an attention item for IT, audited, on the hire's
 * timeline. Only the link's own laptop can ask, and only for a link that no longer works (used,
 * expired, cancelled, or its enrollment window closed). At most one request is open per person — a
 * second press finds the first — and at most NEW_LINK_REQUESTS.perPersonPerWindow a day.
 */
export async function askForNewLink(
  db: Db,
  input: {
    /** The link, when the page still has it; else the enrollment session's secret (its cookie). */
    token?: string;
    sessionSecret?: string | null;
    peer: Peer;
    request: RequestContext;
    at: Date;
  },
): Promise<AskForLinkResult> {
  const { peer, at } = input;
  const found = await findUsableLinkByHash(db, await linkHash(db, input), peer, at);
  const link = found.link;
  const onItsLaptop = Boolean(
    link && peer.fingerprint && sameFingerprint(peer.fingerprint, link.device.certFingerprint),
  );
  // The same throttle as peek and redeem: a stolen or guessed token buys no extra tries here.
  const keys = throttleKeys(peer, onItsLaptop);
  const retryAfterSeconds = await throttledFor(db, keys, at);
  if (retryAfterSeconds !== null) return { ok: false, answer: 'throttled', retryAfterSeconds };
  if (!link || !onItsLaptop) {
    await recordFailure(db, keys, at);
    if (!link) return { ok: false, answer: 'unknown' };
    return { ok: false, answer: peer.fingerprint ? 'wrong_device' : 'no_certificate' };
  }
  const stillGood = found.ok || found.reason === 'not_yet_valid';
  if (
    stillGood ||
    found.reason === 'already_enrolled' ||
    link.user.enrollmentState === 'offboarded'
  )
    return { ok: false, answer: 'not_needed' };

  const reference = referenceOf(link.id);
  const why = await whyNoLongerUsable(db, link, at);
  return writeTransaction(db, async (tx) => {
    const open = await tx.attentionItem.findFirst({
      where: { kind: NEW_LINK_REQUEST, userId: link.userId, resolvedAt: null },
      select: { id: true },
    });
    if (open) return { ok: true as const, answer: 'already_requested' as const, reference };
    const recent = await tx.attentionItem.findMany({
      where: {
        kind: NEW_LINK_REQUEST,
        userId: link.userId,
        createdAt: { gt: new Date(at.getTime() - NEW_LINK_REQUESTS.window) },
      },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
    });
    if (recent.length >= NEW_LINK_REQUESTS.perPersonPerWindow) {
      const freeAt = recent[0]!.createdAt.getTime() + NEW_LINK_REQUESTS.window;
      return {
        ok: false as const,
        answer: 'throttled' as const,
        retryAfterSeconds: Math.ceil((freeAt - at.getTime()) / 1000),
      };
    }
    const item = await tx.attentionItem.create({
      data: {
        kind: NEW_LINK_REQUEST,
        userId: link.userId,
        createdBy: `user:${link.userId}`,
        message: `Asks for a new enrollment link: ${why} (reference ${reference}).`,
        createdAt: at,
      },
    });
    await appendAudit(tx, {
      at,
      actor: { type: 'user', id: link.userId },
      action: 'new_link_requested',
      subject: { type: 'attention_item', id: item.id },
      userId: link.userId,
      request: input.request,
      details: { linkId: link.id, reference, why },
    });
    return { ok: true as const, answer: 'requested' as const, reference };
  });
}

/** The stored hash of the link asked about: given, or the one that opened the session (even lapsed). */
async function linkHash(
  db: Db,
  input: { token?: string; sessionSecret?: string | null },
): Promise<string> {
  if (input.token) return hashSecret(input.token);
  if (!input.sessionSecret || !TOKEN_PATTERN.test(input.sessionSecret)) return '';
  const session = await db.enrollmentSession.findUnique({
    where: { secretHash: hashSecret(input.sessionSecret) },
    select: { bridgeToken: { select: { tokenHash: true } } },
  });
  return session?.bridgeToken.tokenHash ?? '';
}

/** In IT's words, why the person's link no longer works. */
async function whyNoLongerUsable(
  db: Db,
  link: { id: string; consumedAt: Date | null; revokedAt: Date | null },
  at: Date,
): Promise<string> {
  if (link.revokedAt) return 'the link was cancelled';
  if (!link.consumedAt) return 'the link expired';
  const session = await db.enrollmentSession.findUnique({
    where: { bridgeTokenId: link.id },
    select: { expiresAt: true, endedAt: true },
  });
  if (session && !session.endedAt && session.expiresAt <= at)
    return 'the 10-minute enrollment window closed before a passkey was made';
  return 'the link was already used';
}
