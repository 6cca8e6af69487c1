// The `firstkey` command (DESIGN.md "Contracts"). Each command parses its flags with zod, calls one
// lib/ function and prints JSON on stdout; errors go to stderr with a non-zero exit.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CliError, parseFlags, printJson } from '@/cli/output';
import type { Actor } from '@/lib/audit/actor';
import { verifyAuditChain } from '@/lib/audit/verify';
import { db } from '@/lib/db';
import { migrate } from '@/lib/db/migrate';
import { backupDatabase } from '@/lib/db/backup';
import { ensureDevCa, ensureServerCertificate, issueDeviceCertificate } from '@/lib/devices/dev-ca';
import { registerDevice } from '@/lib/hires/register-device';
import { env } from '@/lib/env';
import { sessionSecret } from '@/lib/secrets';
import { addHire } from '@/lib/hires/add-hire';
import { EmployeeId, HireInput } from '@/lib/hires/hire-input';
import { hireStatuses } from '@/lib/hires/status';
import { issueLink } from '@/lib/enrollment/issue-link';
import { bootstrapAdmin } from '@/lib/staff/bootstrap';
import { itAdminExists } from '@/lib/access/last-admin';
import { importHiresCsv } from '@/lib/hr/import-hires';
import { firstStartBootstrap } from '@/lib/staff/first-start';
import { addOidcClient, OidcClientInput } from '@/lib/oidc/clients';
import {
  createScimConnection,
  listScimConnections,
  revokeScimConnection,
  ScimConnectionInput,
} from '@/lib/scim/connections';
import {
  ensureSigningKeys,
  providerJwks,
  rotateSigningKeys,
  SigningKeySealError,
} from '@/lib/oidc/keys';
import { DISCOVERY_PATH } from '@/lib/oidc/front';

/** "90m", "72h", "14d" → milliseconds (the policy's range is checked by issueLink). */
const Duration = z
  .string()
  .regex(/^\d+(m|h|d)$/, 'Expected a duration such as 90m, 72h or 14d')
  .transform(
    (value) =>
      Number(value.slice(0, -1)) *
      { m: 60_000, h: 3_600_000, d: 86_400_000 }[value.slice(-1) as 'm' | 'h' | 'd'],
  );

const CLI: Actor = { type: 'cli' };

// Loaded by the commands that use them only: they load SimpleWebAuthn, about 0.3 s of every
// process's start otherwise, and each command is a process of its own (the build keeps them in a
// chunk of their own, scripts/build-bundles.mjs).
const passkeyPolicy = () => import('@/lib/passkeys/policy');
const fidoMetadata = () => import('@/lib/passkeys/metadata');

const USAGE = `Usage: firstkey <command> [flags]

  migrate                                   apply database migrations
  setup                                     migrate, create the dev CA and the server certificate
  hire add --employee-id ID --name NAME --email EMAIL --start-date YYYY-MM-DD
           [--manager ID] [--department NAME] [--role it|manager]
  device issue-cert --employee-id ID --out DIR
  device register --employee-id ID --serial SERIAL --cert PEM_PATH
  invite --employee-id ID [--ttl 72h] [--not-before ISO_DATE_TIME]
  admin bootstrap --employee-id ID --name NAME --email EMAIL --cert PEM_PATH
  admin first-start                         (npm start) while no IT admin exists: a dev-CA
                                            certificate and a 10-minute link for the first one
  import FILE.csv                           hires from CSV (employee_id,name,email,start_date,
                                            manager_employee_id,department); all rows or none
  status [--employee-id ID]
  audit verify
  backup --out FILE                         SQLite: an online backup to FILE, checked (integrity,
                                            audit chain) before it is reported; PostgreSQL: the
                                            pg_dump and restore commands for DATABASE_URL
  oidc client add --name NAME --redirect-uri URI [--redirect-uri URI …]
                  [--post-logout-redirect-uri URI …] [--public | --jwks FILE] [--home-url URL]
                                            register an app; prints its client_id and, unless
                                            --public, its secret (shown this once only)
  scim token create --name NAME             a SCIM connection for the IdP's provisioning; prints
                                            its bearer token (shown this once only)
  scim token list                           the connections, with last use and revocation
  scim token revoke --id ID                 the token is refused from the next request on
  policy show                               the passkey policy and the imported FIDO metadata
  policy set [--allow AAGUID … | --block AAGUID … | --any-aaguid]
             [--device-bound-only yes|no] [--attestation-required yes|no]
                                            change the passkey policy (flags left out stay)
  policy mds import BLOB.jwt                import FIDO metadata (MDS3) downloaded from
                                            https://mds3.fidoalliance.org/; checked offline
  oidc keys rotate                          run once to stage new signing keys (published, not
                                            signing; restart every instance), again a day later
                                            to promote them (restart again)

Every command prints JSON on stdout. Data: FIRSTKEY_DATA_DIR (default ./.firstkey).`;

