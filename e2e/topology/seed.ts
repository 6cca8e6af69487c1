// Prepares the topology tests' PostgreSQL database in one process (a CLI call per step would cost a
// second each): migrations, the dev CA and server certificate, then N hires, each with a registered
// laptop certificate and an open link — through the same lib functions the CLI calls, so every step
// is audited and its HR status message is in the outbox. Prints the hires as JSON on stdout.
// Run: node --import tsx --import ./scripts/node-hooks.mjs e2e/topology/seed.ts <count>
import assert from 'node:assert/strict';
import { db } from '@/lib/db';
import { migrate } from '@/lib/db/migrate';
import { ensureDevCa, ensureServerCertificate } from '@/lib/devices/dev-ca';
import { issueLink } from '@/lib/enrollment/issue-link';
import { env } from '@/lib/env';
import { addHire } from '@/lib/hires/add-hire';
import { registerDevice } from '@/lib/hires/register-device';
import { deviceCertificate } from '@/lib/testing/certificates';

export type SeededHire = {
  employeeId: string;
  name: string;
  certPath: string;
  keyPath: string;
  fingerprint: string;
  token: string;
};

const count = Number(process.argv[2]);
const config = env();
await migrate(config.databaseUrl);
await ensureDevCa(config.dataDir);
await ensureServerCertificate(config.dataDir, config.rpId);
// The instances may start now (the database is migrated, the certificates exist) while hires are added.
process.stderr.write('ready\n');

async function seedHire(index: number): Promise<SeededHire> {
  const at = new Date();
  const employeeId = `T${index.toString().padStart(3, '0')}`;
  const name = `Topology Hire ${index}`;
  const context = { actor: { type: 'cli' as const }, at };
  const added = await addHire(
    db(),
    {
      employeeId,
      name,
      email: `${employeeId.toLowerCase()}@example.com`,
      startDate: at.toISOString().slice(0, 10),
    },
    context,
  );
  assert.ok(added.ok, `hire ${employeeId}`);
  const laptop = await deviceCertificate(employeeId);
  const registered = await registerDevice(
    db(),
    { employeeId, serial: `SN-${employeeId}`, certificatePem: laptop.pem },
    context,
  );
  assert.ok(registered.ok, `device of ${employeeId}`);
  const link = await issueLink(db(), { employeeId }, { ...context, origin: config.origin });
  assert.ok(link.ok, `link of ${employeeId}`);
  return {
    employeeId,
    name,
    certPath: laptop.certPath,
    keyPath: laptop.keyPath,
    fingerprint: laptop.fingerprint,
    token: new URL(link.url).hash.slice(1),
  };
}

const hires: SeededHire[] = [];
for (let start = 0; start < count; start += 10) {
  const batch = Array.from({ length: Math.min(10, count - start) }, (_, i) => seedHire(start + i));
  hires.push(...(await Promise.all(batch)));
}
await db().$disconnect();
process.stdout.write(JSON.stringify(hires));
