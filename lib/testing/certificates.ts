// Real certificates from the dev CA, in the test's own data folder, for tests that need a device.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueDeviceCertificate } from '@/lib/devices/dev-ca';

export async function deviceCertificate(employeeId: string) {
  const dataDir =
    process.env.FIRSTKEY_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-cert-'));
  const files = await issueDeviceCertificate(dataDir, {
    employeeId,
    outDir: path.join(
      dataDir,
      'devices',
      `${employeeId}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    ),
  });
  return {
    ...files,
    pem: fs.readFileSync(files.certPath, 'utf8'),
    keyPem: fs.readFileSync(files.keyPath, 'utf8'),
  };
}
