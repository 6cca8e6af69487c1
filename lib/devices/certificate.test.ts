import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { parseCertificatePem } from '@/lib/devices/certificate';
import { deviceCertificate } from '@/lib/testing/certificates';

describe('reading a device certificate', () => {
  test('a PEM certificate yields the SHA-256 fingerprint a TLS peer presents', async () => {
    const device = await deviceCertificate('cert-1');
    const parsed = parseCertificatePem(device.pem);
    assert.ok(parsed.ok);
    assert.equal(parsed.certificate.fingerprint, device.fingerprint);
    assert.equal(
      parsed.certificate.fingerprint,
      new crypto.X509Certificate(device.pem).fingerprint256.replace(/:/g, '').toLowerCase(),
    );
    assert.match(parsed.certificate.subject, /CN=device-cert-1/);
    assert.ok(parsed.certificate.notAfter > new Date());
  });

  test('a file that includes the private key is refused, so keys never leave the device', async () => {
    const device = await deviceCertificate('cert-2');
    const parsed = parseCertificatePem(device.pem + device.keyPem);
    assert.deepEqual(parsed.ok ? null : parsed.reason, 'private_key_included');
  });

  test('a chain of several certificates is refused with the count', async () => {
    const [a, b] = [await deviceCertificate('cert-3'), await deviceCertificate('cert-4')];
    const parsed = parseCertificatePem(a.pem + b.pem);
    assert.ok(!parsed.ok);
    assert.equal(parsed.reason, 'several_certificates');
    assert.match(parsed.message, /found 2/);
  });

  test('text that is not a PEM certificate, or a corrupted one, is refused with a reason', () => {
    const notPem = parseCertificatePem('hello');
    assert.deepEqual(notPem.ok ? null : notPem.reason, 'not_pem');
    const corrupted = parseCertificatePem(
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    );
    assert.deepEqual(corrupted.ok ? null : corrupted.reason, 'not_a_certificate');
  });
});
