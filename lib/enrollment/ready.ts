import 'server-only';
import type { Db } from '@/lib/db';
import type { ActiveEnrollmentSession } from '@/lib/enrollment/session';

/** What the ready page tells a person their new passkey opens, and what to do next. */
export type ReadyFacts = {
  /** A recovery enrollment: the new passkey replaces the lost one (no "welcome"). */
  recovery: boolean;
  /** IT or manager: the page offers "Go to the console". */
  staff: boolean;
  /** The apps registered with Firstkey's OpenID Connect provider that have a home page. */
  apps: { name: string; url: string }[];
};

export async function readyFacts(db: Db, session: ActiveEnrollmentSession): Promise<ReadyFacts> {
  const [roles, clients] = await Promise.all([
    db.staffRole.count({ where: { userId: session.userId } }),
    db.oidcClient.findMany({
      where: { disabledAt: null, homeUrl: { not: null } },
      select: { name: true, homeUrl: true },
      orderBy: { name: 'asc' },
    }),
  ]);
  return {
    recovery: session.bridgeToken.purpose === 'recovery',
    staff: roles > 0,
    apps: clients.map((client) => ({ name: client.name, url: client.homeUrl! })),
  };
}
