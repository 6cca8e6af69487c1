import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import {
  MetadataService,
  SettingsService,
  type MetadataBLOBPayloadEntry,
  type MetadataStatement,
} from '@simplewebauthn/server';
import { verifyMDSBlob } from '@simplewebauthn/server/helpers';
import { type Actor, actorLabel } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { type Db, writeTransaction } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { env } from '@/lib/env';

// FIDO Metadata (MDS3) for the passkey policy's "attestation required" (README "Passkey policy").
// IT downloads the BLOB (a JWT) from https://mds3.fidoalliance.org/ and imports it; Firstkey checks
// it with SimpleWebAuthn's own verifyMDSBlob (certificate path to the FIDO root, JWT signature) and
// keeps its FIDO2 entries in the database, so every instance checks against the same data. Nothing
// here ever reaches the network: SimpleWebAuthn's MetadataService is only ever given statements
// (never an MDS server to download from), and its certificate revocation (CRL) lookups run inside
// `offline`, where fetch refuses at once. The BLOB's own chain is therefore not checked for
// revocation: IT fetched it over HTTPS from the FIDO Alliance, and a newer BLOB replaces it monthly.

/** The FIDO Alliance's MDS roots as SimpleWebAuthn ships them, read before anything changes them. */
const FIDO_MDS_ROOTS: readonly string[] = [
  ...SettingsService.getRootCertificates({ identifier: 'mds' }),
];

/** Status reports that make an authenticator model unacceptable (FIDO Metadata Service §3.1.4). */
export const REFUSED_STATUSES: ReadonlySet<string> = new Set([
  'REVOKED',
  'USER_VERIFICATION_BYPASS',
  'ATTESTATION_KEY_COMPROMISE',
  'USER_KEY_REMOTE_COMPROMISE',
  'USER_KEY_PHYSICAL_COMPROMISE',
]);

const BLOB_ID = 'current';

/** The FIDO BLOB is a few MB (about 300 FIDO2 models and thousands of others); room to grow. */
export const MAX_BLOB_BYTES = 32 * 1024 * 1024;

/**
 * Process-wide state shared by every copy of this module (Next.js may bundle one per route): the
 * "no network" context, and the queue that gives SimpleWebAuthn's global MetadataService and
 * SettingsService to one configuration at a time. `batch` is the open group of verifications that
 * share one configuration (no statement, permissive: every enrollment when attestation is not
 * required); it closes when anything else is queued behind it. Each copy of SimpleWebAuthn has its own
 * MetadataService (the server's bundle and Next.js's are two), so a batch serves the verifications
 * of the copy it configured only: another copy's may hold another configuration.
 */
type Batch = {
  /** The copy of SimpleWebAuthn's MetadataService the batch configured (one per module copy). */
  service: object;
  ready: Promise<void>;
  running: number;
  closed: boolean;
  drained: () => void;
};
type Shared = { offline: AsyncLocalStorage<true>; queue: Promise<unknown>; batch?: Batch };
const SHARED = Symbol.for('firstkey.passkeys.metadata');

function shared(): Shared {
  const holder = globalThis as typeof globalThis & { [SHARED]?: Shared };
  if (!holder[SHARED]) {
    const state: Shared = { offline: new AsyncLocalStorage<true>(), queue: Promise.resolve() };
    const networkFetch = globalThis.fetch;
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      state.offline.getStore()
        ? Promise.reject(
            new Error(`FIDO metadata is checked offline; refused to fetch ${String(input)}`),
          )
        : networkFetch(input, init)) as typeof fetch;
    holder[SHARED] = state;
  }
  return holder[SHARED];
}

/** Ends the open batch: what is queued next waits for its verifications to finish. */
function closeBatch(state: Shared): void {
  const batch = state.batch;
  if (!batch) return;
  state.batch = undefined;
  batch.closed = true;
  if (batch.running === 0) batch.drained();
}

/**
 * Runs `work` alone (SimpleWebAuthn's metadata service and root certificates are process globals: a
 * concurrent verification must not swap them mid-way) and without network access.
 */
