import 'server-only';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { X509Certificate } from '@peculiar/x509';
import { fingerprintOfDer } from '@/lib/devices/fingerprint';
import { loadX509 } from '@/lib/devices/x509';

// Firstkey's development certificate authority. In production the server certificate comes from the
// company's PKI (FIRSTKEY_TLS_CERT/KEY) and device certificates from its MDM; in development this CA
// issues both, so the whole flow runs on one laptop. Everything it writes is under the data folder.

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export type KeyPairFiles = { certPath: string; keyPath: string };
type Authority = { certificate: X509Certificate; privateKey: CryptoKey };

function randomSerial(): string {
  // Positive 16-byte serial (RFC 5280 §4.1.2.2: at most 20 octets, positive).
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = await crypto.webcrypto.subtle.exportKey('pkcs8', key);
  const x509 = await loadX509();
  return `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n`;
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const x509 = await loadX509();
  const der = x509.PemConverter.decode(pem)[0]!;
  return crypto.webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
}

function writePrivate(file: string, contents: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, contents, { mode: 0o600 });
}

export function caFiles(dataDir: string): KeyPairFiles {
  return {
    certPath: path.join(dataDir, 'ca', 'ca.pem'),
    keyPath: path.join(dataDir, 'ca', 'ca-key.pem'),
  };
}

export function serverFiles(dataDir: string): KeyPairFiles {
  return {
    certPath: path.join(dataDir, 'tls', 'server.pem'),
    keyPath: path.join(dataDir, 'tls', 'server-key.pem'),
  };
}

/** Loads the dev CA, creating it on first use. */
export async function ensureDevCa(dataDir: string, at = new Date()): Promise<Authority> {
  const files = caFiles(dataDir);
  const x509 = await loadX509();
  if (fs.existsSync(files.certPath) && fs.existsSync(files.keyPath)) {
    return {
      certificate: new x509.X509Certificate(fs.readFileSync(files.certPath, 'utf8')),
      privateKey: await importKeyPem(fs.readFileSync(files.keyPath, 'utf8')),
    };
  }
  const keys = await crypto.webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=Firstkey Development CA (${path.basename(path.dirname(path.resolve(dataDir)))}), O=Firstkey dev`,
    notBefore: new Date(at.getTime() - DAY_MS),
    notAfter: new Date(at.getTime() + 5 * 365 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  writePrivate(files.keyPath, await exportKeyPem(keys.privateKey));
  fs.writeFileSync(files.certPath, `${certificate.toString('pem')}\n`);
  return { certificate, privateKey: keys.privateKey };
}

async function issueLeaf(
  authority: Authority,
  options: {
    subject: string;
    at: Date;
    days: number;
    usage: 'server' | 'client';
    dnsNames?: string[];
    ips?: string[];
  },
) {
  const x509 = await loadX509();
  const keys = await crypto.webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.subject,
    issuer: authority.certificate.subject,
    notBefore: new Date(options.at.getTime() - DAY_MS),
    notAfter: new Date(options.at.getTime() + options.days * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: authority.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        options.usage === 'server'
          ? x509.ExtendedKeyUsage.serverAuth
          : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    keyPem: await exportKeyPem(keys.privateKey),
    der: new Uint8Array(certificate.rawData),
  };
}

/**
 * The HTTPS server's certificate for localhost, issued by the dev CA; reissued when it is missing,
 * or expires within 30 days.
 */
export async function ensureServerCertificate(
  dataDir: string,
  hostname: string,
  at = new Date(),
): Promise<KeyPairFiles> {
  const files = serverFiles(dataDir);
  if (fs.existsSync(files.certPath) && fs.existsSync(files.keyPath)) {
    const existing = new crypto.X509Certificate(fs.readFileSync(files.certPath));
    const fresh = new Date(existing.validTo).getTime() - at.getTime() > 30 * DAY_MS;
    if (fresh && existing.checkHost(hostname)) return files;
  }
  const authority = await ensureDevCa(dataDir, at);
  const leaf = await issueLeaf(authority, {
    subject: `CN=${hostname}, O=Firstkey dev`,
    at,
    days: 397, // CA/Browser Forum's maximum validity for a TLS server certificate.
    usage: 'server',
    dnsNames: [...new Set([hostname, 'localhost'])],
    ips: ['127.0.0.1', '::1'],
  });
  writePrivate(files.keyPath, leaf.keyPem);
  fs.writeFileSync(
    files.certPath,
    `${leaf.certificatePem}\n${authority.certificate.toString('pem')}\n`,
  );
  return files;
}

export type DeviceCertificateFiles = {
  certPath: string;
  keyPath: string;
  p12Path: string | null;
  fingerprint: string;
};

/** A device's TLS client certificate, as an MDM would install it: device.pem, device-key.pem, device.p12. */
export async function issueDeviceCertificate(
  dataDir: string,
  options: { employeeId: string; outDir: string; at?: Date },
): Promise<DeviceCertificateFiles> {
  const at = options.at ?? new Date();
  const authority = await ensureDevCa(dataDir, at);
  const safeId = options.employeeId.replace(/[^A-Za-z0-9._-]/g, '_');
  const leaf = await issueLeaf(authority, {
    subject: `CN=device-${safeId}, O=Firstkey dev`,
    at,
    days: 365,
    usage: 'client',
  });
  const certPath = path.join(options.outDir, 'device.pem');
  const keyPath = path.join(options.outDir, 'device-key.pem');
  const p12Path = path.join(options.outDir, 'device.p12');
  fs.mkdirSync(options.outDir, { recursive: true });
  fs.writeFileSync(certPath, `${leaf.certificatePem}\n`);
  writePrivate(keyPath, leaf.keyPem);
  return {
    certPath,
    keyPath,
    p12Path: writePkcs12(certPath, keyPath, p12Path),
    fingerprint: fingerprintOfDer(leaf.der),
  };
}

/**
 * A PKCS#12 bundle for importing into a browser or OS keychain by hand. Built by the system's openssl
 * (Node cannot write PKCS#12); the export passphrase is empty — it protects nothing on a dev laptop and
 * Firstkey has no passwords. Returns null where openssl is not installed.
 */
function writePkcs12(certPath: string, keyPath: string, p12Path: string): string | null {
  try {
    execFileSync(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-in',
        certPath,
        '-inkey',
        keyPath,
        '-out',
        p12Path,
        '-passout',
        'pass:',
        '-name',
        'Firstkey device',
      ],
      {
        stdio: 'ignore',
      },
    );
    fs.chmodSync(p12Path, 0o600);
    return p12Path;
  } catch {
    return null;
  }
}
