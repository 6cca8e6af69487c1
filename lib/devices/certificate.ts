import crypto from 'node:crypto';
import { fingerprintOfDer } from '@/lib/devices/fingerprint';

export type ParsedCertificate = {
  fingerprint: string;
  subject: string;
  notAfter: Date;
  /** The certificate alone, re-encoded as PEM (anything else in the upload is dropped). */
  pem: string;
};

export type CertificateParseResult =
  | { ok: true; certificate: ParsedCertificate }
  | {
      ok: false;
      reason: 'not_pem' | 'private_key_included' | 'several_certificates' | 'not_a_certificate';
      message: string;
    };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a device's TLS client certificate from PEM text, as uploaded by IT or named on the CLI. */
export function parseCertificatePem(text: string): CertificateParseResult {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return {
      ok: false,
      reason: 'private_key_included',
      message:
        'The file contains a private key. Register the device with its certificate only; the key never leaves the device.',
    };
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    return {
      ok: false,
      reason: 'not_pem',
      message: 'Expected a PEM certificate ("-----BEGIN CERTIFICATE-----"); found none.',
    };
  }
  if (blocks.length > 1) {
    return {
      ok: false,
      reason: 'several_certificates',
      message: `Expected one certificate (the device's own), found ${blocks.length}. Remove the CA chain from the file.`,
    };
  }
  try {
    const certificate = new crypto.X509Certificate(blocks[0]!);
    return {
      ok: true,
      certificate: {
        fingerprint: fingerprintOfDer(certificate.raw),
        subject: certificate.subject.replace(/\n/g, ', '),
        notAfter: new Date(certificate.validTo),
        pem: certificate.toString(),
      },
    };
  } catch (error) {
    return {
      ok: false,
      reason: 'not_a_certificate',
      message: `The PEM block is not a valid X.509 certificate (${(error as Error).message}).`,
    };
  }
}
