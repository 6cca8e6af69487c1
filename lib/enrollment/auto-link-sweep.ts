import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import type { Actor } from '@/lib/audit/actor';
import { inAutoLinkWindow, issueLinkIfReady } from '@/lib/enrollment/auto-link';
import { AUTO_LINK_SWEEP, AUTO_LINK_WINDOW } from '@/lib/enrollment/policy';
import { env } from '@/lib/env';

// A laptop registered weeks ahead makes a person ready long before their link may be issued
// (AUTO_LINK_WINDOW): no event happens when their start date enters the window, so the outbox worker
// asks this sweep once a minute (AUTO_LINK_SWEEP), on every instance.

const SYSTEM: Actor = { type: 'system' };
const DAY = 86_400_000;

/**
 * Laptops delivered by a machine (HR's joiner data, the MDM's assignment) get their link with no human
 * step. One IT registered by hand is IT's to hand over (lib/enrollment/auto-link.ts says why), so the
 * sweep leaves those people alone.
 */
export const AUTOMATIC_DEVICE_SOURCES = ['hr', 'mdm'] as const;

/** The start dates (YYYY-MM-DD) whose automatic link may be issued at `at`: the window, day by day. */
export function startDatesInWindow(at: Date, timeZone: string): string[] {
  const dates: string[] = [];
  // One spare day each side for time zones; inAutoLinkWindow decides each day exactly.
  const first = at.getTime() - AUTO_LINK_WINDOW.afterStartDay - 2 * DAY;
  const last = at.getTime() + AUTO_LINK_WINDOW.beforeStartDay + 2 * DAY;
  for (let day = first; day <= last; day += DAY) {
    const date = new Date(day).toISOString().slice(0, 10);
    if (inAutoLinkWindow(date, at, timeZone)) dates.push(date);
  }
  return dates;
}

/**
 * Issues the link of every person in state `ready` with a machine-delivered laptop, no passkey ever
 * and a start date in the window. Each person is one write transaction through issueLinkIfReady, which
 * checks again inside it: two instances sweeping at once, or a sweep meeting an HR event, issue one
 * link, and a second run finds nothing to do.
 */
export async function sweepAutoLinks(
  db: Db,
  options: { at: Date; origin: string; timeZone?: string },
): Promise<{ issued: number }> {
  if (!env().mdmPush) return { issued: 0 };
  const timeZone = options.timeZone ?? env().timeZone;
  const startDates = startDatesInWindow(options.at, timeZone);
  let issued = 0;
  let after: string | undefined;
  for (;;) {
    const page = await db.user.findMany({
      where: {
        enrollmentState: 'ready',
        startDate: { in: startDates },
        devices: {
          some: { retiredAt: null, registeredBy: { in: [...AUTOMATIC_DEVICE_SOURCES] } },
        },
        passkeys: { none: {} },
        ...(after ? { id: { gt: after } } : {}),
      },
      select: { id: true, employeeId: true },
      orderBy: { id: 'asc' },
      take: AUTO_LINK_SWEEP.batch,
    });
    for (const person of page) {
      const result = await writeTransaction(db, (tx) =>
        issueLinkIfReady(
          tx,
          { employeeId: person.employeeId },
          { actor: SYSTEM, at: options.at, origin: options.origin, reason: 'sweep', timeZone },
        ),
      );
      if (result.issued) issued += 1;
    }
    if (page.length < AUTO_LINK_SWEEP.batch) return { issued };
    after = page.at(-1)!.id;
  }
}
