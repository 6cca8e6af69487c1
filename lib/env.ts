import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from '@/lib/time/zone';
import { DEFAULT_PROXY_CERT_HEADER, PROXY_CERT_FORMATS } from '@/lib/devices/forwarded-certificate';
import { OUTBOX } from '@/lib/webhooks/policy';

// Every environment variable Firstkey reads, parsed once. README "Configuration" mirrors this list.
const WebhookSecret = z
  .string()
  .regex(
    /^whsec_[A-Za-z0-9+/=]{24,}$/,
    'Expected a Standard Webhooks secret: "whsec_" and base64 (at least 18 bytes)',
  );
const WebhookSecrets = z
  .string()
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z
      .array(WebhookSecret)
      .min(1)
      .max(2, 'At most two secrets (the current and the next, during rotation)'),
  );

const EnvSchema = z.object({
  FIRSTKEY_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:|postgres(ql)?:\/\/)/,
      'DATABASE_URL must start with "file:" (SQLite) or "postgresql://"',
    )
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3443),
  /** The address the server listens on. */
  FIRSTKEY_LISTEN_HOST: z.string().min(1).default('localhost'),
  /** The origin users see (links, WebAuthn origin and rpID). Defaults to https://localhost:PORT. */
  FIRSTKEY_ORIGIN: z
    .url({ protocol: /^https$/, error: 'FIRSTKEY_ORIGIN must be an https:// URL' })
    .optional(),
  /** direct: the TLS peer certificate; proxy: a header set by a TLS-terminating proxy. */
  FIRSTKEY_DEVICE_CERT_MODE: z.enum(['direct', 'proxy']).default('direct'),
  FIRSTKEY_PROXY_SECRET: z
    .string()
    .min(32, 'FIRSTKEY_PROXY_SECRET must be at least 32 characters')
    .optional(),
  /** How the proxy forwards the certificate: sha256 (hex fingerprint), nginx (escaped PEM), envoy (XFCC). */
  FIRSTKEY_PROXY_CERT_FORMAT: z.enum(PROXY_CERT_FORMATS).default('sha256'),
  /** The header it arrives in; defaults to the format's usual name (lib/devices/forwarded-certificate.ts). */
  FIRSTKEY_PROXY_CERT_HEADER: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'FIRSTKEY_PROXY_CERT_HEADER must be a lower-case header name')
    .optional(),
  /** Names this instance in GET /api/health and the x-firstkey-instance header; default host:pid. */
  FIRSTKEY_INSTANCE_ID: z
    .string()
    .regex(
      /^[A-Za-z0-9._:-]{1,64}$/,
      'FIRSTKEY_INSTANCE_ID must be 1–64 letters, digits, ".", "_", ":" or "-"',
    )
    .optional(),
  /** PEM files of a real server certificate; without them the dev CA issues one for localhost. */
  FIRSTKEY_TLS_CERT: z.string().min(1).optional(),
  FIRSTKEY_TLS_KEY: z.string().min(1).optional(),
  /** Standard Webhooks secrets (`whsec_…`) of HR's inbound events; two, space-separated, during rotation. */
  FIRSTKEY_HR_WEBHOOK_SECRET: WebhookSecrets.optional(),
  /** Where status changes are delivered to HR, and the secret they are signed with. */
  FIRSTKEY_HR_STATUS_URL: z
    .url({ protocol: /^https?$/, error: 'FIRSTKEY_HR_STATUS_URL must be an http(s) URL' })
    .optional(),
  FIRSTKEY_HR_STATUS_SECRET: WebhookSecret.optional(),
  /** The MDM endpoint that shows a link on the hire's laptop, and its signing secret. */
  FIRSTKEY_MDM_PUSH_URL: z
    .url({ protocol: /^https?$/, error: 'FIRSTKEY_MDM_PUSH_URL must be an http(s) URL' })
    .optional(),
  FIRSTKEY_MDM_PUSH_SECRET: WebhookSecret.optional(),
  /** Standard Webhooks secrets (`whsec_…`) of the MDM's device assignments; two, space-separated, during rotation. */
  FIRSTKEY_MDM_WEBHOOK_SECRET: WebhookSecrets.optional(),
  /** AES-256-GCM key (base64url, 32 bytes) sealing link pushes in the outbox; without it, one is generated into the data folder. */
  FIRSTKEY_OUTBOX_KEY: z
    .string()
    .refine(
      (value) => Buffer.from(value, 'base64url').length === 32,
      'FIRSTKEY_OUTBOX_KEY must be 32 bytes, base64url-encoded',
    )
    .optional(),
  /** The organisation's IANA time zone: a start date is a day there, and times shown name it. */
  FIRSTKEY_TIME_ZONE: z
    .string()
    .refine(isTimeZone, {
      error: (issue) =>
        `FIRSTKEY_TIME_ZONE must be an IANA time zone such as "Europe/Berlin"; got "${String(issue.input)}"`,
    })
    .default('UTC'),
  /** How a hire reaches the organisation's IT: shown on every failure page ("IT service desk, +1 555 0100"). */
  FIRSTKEY_HELP_CONTACT: z.string().trim().min(1).max(200).optional(),
  /** `off` stops this instance from delivering outbound webhooks (another instance does). */
  FIRSTKEY_OUTBOX_WORKER: z.enum(['on', 'off']).default('on'),
  /** How long a worker holds a message it is sending before another instance may take it over. */
  FIRSTKEY_OUTBOX_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(2, 'FIRSTKEY_OUTBOX_LEASE_SECONDS must be at least 2')
    .max(3600)
    .default(OUTBOX.leaseMs / 1000),
  /**
   * TESTS ONLY: a PEM file whose certificate replaces the FIDO Alliance's MDS root as the trust anchor
   * of `firstkey policy mds import`, so a test can sign its own metadata BLOB. Never set it in
   * production: whoever holds that root's key could vouch for any authenticator.
   */
  FIRSTKEY_TEST_ONLY_MDS_ROOT: z.string().min(1).optional(),
  /** Signs staff session cookies. Without it, one is generated into the data folder (single instance). */
  NEXTAUTH_SECRET: z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters').optional(),
});

