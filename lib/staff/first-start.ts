import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/lib/db';
import { issueDeviceCertificate } from '@/lib/devices/dev-ca';
import { bootstrapAdmin } from '@/lib/staff/bootstrap';
import { itAdminExists } from '@/lib/access/last-admin';

export const FIRST_ADMIN = {
  employeeId: 'it-admin',
  name: 'First IT admin',
  email: 'it-admin@firstkey.invalid',
} as const;

export type FirstStart = {
  url: string;
  expiresAt: Date;
  p12Path: string | null;
  certPath: string;
  keyPath: string;
};

/**
 * What `npm start` prints while no IT admin exists (DESIGN.md "Contracts"): a device certificate for
 * the operator's browser, from the dev CA, and a 10-minute bootstrap link bound to it — the same
 * mechanism as `firstkey admin bootstrap`. Each start issues a fresh link and revokes the last one.
 */
export async function firstStartBootstrap(
  db: Db,
  input: { dataDir: string; origin: string; at: Date },
): Promise<FirstStart | null> {
  if (await itAdminExists(db)) return null;
  const outDir = path.join(input.dataDir, 'bootstrap');
  const certPath = path.join(outDir, 'device.pem');
  const files = fs.existsSync(certPath)
    ? {
        certPath,
        keyPath: path.join(outDir, 'device-key.pem'),
        p12Path: fs.existsSync(path.join(outDir, 'device.p12'))
          ? path.join(outDir, 'device.p12')
          : null,
      }
    : await issueDeviceCertificate(input.dataDir, {
        employeeId: FIRST_ADMIN.employeeId,
        outDir,
        at: input.at,
      });
  const result = await bootstrapAdmin(
    db,
    { hire: FIRST_ADMIN, certificatePem: fs.readFileSync(files.certPath, 'utf8') },
    input,
  );
  if (!result.ok) throw new Error(`Could not prepare the first IT admin: ${result.message}`);
  return { url: result.url, expiresAt: result.expiresAt, ...files };
}
