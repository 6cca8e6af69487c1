/** Who did something. Recorded on every audit event; never carries a credential. */
export type Actor =
  | { type: 'user'; id: string }
  | { type: 'hr' }
  /** A SCIM connection (the company IdP's provisioning), by its ScimConnection id. */
  | { type: 'scim'; id: string }
  | { type: 'mdm' }
  | { type: 'cli' }
  | { type: 'system' }
  | { type: 'anonymous' };

/** The short form stored in `issuedBy`, `registeredBy`, `grantedBy`: "user:<id>", "scim:<id>", "hr", "mdm", "cli", … */
export function actorLabel(actor: Actor): string {
  return 'id' in actor ? `${actor.type}:${actor.id}` : actor.type;
}

/** Where a request came from, for the audit trail. */
export type RequestContext = { ip: string | null; userAgent: string | null };
