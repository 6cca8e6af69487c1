import { parseCertificatePem } from '@/lib/devices/certificate';
import { normalizeFingerprint } from '@/lib/devices/fingerprint';

// How a TLS-terminating proxy hands Firstkey the client certificate it saw. The front door
// (lib/devices/front-door.ts) reads exactly one of these, the one FIRSTKEY_PROXY_CERT_FORMAT names,
// and only on requests that carry the proxy's shared secret. One format, not "whichever header is
// present": a proxy overwrites the header it sets, but passes the others through from the client,
// so reading a second format would let a client forge its certificate through the real proxy.
//   sha256  the SHA-256 fingerprint in hex (any case, colons allowed), e.g. a proxy that computes it
//   nginx   nginx's $ssl_client_escaped_cert: the certificate as URL-encoded PEM; Firstkey hashes
//           the DER itself (nginx's own $ssl_client_fingerprint is SHA-1 and never accepted)
//   envoy   Envoy's x-forwarded-client-cert: comma-separated elements of `Key=value` pairs joined
//           by `;`, values double-quoted when they hold `,` `;` or `=`; `Hash=` is the hex SHA-256
//           of the certificate's DER. Envoy appends its element last (APPEND_FORWARD), so the last
//           element is the one the proxy holding the secret added; earlier ones prove nothing.

export const PROXY_CERT_FORMATS = ['sha256', 'nginx', 'envoy'] as const;
export type ProxyCertFormat = (typeof PROXY_CERT_FORMATS)[number];

/** Each format's usual header name (FIRSTKEY_PROXY_CERT_HEADER overrides it). */
export const DEFAULT_PROXY_CERT_HEADER: Record<ProxyCertFormat, string> = {
  sha256: 'x-client-cert-sha256',
  nginx: 'x-client-cert',
  envoy: 'x-forwarded-client-cert',
};

export type ForwardedCertificate =
  { ok: true; fingerprint: string | null } | { ok: false; message: string };

/** Longest header value read: a PEM certificate with a long chain of extensions fits in 16 KiB. */
const MAX_VALUE_LENGTH = 16 * 1024;

const refused = (message: string): ForwardedCertificate => ({ ok: false, message });

function fromFingerprint(value: string, what: string): ForwardedCertificate {
  const fingerprint = normalizeFingerprint(value);
  if (fingerprint) return { ok: true, fingerprint };
  const digits = value.replace(/[:\s]/g, '').length;
  return refused(
    `${what} must be a SHA-256 fingerprint (64 hex digits); got ${digits} characters` +
      (digits === 40 ? ' — that is a SHA-1 fingerprint, which is never accepted' : ''),
  );
}

function fromEscapedPem(value: string, what: string): ForwardedCertificate {
  let pem: string;
  try {
    pem = decodeURIComponent(value);
  } catch {
    return refused(`${what} is not URL-encoded PEM (a malformed %-escape)`);
  }
  const parsed = parseCertificatePem(pem);
  if (!parsed.ok)
    return refused(`${what} is not one URL-encoded PEM certificate: ${parsed.message}`);
  return { ok: true, fingerprint: parsed.certificate.fingerprint };
}

/** Splits on `separator` outside double quotes; a backslash escapes the next character inside them. */
function splitOutsideQuotes(text: string, separator: string): string[] | null {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '\\') {
      current += char + (text[i + 1] ?? '');
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (quoted) return null;
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}

/** The key/value pairs of Envoy's last XFCC element, or null when the header does not parse. */
export function lastXfccElement(value: string): Map<string, string[]> | null {
  const elements = splitOutsideQuotes(value, ',');
  const last = elements?.at(-1)?.trim();
  if (!last) return null;
  const pairs = splitOutsideQuotes(last, ';');
  if (!pairs) return null;
  const element = new Map<string, string[]>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) return null;
    const key = pair.slice(0, at).trim().toLowerCase();
    element.set(key, [...(element.get(key) ?? []), unquote(pair.slice(at + 1).trim())]);
  }
  return element;
}

function fromXfcc(value: string, what: string): ForwardedCertificate {
  const element = lastXfccElement(value);
  if (!element)
    return refused(
      `${what} is not an x-forwarded-client-cert value (Key=value pairs separated by ";", elements by ",", quotes balanced)`,
    );
  const hashes = element.get('hash') ?? [];
  if (hashes.length !== 1)
    return refused(
      `${what}: its last element must carry exactly one Hash= (the SHA-256 of the client certificate); found ${hashes.length}`,
    );
  return fromFingerprint(hashes[0]!, `${what}'s Hash=`);
}

/**
 * The fingerprint in a proxy's certificate header: null when the header is absent or empty (the
 * client presented no certificate), a refusal when the proxy sent something that is not a
 * certificate in the configured format — a misconfigured proxy must be noticed, not read as "no
 * certificate".
 */
export function forwardedFingerprint(
  format: ProxyCertFormat,
  header: string,
  value: string | undefined,
): ForwardedCertificate {
  const trimmed = value?.trim();
  if (!trimmed) return { ok: true, fingerprint: null };
  const what = `The proxy's ${header} header`;
  if (trimmed.length > MAX_VALUE_LENGTH)
    return refused(`${what} is longer than ${MAX_VALUE_LENGTH / 1024} KiB`);
  if (format === 'sha256') return fromFingerprint(trimmed, what);
  if (format === 'nginx') return fromEscapedPem(trimmed, what);
  return fromXfcc(trimmed, what);
}
