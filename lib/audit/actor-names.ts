import 'server-only';
import type { Db } from '@/lib/db';
import { inChunks } from '@/lib/db/in-chunks';

// Staff screens name people, never ids: "registered by Grace Hopper", not "user:4c4d…". Actors are
// stored two ways — the short label in `registeredBy`, `issuedBy`, `grantedBy`, `createdBy`
// ("user:<id>", "hr", "cli", …; lib/audit/actor.ts) and an audit row's `actorType` + `actorId` — and
// both are resolved here, in one query per screen, so every screen says the same thing.

/** What a machine or the server's terminal is called on a staff screen. */
const MACHINE_ACTORS: Record<string, string> = {
  hr: 'the HR system',
  scim: 'the identity provider (SCIM)',
  mdm: 'the MDM',
  cli: 'an operator at the server (CLI)',
  bootstrap: 'the first-start setup at the server',
  system: 'Firstkey',
  anonymous: 'someone not signed in',
};

/** Said of a person whose record is gone: never their raw id. */
export const UNKNOWN_PERSON = 'a person no longer in Firstkey';

/** An actor as stored: a short label ("user:<id>", "cli") or an audit row's type and id. */
export type StoredActor = string | { actorType: string; actorId: string | null };

function userIdOf(actor: StoredActor | null | undefined): string | null {
  if (!actor) return null;
  if (typeof actor === 'string') return actor.startsWith('user:') ? actor.slice(5) : null;
  return actor.actorType === 'user' ? actor.actorId : null;
}

/** The words for one actor, given the names of the people involved (by user id). */
export function actorName(
  actor: StoredActor | null | undefined,
  names: ReadonlyMap<string, string>,
): string {
  if (!actor) return MACHINE_ACTORS.system!;
  const userId = userIdOf(actor);
  if (userId !== null) return names.get(userId) ?? UNKNOWN_PERSON;
  const type = typeof actor === 'string' ? actor : actor.actorType;
  return MACHINE_ACTORS[type] ?? type.replaceAll('_', ' ');
}

/**
 * Looks up the names of every person among `actors` (plus any bare user ids in `userIds`, such as an
 * audit detail's `requestedBy`) and returns a function that names any of them.
 */
export async function actorNames(
  db: Db,
  actors: Iterable<StoredActor | null | undefined>,
  userIds: Iterable<string | null | undefined> = [],
): Promise<{ name: (actor: StoredActor | null | undefined) => string; byId: Map<string, string> }> {
  const ids = new Set<string>();
  for (const actor of actors) {
    const id = userIdOf(actor);
    if (id) ids.add(id);
  }
  for (const id of userIds) if (id) ids.add(id);
  const users = await inChunks([...ids], (chunk) =>
    db.user.findMany({ where: { id: { in: chunk } }, select: { id: true, name: true } }),
  );
  const byId = new Map(users.map((user) => [user.id, user.name]));
  return { name: (actor) => actorName(actor, byId), byId };
}
