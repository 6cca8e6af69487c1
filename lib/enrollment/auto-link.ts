import 'server-only';
import { inTransaction, type DbOrTx } from '@/lib/db';
import type { Actor } from '@/lib/audit/actor';
import { issueLink } from '@/lib/enrollment/issue-link';
import { openLinkWhere } from '@/lib/enrollment/open-link';
import { AUTO_LINK_WINDOW } from '@/lib/enrollment/policy';
import type { EnrollmentState } from '@/lib/enrollment/states';
import { env } from '@/lib/env';
import { endOfDay, startOfDay } from '@/lib/time/zone';

// Links with no human step (DESIGN.md "HR integration"; issue 13): a person who has a laptop, a start
// date in AUTO_LINK_WINDOW and no open link gets one, pushed to the laptop by the MDM. The one rule,
// asked after every event that can make a person ready — an HR joiner or change, an MDM device
// assignment, the sweep for start dates entering the window, and SCIM's create and update.
// A laptop IT registers by hand on the console or the CLI is not one of those events: IT hands that
// link over itself (shown once, QR code), and a push racing with IT's own "Issue link" would only
// give the laptop a link IT is about to revoke.

export type AutoLinkSkip =
  | 'no_mdm' // without an MDM to push to, an automatic link would reach nobody: IT issues it
  | 'unknown_employee'
  | 'not_ready' // offboarded, enrolled, mid-enrollment, or a closed link left for IT
  | 'no_device'
  | 'had_passkey' // a new passkey for someone who had one is a two-person recovery
  | 'outside_window'
  | 'open_link';

export type AutoLinkResult =
  | { issued: true; linkId: string; notBefore: Date; expiresAt: Date }
  | { issued: false; skipped: AutoLinkSkip };

/** Whether a link issued now for this start date may be issued with no human step (AUTO_LINK_WINDOW). */
export function inAutoLinkWindow(startDate: string, at: Date, timeZone: string): boolean {
  const opens = startOfDay(startDate, timeZone).getTime() - AUTO_LINK_WINDOW.beforeStartDay;
  const closes = endOfDay(startDate, timeZone).getTime() + AUTO_LINK_WINDOW.afterStartDay;
  return at.getTime() >= opens && at.getTime() <= closes;
}

/**
 * Issues and pushes the person's enrollment link when they are ready for one — and only then; run
 * again, it finds the open link and does nothing, so every caller may simply call it. Checks and issue
 * are one transaction (the caller's when given one), so under the database's one-writer-at-a-time
 * rule (lib/db.ts `writeTransaction`) two callers never both issue.
 *
 * Ready means: state `ready` (a laptop registered since the last link), or — with
 * `reissueAfterClosedLink`, for the people data of HR and SCIM, which restate the person — also
 * `expired` or `revoked`, as HR events always did; an active device; never a passkey; the start date in
 * AUTO_LINK_WINDOW; no open link; an MDM to push to.
 */
export async function issueLinkIfReady(
  db: DbOrTx,
  person: { employeeId: string },
  context: {
    actor: Actor;
    at: Date;
    origin: string;
    /** Recorded with the link: what made the person ready ("hr_joiner", "mdm_assignment", "sweep"). */
    reason: string;
    reissueAfterClosedLink?: boolean;
    timeZone?: string;
  },
): Promise<AutoLinkResult> {
  const { at } = context;
  if (!env().mdmPush) return { issued: false, skipped: 'no_mdm' };
  const timeZone = context.timeZone ?? env().timeZone;
  const states: EnrollmentState[] = context.reissueAfterClosedLink
    ? ['ready', 'expired', 'revoked']
    : ['ready'];
  return inTransaction(db, async (tx) => {
    const user = await tx.user.findUnique({
      where: { employeeId: person.employeeId },
      select: {
        id: true,
        enrollmentState: true,
        startDate: true,
        _count: {
          select: {
            devices: { where: { retiredAt: null } },
            passkeys: true,
            bridgeTokens: { where: openLinkWhere(at) },
          },
        },
      },
    });
    if (!user) return { issued: false, skipped: 'unknown_employee' };
    if (!(states as string[]).includes(user.enrollmentState))
      return { issued: false, skipped: 'not_ready' };
    if (user._count.devices === 0) return { issued: false, skipped: 'no_device' };
    if (user._count.passkeys > 0) return { issued: false, skipped: 'had_passkey' };
    if (!inAutoLinkWindow(user.startDate, at, timeZone))
      return { issued: false, skipped: 'outside_window' };
    if (user._count.bridgeTokens > 0) return { issued: false, skipped: 'open_link' };
    const link = await issueLink(
      tx,
      { employeeId: person.employeeId, reason: context.reason },
      { actor: context.actor, at, origin: context.origin, timeZone },
    );
    // Every refusal issueLink knows was ruled out above, inside this same transaction.
    if (!link.ok) throw new Error(`issueLinkIfReady: ${link.reason}: ${link.message}`);
    return {
      issued: true,
      linkId: link.linkId,
      notBefore: link.notBefore,
      expiresAt: link.expiresAt,
    };
  });
}