export type Env = ReturnType<typeof loadEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const raw = parsed.data;
  if (raw.FIRSTKEY_DEVICE_CERT_MODE === 'proxy' && !raw.FIRSTKEY_PROXY_SECRET) {
    throw new Error(
      'Invalid configuration:\n  FIRSTKEY_PROXY_SECRET is required when FIRSTKEY_DEVICE_CERT_MODE=proxy',
    );
  }
  for (const [url, secret] of [
    ['FIRSTKEY_HR_STATUS_URL', 'FIRSTKEY_HR_STATUS_SECRET'],
    ['FIRSTKEY_MDM_PUSH_URL', 'FIRSTKEY_MDM_PUSH_SECRET'],
  ] as const) {
    if (raw[url] && !raw[secret])
      throw new Error(`Invalid configuration:\n  ${secret} is required when ${url} is set`);
  }
  if (Boolean(raw.FIRSTKEY_TLS_CERT) !== Boolean(raw.FIRSTKEY_TLS_KEY)) {
    throw new Error(
      'Invalid configuration:\n  FIRSTKEY_TLS_CERT and FIRSTKEY_TLS_KEY must be set together',
    );
  }
  const dataDir = path.resolve(/* turbopackIgnore: true */ raw.FIRSTKEY_DATA_DIR ?? '.firstkey');
  const origin = new URL(raw.FIRSTKEY_ORIGIN ?? `https://localhost:${raw.PORT}`);
  return {
    dataDir,
    databaseUrl: raw.DATABASE_URL ?? `file:${path.join(dataDir, 'firstkey.db')}`,
    port: raw.PORT,
    listenHost: raw.FIRSTKEY_LISTEN_HOST,
    origin: origin.origin,
    rpId: origin.hostname,
    deviceCertMode: raw.FIRSTKEY_DEVICE_CERT_MODE,
    proxySecret: raw.FIRSTKEY_PROXY_SECRET,
    proxyCertFormat: raw.FIRSTKEY_PROXY_CERT_FORMAT,
    proxyCertHeader:
      raw.FIRSTKEY_PROXY_CERT_HEADER ?? DEFAULT_PROXY_CERT_HEADER[raw.FIRSTKEY_PROXY_CERT_FORMAT],
    instanceId: raw.FIRSTKEY_INSTANCE_ID ?? `${os.hostname()}:${process.pid}`,
    outboxLeaseMs: raw.FIRSTKEY_OUTBOX_LEASE_SECONDS * 1000,
    sessionSecret: raw.NEXTAUTH_SECRET ?? null,
    outboxKey: raw.FIRSTKEY_OUTBOX_KEY ?? null,
    timeZone: raw.FIRSTKEY_TIME_ZONE,
    /** null: the pages say "your IT team" (in the hire's language). */
    helpContact: raw.FIRSTKEY_HELP_CONTACT ?? null,
    outboxWorker: raw.FIRSTKEY_OUTBOX_WORKER === 'on',
    hrWebhookSecrets: raw.FIRSTKEY_HR_WEBHOOK_SECRET ?? [],
    mdmWebhookSecrets: raw.FIRSTKEY_MDM_WEBHOOK_SECRET ?? [],
    hrStatus: raw.FIRSTKEY_HR_STATUS_URL
      ? { url: raw.FIRSTKEY_HR_STATUS_URL, secret: raw.FIRSTKEY_HR_STATUS_SECRET! }
      : null,
    mdmPush: raw.FIRSTKEY_MDM_PUSH_URL
      ? { url: raw.FIRSTKEY_MDM_PUSH_URL, secret: raw.FIRSTKEY_MDM_PUSH_SECRET! }
      : null,
    testOnlyMdsRoot: raw.FIRSTKEY_TEST_ONLY_MDS_ROOT ?? null,
    tls:
      raw.FIRSTKEY_TLS_CERT && raw.FIRSTKEY_TLS_KEY
        ? { certPath: raw.FIRSTKEY_TLS_CERT, keyPath: raw.FIRSTKEY_TLS_KEY }
        : null,
  };
}

let cached: Env | undefined;

/** The configuration of this process (read once). */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