type Flags = Record<string, string | string[] | boolean | undefined>;

function readFileFlag(flag: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `${flag}: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

function migrateNow() {
  return migrate(env().databaseUrl);
}

/** A JSON file named by a flag, or a CLI error that says what was wrong with it. */
function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`Cannot read ${file} as JSON: ${(error as Error).message}`, 2);
  }
}

const commands: Record<string, (flags: Flags, positionals: string[]) => Promise<unknown>> = {
  async migrate() {
    return migrateNow();
  },

  async setup() {
    const config = env();
    const migrations = await migrateNow();
    await ensureDevCa(config.dataDir);
    sessionSecret();
    const tls = config.tls ?? (await ensureServerCertificate(config.dataDir, config.rpId));
    const oidcKeys = await ensureSigningKeys(db(), new Date());
    // Keys another instance made must unseal here too: say so now, not as a crash of the server.
    await providerJwks(db()).catch((error: unknown) => {
      throw error instanceof SigningKeySealError ? new CliError(error.message) : error;
    });
    return { dataDir: config.dataDir, migrations, tls, oidcSigningKeysCreated: oidcKeys.created };
  },

  async 'hire add'(flags) {
    const input = parseFlags(HireInput, {
      employeeId: flags['employee-id'],
      name: flags.name,
      email: flags.email,
      startDate: flags['start-date'],
      managerEmployeeId: flags.manager,
      department: flags.department,
      role: flags.role,
    });
    await migrateNow();
    const result = await addHire(db(), input, { actor: CLI, at: new Date() });
    if (!result.ok) throw new CliError(result.message);
    const [status] = await hireStatuses(db(), { employeeId: result.hire.employeeId });
    return status;
  },

  async 'device issue-cert'(flags) {
    const { employeeId, out } = parseFlags(
      z.object({ employeeId: EmployeeId, out: z.string().min(1, 'Expected a folder') }),
      {
        employeeId: flags['employee-id'],
        out: flags.out,
      },
    );
    const files = await issueDeviceCertificate(env().dataDir, {
      employeeId,
      outDir: path.resolve(out),
    });
    return { employeeId, ...files };
  },

  async 'device register'(flags) {
    const input = parseFlags(
      z.object({
        employeeId: EmployeeId,
        serial: z.string().trim().min(1, 'Expected the device serial or asset tag').max(100),
        cert: z.string().min(1, 'Expected the path of the device certificate (PEM)'),
      }),
      { employeeId: flags['employee-id'], serial: flags.serial, cert: flags.cert },
    );
    const certificatePem = readFileFlag('--cert', input.cert);
    await migrateNow();
    const result = await registerDevice(
      db(),
      { employeeId: input.employeeId, serial: input.serial, certificatePem },
      { actor: CLI, at: new Date() },
    );
    if (!result.ok) throw new CliError(result.message);
    const [status] = await hireStatuses(db(), { employeeId: input.employeeId });
    return { ...status, replacedDevice: result.replaced };
  },

  async invite(flags) {
    const input = parseFlags(
      z.object({
        employeeId: EmployeeId,
        ttl: Duration.optional(),
        notBefore: z.iso
          .datetime({
            offset: true,
            error: 'Expected an ISO date-time such as 2026-12-01T08:00:00Z',
          })
          .optional(),
      }),
      { employeeId: flags['employee-id'], ttl: flags.ttl, notBefore: flags['not-before'] },
    );
    await migrateNow();
    const result = await issueLink(
      db(),
      {
        employeeId: input.employeeId,
        ttlMs: input.ttl,
        notBefore: input.notBefore ? new Date(input.notBefore) : undefined,
      },
      { actor: CLI, at: new Date(), origin: env().origin },
    );
    if (!result.ok) throw new CliError(result.message);
    return {
      url: result.url,
      notBefore: result.notBefore.toISOString(),
      expiresAt: result.expiresAt.toISOString(),
      deviceSerial: result.deviceSerial,
    };
  },

  async 'admin bootstrap'(flags) {
    const input = parseFlags(
      HireInput.pick({ employeeId: true, name: true, email: true }).extend({
        cert: z.string().min(1, "Expected the path of your laptop's certificate (PEM)"),
      }),
      {
        employeeId: flags['employee-id'],
        name: flags.name,
        email: flags.email,
        cert: flags.cert,
      },
    );
    const certificatePem = readFileFlag('--cert', input.cert);
    await migrateNow();
    const result = await bootstrapAdmin(
      db(),
      { hire: input, certificatePem },
      { at: new Date(), origin: env().origin },
    );
    if (!result.ok) throw new CliError(result.message);
    return {
      url: result.url,
      expiresAt: result.expiresAt.toISOString(),
      deviceSerial: result.deviceSerial,
    };
  },

  async 'admin first-start'() {
    const config = env();
    await migrateNow();
    if (config.tls) {
      const exists = await itAdminExists(db());
      return {
        adminExists: exists,
        hint: exists
          ? null
          : "Run `firstkey admin bootstrap` with your laptop's certificate to create the first IT admin",
      };
    }
    const bootstrap = await firstStartBootstrap(db(), {
      dataDir: config.dataDir,
      origin: config.origin,
      at: new Date(),
    });
    return bootstrap
      ? { adminExists: false, ...bootstrap, expiresAt: bootstrap.expiresAt.toISOString() }
      : { adminExists: true };
  },

  async import(_flags, positionals) {
    const file = positionals[0];
    if (!file) throw new CliError('Expected the CSV file: firstkey import hires.csv', 2);
    const text = readFileFlag('FILE', file);
    await migrateNow();
    const result = await importHiresCsv(db(), text, { actor: CLI, at: new Date() });
    if (!result.ok && result.reason === 'too_large')
      throw new CliError(`Nothing imported: ${result.message}`);
    if (!result.ok) {
      throw new CliError(
        `Nothing imported; fix these rows and try again:\n${result.errors.map((error) => `  line ${error.line}: ${error.message}`).join('\n')}`,
      );
    }
    return result;
  },

  async status(flags) {
    const { employeeId } = parseFlags(z.object({ employeeId: EmployeeId.optional() }), {
      employeeId: flags['employee-id'],
    });
    await migrateNow();
    const hires = await hireStatuses(db(), { employeeId });
    if (employeeId) {
      if (!hires[0]) throw new CliError(`No person with employee id "${employeeId}"`);
      return hires[0];
    }
    return hires;
  },

  async 'oidc client add'(flags) {
    const input = parseFlags(OidcClientInput, {
      name: flags.name,
      redirectUris: flags['redirect-uri'],
      postLogoutRedirectUris: flags['post-logout-redirect-uri'],
      public: flags.public,
      homeUrl: flags['home-url'],
      jwks: flags.jwks ? readJsonFile(String(flags.jwks)) : undefined,
    });
    await migrateNow();
    const client = await addOidcClient(db(), input, { actor: CLI, at: new Date() });
    return {
      client_id: client.clientId,
      ...(client.clientSecret
        ? {
            client_secret: client.clientSecret,
            note: 'The secret is shown this once; Firstkey keeps only its hash.',
          }
        : {}),
      name: client.name,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      redirect_uris: input.redirectUris,
      discovery: `${env().origin}${DISCOVERY_PATH}`,
    };
  },

  async 'scim token create'(flags) {
    const input = parseFlags(ScimConnectionInput, { name: flags.name });
    await migrateNow();
    const created = await createScimConnection(db(), input, { actor: CLI, at: new Date() });
    return {
      id: created.id,
      name: created.name,
      token: created.token,
      note: 'The token is shown this once; Firstkey keeps only its hash.',
      baseUrl: `${env().origin}/scim/v2`,
    };
  },

  async 'scim token list'() {
    await migrateNow();
    return listScimConnections(db());
  },

  async 'scim token revoke'(flags) {
    const { id } = parseFlags(z.object({ id: z.string().min(1, '--id is required') }), {
      id: flags.id,
    });
    await migrateNow();
    const revoked = await revokeScimConnection(db(), id, { actor: CLI, at: new Date() });
    if (!revoked.ok) throw new CliError(revoked.message);
    return revoked.connection;
  },

  async 'oidc keys rotate'() {
    await migrateNow();
    const rotation = await rotateSigningKeys(db(), new Date());
    if (!rotation.ok) throw new CliError(rotation.message);
    return {
      ...rotation,
      next:
        rotation.step === 'staged'
          ? `Restart every instance so all of them publish the new keys; run this again from ${rotation.promoteFrom.toISOString()} to make them sign.`
          : 'Restart every instance so all of them sign with the new keys; the old ones stay published until their tokens expire.',
    };
  },

  async 'policy show'() {
    const { passkeyPolicyView } = await passkeyPolicy();
    await migrateNow();
    return passkeyPolicyView(db(), new Date());
  },

  async 'policy set'(flags) {
    const chosen = ['allow', 'block', 'any-aaguid'].filter((flag) => flags[flag] !== undefined);
    if (chosen.length > 1)
      throw new CliError(
        `Choose one of --allow, --block and --any-aaguid, not ${chosen.join(' and ')}`,
        2,
      );
    const yesNo = z
      .enum(['yes', 'no'], { error: 'Expected yes or no' })
      .transform((value) => value === 'yes')
      .optional();
    const changes = parseFlags(z.object({ deviceBoundOnly: yesNo, attestationRequired: yesNo }), {
      deviceBoundOnly: flags['device-bound-only'],
      attestationRequired: flags['attestation-required'],
    });
    const { currentPasskeyPolicy, PasskeyPolicyInput, setPasskeyPolicy } = await passkeyPolicy();
    await migrateNow();
    const current = await currentPasskeyPolicy(db());
    const listed = (flags.allow ?? flags.block ?? []) as string[];
    const policy = parseFlags(PasskeyPolicyInput, {
      aaguidMode: flags.allow
        ? 'allow'
        : flags.block
          ? 'block'
          : flags['any-aaguid']
            ? 'any'
            : current.aaguidMode,
      aaguids: chosen.length > 0 ? listed : current.aaguids,
      deviceBoundOnly: changes.deviceBoundOnly ?? current.deviceBoundOnly,
      attestationRequired: changes.attestationRequired ?? current.attestationRequired,
    });
    const result = await setPasskeyPolicy(db(), policy, { actor: CLI, at: new Date() });
    if (!result.ok) throw new CliError(result.message);
    return { changed: result.changed, before: result.before, after: result.after };
  },

  async 'policy mds import'(_flags, positionals) {
    const file = positionals[0];
    if (!file) throw new CliError('Expected the BLOB file: firstkey policy mds import blob.jwt', 2);
    const { importMetadataBlob, MAX_BLOB_BYTES } = await fidoMetadata();
    const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
    if (size !== undefined && size > MAX_BLOB_BYTES)
      throw new CliError(
        `${file} is ${size} bytes; a FIDO metadata BLOB is at most ${MAX_BLOB_BYTES}`,
      );
    const blob = readFileFlag('BLOB', file);
    await migrateNow();
    const result = await importMetadataBlob(db(), blob, { actor: CLI, at: new Date() });
    if (!result.ok) throw new CliError(result.message);
    return result;
  },

  async backup(flags) {
    const { out } = parseFlags(z.object({ out: z.string().min(1, 'Expected the backup file') }), {
      out: flags.out,
    });
    const result = await backupDatabase(env().databaseUrl, out);
    if (!result.ok) throw new CliError(result.message);
    return result;
  },

  async 'audit verify'() {
    await migrateNow();
    const result = await verifyAuditChain(db());
    if (!result.ok) {
      printJson(result);
      throw new CliError(`Audit chain broken at event ${result.brokenAt}: ${result.problem}`);
    }
    return result;
  },
};

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'employee-id': { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        'start-date': { type: 'string' },
        manager: { type: 'string' },
        department: { type: 'string' },
        role: { type: 'string' },
        out: { type: 'string' },
        serial: { type: 'string' },
        cert: { type: 'string' },
        ttl: { type: 'string' },
        'not-before': { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'post-logout-redirect-uri': { type: 'string', multiple: true },
        'home-url': { type: 'string' },
        jwks: { type: 'string' },
        id: { type: 'string' },
        public: { type: 'boolean' },
        allow: { type: 'string', multiple: true },
        block: { type: 'string', multiple: true },
        'any-aaguid': { type: 'boolean' },
        'device-bound-only': { type: 'string' },
        'attestation-required': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`firstkey: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const positionals = parsed.positionals;
  const name = [
    positionals.slice(0, 3).join(' '),
    positionals.slice(0, 2).join(' '),
    positionals[0] ?? '',
  ].find((candidate) => candidate in commands);
  if (parsed.values.help || !name) {
    const unknown = positionals.length > 0 && !parsed.values.help;
    (unknown ? process.stderr : process.stdout).write(
      `${unknown ? `firstkey: unknown command "${positionals.join(' ')}"\n\n` : ''}${USAGE}\n`,
    );
    return unknown || positionals.length === 0 ? 2 : 0;
  }
  const rest = positionals.slice(name.split(' ').length);
  if (rest.length > (name === 'import' || name === 'policy mds import' ? 1 : 0)) {
    process.stderr.write(`firstkey ${name}: unexpected argument "${rest.at(-1)}"\n`);
    return 2;
  }
  try {
    printJson(await commands[name]!(parsed.values, rest));
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`firstkey ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`firstkey ${name}: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
