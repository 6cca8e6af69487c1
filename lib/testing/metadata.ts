// A FIDO metadata world of the test's own, for the passkey policy's "attestation required": a root CA
// that plays the FIDO Alliance (it signs an MDS3 BLOB, a JWT with an x5c chain, exactly as the real
// one is shaped) and an authenticator vendor's attestation root whose certificate the BLOB's
// statement lists, with a packed attestation key for the software authenticator. Firstkey verifies
// all of it through the same import path as a real BLOB; only the trust anchor is the test's.
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { MetadataBLOBPayloadEntry, MetadataStatement } from '@simplewebauthn/server';
import type { PackedAttestation } from '@/lib/testing/soft-authenticator';

x509.cryptoProvider.set(crypto.webcrypto as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

async function keys() {
  return crypto.webcrypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;
}

async function rootCa(name: string) {
  const pair = await keys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    name,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    keys: pair,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(pair.publicKey),
    ],
  });
  return { certificate, pair };
}

async function leaf(
  issuer: Awaited<ReturnType<typeof rootCa>>,
  name: string,
  extensions: x509.Extension[] = [],
) {
  const pair = await keys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    subject: name,
    issuer: issuer.certificate.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    publicKey: pair.publicKey,
    signingKey: issuer.pair.privateKey,
    signingAlgorithm: EC,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...extensions],
  });
  return { certificate, pair };
}

const der = (certificate: x509.X509Certificate) => new Uint8Array(certificate.rawData);
const base64 = (certificate: x509.X509Certificate) =>
  Buffer.from(certificate.rawData).toString('base64');

/**
 * The FIDO Alliance of the test: its root (the trust anchor to import with) and a BLOB signer. With
 * `crlUrl`, the signer's certificate names a CRL there, as the real BLOB's chain does.
 */
export async function testMetadataService(options: { crlUrl?: string } = {}) {
  const root = await rootCa('CN=Test FIDO MDS Root');
  const signer = await leaf(
    root,
    'CN=mds.test.example',
    options.crlUrl ? [new x509.CRLDistributionPointsExtension([options.crlUrl])] : [],
  );
  return {
    rootPem: root.certificate.toString('pem'),
    /** An MDS3 BLOB: a JWT (ES256) whose header's x5c holds the signer's certificate. */
    async signBlob(payload: {
      no: number;
      nextUpdate: string;
      entries: MetadataBLOBPayloadEntry[];
    }): Promise<string> {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const header = part({ alg: 'ES256', typ: 'JWT', x5c: [base64(signer.certificate)] });
      const body = part({ legalHeader: 'Test metadata, not FIDO\u2019s', ...payload });
      const signature = await crypto.webcrypto.subtle.sign(
        EC,
        signer.pair.privateKey,
        Buffer.from(`${header}.${body}`),
      );
      return `${header}.${body}.${Buffer.from(signature).toString('base64url')}`;
    },
  };
}

/**
 * An authenticator model: its vendor's attestation root, a packed attestation key whose certificate
 * chains to it (with the id-fido-gen-ce-aaguid extension naming the model), and its metadata entry.
 */
export async function testAuthenticatorModel(input: {
  aaguid: string;
  description: string;
  statusReports?: MetadataBLOBPayloadEntry['statusReports'];
}) {
  const vendorRoot = await rootCa(`CN=${input.description} Attestation Root`);
  const aaguidBytes = Buffer.from(input.aaguid.replace(/-/g, ''), 'hex');
  const attestationLeaf = await leaf(
    vendorRoot,
    `C=SE, O=Test Vendor, OU=Authenticator Attestation, CN=${input.description} Attestation`,
    [
      new x509.Extension(
        '1.3.6.1.4.1.45724.1.1.4',
        false,
        Buffer.concat([Buffer.from([0x04, 0x10]), aaguidBytes]),
      ),
    ],
  );
  const statement = {
    aaguid: input.aaguid,
    description: input.description,
    authenticatorVersion: 1,
    protocolFamily: 'fido2',
    schema: 3,
    upv: [{ major: 1, minor: 1 }],
    authenticationAlgorithms: ['secp256r1_ecdsa_sha256_raw'],
    publicKeyAlgAndEncodings: ['cose'],
    attestationTypes: ['basic_full'],
    userVerificationDetails: [[{ userVerificationMethod: 'fingerprint_internal' }]],
    keyProtection: ['hardware', 'secure_element'],
    matcherProtection: ['on_chip'],
    tcDisplay: [],
    attestationRootCertificates: [base64(vendorRoot.certificate)],
  } as MetadataStatement;
  const attestation: PackedAttestation = {
    privateKey: crypto.KeyObject.from(attestationLeaf.pair.privateKey),
    x5c: [der(attestationLeaf.certificate)],
  };
  const entry: MetadataBLOBPayloadEntry = {
    aaguid: input.aaguid,
    metadataStatement: statement,
    statusReports: input.statusReports ?? [
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2025-01-01' },
    ],
    timeOfLastStatusChange: '2025-01-01',
  };
  return { aaguid: input.aaguid, attestation, entry };
}

/** The BLOB's nextUpdate a month from `at` (FIDO publishes monthly). */
export function nextMonth(at = new Date()): string {
  return new Date(at.getTime() + 30 * DAY).toISOString().slice(0, 10);
}
