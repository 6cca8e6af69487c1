import 'server-only';
import crypto from 'node:crypto';
import type { DbOrTx } from '@/lib/db';

// A person's `sub` at the provider: 128 random bits, made on their first sign-in to an app and never
// changed. Not derived from the employee id, the email or the database id, so an app that keeps it
// learns nothing about the person from it, and HR renumbering someone does not make them a new user.

export async function subjectFor(db: DbOrTx, userId: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { oidcSubject: true } });
  if (user?.oidcSubject) return user.oidcSubject;
  // Conditional: two first sign-ins at once give the person one subject, whichever wrote first.
  await db.user.updateMany({
    where: { id: userId, oidcSubject: null },
    data: { oidcSubject: crypto.randomBytes(16).toString('base64url') },
  });
  const assigned = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { oidcSubject: true },
  });
  return assigned.oidcSubject!;
}
