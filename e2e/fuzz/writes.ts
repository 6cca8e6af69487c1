import crypto from 'node:crypto';
import Database from 'better-sqlite3';

// "No unintended write": the fuzzer fingerprints the business tables before and after every request.
//
// Intended, so not fingerprinted at all:
//   AuditEvent, AuditHead  denials are audited (device mismatch, refused sign-in…); the chain stays
//                          verifiable (the suite runs `firstkey audit verify` at the end)
//   ThrottleHit            failed link attempts are counted, that is the throttle
//   OutboxMessage's delivery bookkeeping (attempts, lease, delivered/failed, last error): the outbox
//                          worker updates it on its own clock, whatever the fuzzer sends
// Intended only for an accepted (2xx) request, and only in the tables named: INTENDED_WRITES below.
// Everything else — any refused request (3xx/4xx), any GET — must leave every business table as it was.

const TABLES: Record<string, string> = {
  User: '*',
  StaffRole: '*',
  Device: '*',
  BridgeToken: '*',
  EnrollmentSession: '*',
  WebAuthnChallenge: '*',
  Passkey: '*',
  HrInboundEvent: '*',
  MdmInboundEvent: '*',
  RecoveryRequest: '*',
  RecoveryHandover: '*',
  AttentionItem: '*',
  RoleRequest: '*',
  StaffSessionEnd: '*',
  OidcClient: '*',
  // lastUsedAt is bookkeeping an accepted SCIM request makes, whatever it asked (like the outbox's).
  ScimConnection: '"id", "name", "tokenHash", "createdAt", "createdBy", "revokedAt", "revokedBy"',
  ScimUser: '*',
  PasskeyPolicy: '*',
  MetadataBlob: '*',
  MetadataEntry: '*',
  OutboxMessage: '"id", "webhookId", "channel", "payload", "sealed", "userId", "createdAt"',
};
const ALL = Object.keys(TABLES);

/** Writes an accepted request of this shape may make: an open ceremony's challenge, an action's effect. */
const INTENDED_WRITES: { route: RegExp; tables: string[] }[] = [
  {
    route: /^POST \/api\/(enroll\/passkey|passkeys\/authenticate|account\/passkeys)\/options$/,
    tables: ['WebAuthnChallenge'],
  },
  {
    route: /^POST \/api\/(enroll\/(peek|redeem|passkey\/verify)|passkeys\/authenticate\/verify)$/,
    tables: ALL,
  },
  // "Ask IT for a new link": an attention item for IT.
  { route: /^POST \/api\/enroll\/new-link$/, tables: ['AttentionItem'] },
  {
    route:
      /^POST \/api\/(hr\/events|mdm\/devices|it\/.+|recovery\/[^/]+(\/handover)?|manager\/help|account\/passkeys\/.+)$/,
    tables: ALL,
  },
  // SCIM provisioning creates, changes and offboards people (everything a joiner or leaver touches).
  { route: /^(POST|PUT|PATCH|DELETE) \/scim\/v2\/Users(\/[^/]+)?$/, tables: ALL },
  // Signing out records the session as ended (a copied cookie must not outlive it).
  { route: /^POST \/api\/auth\/signout$/, tables: ['StaffSessionEnd'] },
  // A server action: Firstkey's only one is "sign out everywhere", which moves the person's session epoch.
  { route: /^POST \/(it|manager)(\/.*)?$/, tables: ['User'] },
];

export type Fingerprint = Map<string, string>;

export class BusinessTables {
  private readonly db: Database.Database;
  private readonly reads: { table: string; statement: Database.Statement }[];
  private last: { version: number; fingerprint: Fingerprint } | null = null;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.reads = ALL.map((table) => ({
      table,
      statement: this.db.prepare(`SELECT ${TABLES[table]} FROM "${table}" ORDER BY rowid`).raw(),
    }));
  }

  fingerprint(): Fingerprint {
    // SQLite's data_version moves whenever another connection commits; unchanged means nothing to hash.
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (this.last?.version === version) return this.last.fingerprint;
    const fingerprint = new Map(
      this.reads.map(({ table, statement }) => {
        const hash = crypto.createHash('sha256');
        for (const row of statement.iterate()) hash.update(JSON.stringify(row)).update('\n');
        return [table, hash.digest('hex')] as const;
      }),
    );
    this.last = { version, fingerprint };
    return fingerprint;
  }

  close(): void {
    this.db.close();
  }
}

export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...after].filter(([table, hash]) => before.get(table) !== hash).map(([table]) => table);
}

/** The tables that changed although nothing allowed it (empty when every change was intended). */
export function unintendedWrites(
  changed: string[],
  request: { method: string; pathname: string; status: number },
): string[] {
  if (changed.length === 0) return [];
  const accepted = request.status >= 200 && request.status < 300;
  const allowed = accepted
    ? INTENDED_WRITES.filter((write) =>
        write.route.test(`${request.method} ${request.pathname}`),
      ).flatMap((write) => write.tables)
    : [];
  return changed.filter((table) => !allowed.includes(table));
}
