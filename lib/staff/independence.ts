import 'server-only';
import type { DbOrTx } from '@/lib/db';

// The two-person rule (DESIGN.md "Contracts": recovery; README "Security"): a second person counts
// only when no one person could have been both. A person's *circle* is themselves plus everyone who,
// alone, shaped their account or their powers — and, transitively, everyone who shaped those people:
//   - who added them (User.createdBy);
//   - who registered their laptop, and the laptop of the link their passkey came through;
//   - who issued that link, or asked for the recovery that issued it;
//   - who granted their staff roles (for a two-person grant, who asked: the approver gave consent,
//     not control of the account).
// Two people are independent when their circles do not meet. One IT member who adds a stand-in,
// enrolls it on a laptop they hold and gets it a role is in the stand-in's circle, so the stand-in can
// never be their second person — nor can anyone the stand-in shapes in turn. HR, SCIM and the
// server's terminal are trusted sources (they hold the data either way) and join no circle.

type Shaping =
  | 'added'
  | 'registered the laptop of'
  | 'issued the link of'
  | 'asked for the recovery of'
  | 'granted a role to';

/** The user id in an actor label ("user:<id>"), or null for HR, the CLI, the system. */
export function userOfLabel(label: string | null | undefined): string | null {
  return label?.startsWith('user:') ? label.slice('user:'.length) : null;
}

/** Who directly shaped each of `userIds`, with how. */
async function directShapers(
  db: DbOrTx,
  userIds: string[],
): Promise<{ of: string; by: string; how: Shaping }[]> {
  const people = await db.user.findMany({
    where: { id: { in: userIds } },
    select: {
      id: true,
      createdBy: true,
      roles: { select: { grantedBy: true } },
      devices: { where: { retiredAt: null }, select: { registeredBy: true } },
      passkeys: {
        where: { revokedAt: null },
        select: {
          bridgeToken: {
            select: {
              issuedBy: true,
              device: { select: { registeredBy: true } },
              recoveryRequest: { select: { requestedById: true } },
            },
          },
        },
      },
    },
  });
  const edges: { of: string; by: string | null; how: Shaping }[] = [];
  for (const person of people) {
    edges.push({ of: person.id, by: userOfLabel(person.createdBy), how: 'added' });
    for (const role of person.roles) {
      edges.push({ of: person.id, by: userOfLabel(role.grantedBy), how: 'granted a role to' });
    }
    for (const device of person.devices)
      edges.push({
        of: person.id,
        by: userOfLabel(device.registeredBy),
        how: 'registered the laptop of',
      });
    for (const { bridgeToken: link } of person.passkeys) {
      if (!link) continue;
      edges.push({ of: person.id, by: userOfLabel(link.issuedBy), how: 'issued the link of' });
      edges.push({
        of: person.id,
        by: userOfLabel(link.device.registeredBy),
        how: 'registered the laptop of',
      });
      edges.push({
        of: person.id,
        by: link.recoveryRequest?.requestedById ?? null,
        how: 'asked for the recovery of',
      });
    }
  }
  return edges.filter(
    (edge): edge is { of: string; by: string; how: Shaping } =>
      edge.by !== null && edge.by !== edge.of,
  );
}

/** A person's circle: each member with the step that brought them in (null for the person). */
export async function circleOf(
  db: DbOrTx,
  userId: string,
): Promise<Map<string, { of: string; how: Shaping } | null>> {
  const circle = new Map<string, { of: string; how: Shaping } | null>([[userId, null]]);
  let frontier = [userId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const edge of await directShapers(db, frontier)) {
      if (circle.has(edge.by)) continue;
      circle.set(edge.by, { of: edge.of, how: edge.how });
      next.push(edge.by);
    }
    frontier = next;
  }
  return circle;
}

export type Independence = { ok: true } | { ok: false; message: string };

/** Someone an action rests on, and what they are to it ("the person who asked", …). */
export type Party = { userId: string; role: string };

/**
 * Whether the `second` side (the approver, and whatever their authority rests on) is independent of
 * the `first` (the requester): no circle on one side may meet a circle on the other. A refusal names
 * a person both sides lead back to and how, so IT can see why.
 */
export async function independentOf(
  db: DbOrTx,
  second: Party[],
  first: Party[],
): Promise<Independence> {
  const firstCircle = new Map<
    string,
    { party: Party; step: { of: string; how: Shaping } | null }
  >();
  for (const party of first) {
    for (const [member, step] of await circleOf(db, party.userId))
      if (!firstCircle.has(member)) firstCircle.set(member, { party, step });
  }
  for (const party of second) {
    for (const [member, step] of await circleOf(db, party.userId)) {
      const met = firstCircle.get(member);
      if (!met) continue;
      const ids = [member, step?.of, met.step?.of].filter((value): value is string =>
        Boolean(value),
      );
      const names = new Map(
        (
          await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
        ).map((user) => [user.id, user.name]),
      );
      const name = (userId: string) => names.get(userId) ?? 'someone';
      const clause = (sideStep: { of: string; how: Shaping } | null, side: Party) =>
        sideStep
          ? `${name(member)} ${sideStep.how} ${name(sideStep.of)} (${side.role})`
          : `${name(member)} is ${side.role}`;
      return {
        ok: false,
        message:
          `${clause(step, party)}, and ${clause(met.step, met.party)}: one person could act on both sides. ` +
          'The second person must be someone whose account and roles were not set up by the first, or by anyone the first set up.',
      };
    }
  }
  return { ok: true };
}
