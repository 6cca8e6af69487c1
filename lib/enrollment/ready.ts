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
  // Raw statements: this answers every enrollment, and a Prisma model query costs about five times
  // the CPU of the same statement sent raw (lib/audit/append.ts).
  const [roles, clients] = await Promise.all([
    db.$queryRaw<{ found: number }[]>`
      SELECT 1 AS "found" FROM "StaffRole" WHERE "userId" = ${session.userId} LIMIT 1`,
    db.$queryRaw<{ name: string; homeUrl: string }[]>`
      SELECT "name", "homeUrl" FROM "OidcClient"
      WHERE "disabledAt" IS NULL AND "homeUrl" IS NOT NULL ORDER BY "name" ASC`,
  ]);
  return {
    recovery: session.bridgeToken.purpose === 'recovery',
    staff: roles.length > 0,
    apps: clients.map((client) => ({ name: client.name, url: client.homeUrl })),
  };
}