function exclusiveOffline<T>(work: () => Promise<T>): Promise<T> {
  const state = shared();
  closeBatch(state);
  const run = state.queue.then(() => state.offline.run(true, work));
  state.queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs `work` without network access once `setUp` has configured the globals, alongside the other
 * works of the open batch, which need the same configuration and change none of it (each used to
 * wait for the previous one's every await: at 50 enrollments in flight, verify queued ~1.4 s here).
 * `service` is the copy of the MetadataService that `setUp` configures. Exported for its test.
 */
export function sharedOffline<T>(
  service: object,
  setUp: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  const state = shared();
  if (state.batch && state.batch.service !== service) closeBatch(state);
  if (!state.batch) {
    let drained!: () => void;
    const done = new Promise<void>((resolve) => (drained = resolve));
    const ready = state.queue.then(() => state.offline.run(true, setUp));
    const batch: Batch = { service, ready, running: 0, closed: false, drained };
    // A set-up that failed is not reused: the next verification tries again in a new batch.
    ready.catch(() => {
      if (state.batch === batch) closeBatch(state);
    });
    state.batch = batch;
    state.queue = done;
  }
  const batch = state.batch;
  batch.running += 1;
  const run = batch.ready.then(() => state.offline.run(true, work));
  const settled = () => {
    batch.running -= 1;
    if (batch.closed && batch.running === 0) batch.drained();
  };
  run.then(settled, settled);
  return run;
}

/**
 * Runs a registration verification with SimpleWebAuthn's MetadataService holding exactly this
 * statement (strict: an attested authenticator without one is refused) — or, with null, none and
 * permissive, as when attestation is not required. The library checks the attestation certificate
 * path against the statement's attestationRootCertificates and its algorithms against the statement.
 * Verifications without a statement run side by side (they only read the service); one with a
 * statement runs alone.
 */
export function withMetadataStatement<T>(
  statement: MetadataStatement | null,
  work: () => Promise<T>,
): Promise<T> {
  const setUp = () =>
    MetadataService.initialize({
      mdsServers: [],
      statements: statement ? [statement] : [],
      verificationMode: statement ? 'strict' : 'permissive',
    });
  if (!statement) return sharedOffline(MetadataService, setUp, work);
  return exclusiveOffline(async () => {
    await setUp();
    return work();
  });
}

/** The trust anchors of an import: the FIDO root, or the test-only root named by the environment. */
export function mdsTrustRoots(): readonly string[] {
  const file = env().testOnlyMdsRoot;
  return file ? [fs.readFileSync(file, 'utf8')] : FIDO_MDS_ROOTS;
}

export type ImportMetadataResult =
  | { ok: true; no: number; nextUpdate: string; entries: number; refusedModels: number }
  | {
      ok: false;
      reason: 'metadata_invalid' | 'metadata_stale' | 'metadata_not_newer';
      message: string;
    };

/** Midnight UTC after the BLOB's `nextUpdate` day: from then on FIDO has published a newer one. */
function staleFrom(nextUpdate: string): Date {
  return new Date(`${nextUpdate}T00:00:00Z`);
}

export function isStale(nextUpdate: string, at: Date): boolean {
  return at >= staleFrom(nextUpdate);
}

/**
 * Verifies a FIDO MDS3 BLOB and replaces the stored metadata with its FIDO2 entries, audited, in one
 * transaction. Refused: a BLOB whose signature chain does not reach `trustRoots`, one whose
 * `nextUpdate` has passed (FIDO published a newer one: download it), one not newer than the stored one.
 */
export async function importMetadataBlob(
  db: Db,
  jwt: string,
  context: { actor: Actor; at: Date; trustRoots?: readonly string[] },
): Promise<ImportMetadataResult> {
  const trustRoots = context.trustRoots ?? mdsTrustRoots();
  let payload;
  try {
    payload = await exclusiveOffline(async () => {
      SettingsService.setRootCertificates({ identifier: 'mds', certificates: [...trustRoots] });
      return (await verifyMDSBlob(jwt.trim())).payload;
    });
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    return {
      ok: false,
      reason: 'metadata_invalid',
      message: `This is not a FIDO metadata BLOB signed by the FIDO Alliance: ${(error as Error).message}${cause ? ` (${cause.message})` : ''}`,
    };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(payload.nextUpdate) || isStale(payload.nextUpdate, context.at)) {
    return {
      ok: false,
      reason: 'metadata_stale',
      message: `This metadata BLOB (no. ${payload.no}) is out of date: its nextUpdate was ${payload.nextUpdate}, so the FIDO Alliance has published a newer one since. Download the current BLOB from https://mds3.fidoalliance.org/ and import that.`,
    };
  }
  const entries = payload.entries.filter(
    (entry): entry is MetadataBLOBPayloadEntry & { aaguid: string } =>
      Boolean(entry.aaguid && entry.metadataStatement),
  );
  return writeTransaction(db, async (tx) => {
    const previous = await tx.metadataBlob.findUnique({ where: { id: BLOB_ID } });
    if (previous && payload.no <= previous.no) {
      return {
        ok: false as const,
        reason: 'metadata_not_newer' as const,
        message: `This metadata BLOB is no. ${payload.no}; no. ${previous.no} is imported already. Import a newer BLOB (FIDO numbers them in order).`,
      };
    }
    await tx.metadataEntry.deleteMany({});
    await tx.metadataEntry.createMany({
      data: entries.map((entry) => ({
        aaguid: entry.aaguid.toLowerCase(),
        description: entry.metadataStatement!.description,
        statement: JSON.stringify(entry.metadataStatement),
        statusReports: JSON.stringify(entry.statusReports ?? []),
        timeOfLastStatusChange: entry.timeOfLastStatusChange ?? null,
      })),
    });
    const blob = {
      no: payload.no,
      nextUpdate: payload.nextUpdate,
      entries: entries.length,
      importedAt: context.at,
      importedBy: actorLabel(context.actor),
    };
    await tx.metadataBlob.upsert({
      where: { id: BLOB_ID },
      create: { id: BLOB_ID, ...blob },
      update: blob,
    });
    const refusedModels = entries.filter((entry) => refusedStatus(entry.statusReports)).length;
    await appendAudit(tx, {
      at: context.at,
      actor: context.actor,
      action: 'metadata_imported',
      subject: { type: 'metadata_blob', id: String(payload.no) },
      details: {
        no: payload.no,
        nextUpdate: payload.nextUpdate,
        entries: entries.length,
        refusedModels,
        previousNo: previous?.no ?? null,
      },
    });
    return {
      ok: true as const,
      no: payload.no,
      nextUpdate: payload.nextUpdate,
      entries: entries.length,
      refusedModels,
    };
  });
}

/** The first status report that makes the model unacceptable, if any. */
function refusedStatus(reports: { status: string }[] | undefined): string | null {
  return reports?.find((report) => REFUSED_STATUSES.has(report.status))?.status ?? null;
}

export type AuthenticatorMetadata = {
  aaguid: string;
  description: string;
  statement: MetadataStatement;
  /** A status report that makes it unacceptable (ATTESTATION_KEY_COMPROMISE…), or null. */
  refusedStatus: string | null;
};

/** The imported metadata of one authenticator model, or null when the BLOB has none for it. */
export async function metadataFor(db: Db, aaguid: string): Promise<AuthenticatorMetadata | null> {
  const row = await db.metadataEntry.findUnique({ where: { aaguid: aaguid.toLowerCase() } });
  if (!row) return null;
  return {
    aaguid: row.aaguid,
    description: row.description,
    statement: JSON.parse(row.statement) as MetadataStatement,
    refusedStatus: refusedStatus(JSON.parse(row.statusReports) as { status: string }[]),
  };
}

export type MetadataSummary = {
  no: number;
  nextUpdate: string;
  entries: number;
  importedAt: Date;
  stale: boolean;
} | null;

export async function metadataSummary(db: Db, at: Date): Promise<MetadataSummary> {
  const blob = await db.metadataBlob.findUnique({ where: { id: BLOB_ID } });
  return blob
    ? {
        no: blob.no,
        nextUpdate: blob.nextUpdate,
        entries: blob.entries,
        importedAt: blob.importedAt,
        stale: isStale(blob.nextUpdate, at),
      }
    : null;
}

/** Descriptions of the given AAGUIDs from the imported metadata, for naming them to people. */
export async function metadataDescriptions(
  db: Db,
  aaguids: readonly string[],
): Promise<Map<string, string>> {
  if (aaguids.length === 0) return new Map();
  // Raw: it runs for every new passkey, and a Prisma model query costs about five times the CPU of
  // the same statement sent raw (lib/audit/append.ts).
  const rows = await db.$queryRaw<{ aaguid: string; description: string }[]>`
    SELECT "aaguid", "description" FROM "MetadataEntry"
    WHERE "aaguid" IN (${Prisma.join([...aaguids])})`;
  return new Map(rows.map((row) => [row.aaguid, row.description]));
}
