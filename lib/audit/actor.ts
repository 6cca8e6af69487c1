/** Who did something. Recorded on every audit event; never carries a credential. */
export type Actor =
  | { type: 'user'; id: string }
  | { type: 'hr' }
  | { type: 'mdm' }
  | { type: 'cli' }
  | { type: 'system' }
  | { type: 'anonymous' };

/** The short form stored in `issuedBy`, `registeredBy`, `grantedBy`: "user:<id>", "hr", "mdm", "cli", … */
export function actorLabel(actor: Actor): string {
  return actor.type === 'user' ? `user:${actor.id}` : actor.type;
}

/** Where a request came from, for the audit trail. */
export type RequestContext = { ip: string | null; userAgent: string | null };
