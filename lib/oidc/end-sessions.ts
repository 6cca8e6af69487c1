import 'server-only';
import type { Tx } from '@/lib/db';

// Ends a person's access to every app signed in through Firstkey: their provider sessions, grants,
// authorization codes, access and refresh tokens, and any sign-in in flight — in the caller's
// transaction, so a leaver or a revoked passkey and the end of their app access are one change.
// An app's next refresh or userinfo call fails at once (tokens are opaque and looked up each time).

export async function endProviderSessions(tx: Tx, userId: string): Promise<number> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { oidcSubject: true } });
  if (!user?.oidcSubject) return 0;
  const grants = await tx.oidcPayload.findMany({
    where: { model: 'Grant', accountId: user.oidcSubject },
    select: { id: true },
  });
  const { count } = await tx.oidcPayload.deleteMany({
    where: {
      OR: [{ accountId: user.oidcSubject }, { grantId: { in: grants.map((grant) => grant.id) } }],
    },
  });
  return count;
}
