// Tens of thousands of hires for the scale tests, in well under a second: prepared INSERTs in one
// SQLite transaction on a second connection to the test database (Prisma's createMany spends ~0.3 ms
// a row here, 20 s for 50,000 hires and their links). Dates are written the way Prisma writes them,
// so the app's own queries compare and read them as usual. No audit events, no per-row checks: these
// tests are about reading at scale (export, metrics, attention), not the write path.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';

/** Prisma's SQLite DateTime text: ISO 8601 with an explicit offset. */
const stamp = (at: Date) => at.toISOString().replace('Z', '+00:00');

export type SeededHire = { id: string; employeeId: string };

/**
 * `count` hires `${prefix}0` … in state `ready`, all reporting to the first. The first `enrolled` of
 * them are `enrolled` instead: a laptop, one link issued at `at`, opened after 10 minutes and consumed
 * after 20, and a passkey 30 minutes after issue.
 */
export function seedHires(
  count: number,
  options: { prefix: string; startDate: string; at: Date; enrolled?: number },
): SeededHire[] {
  const { prefix, startDate, at, enrolled = 0 } = options;
  const after = (minutes: number) => stamp(new Date(at.getTime() + minutes * 60_000));
  const hires = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    employeeId: `${prefix}${i}`,
  }));
  const sqlite = new Database(process.env.DATABASE_URL!.replace(/^file:/, ''), { timeout: 15_000 });
  try {
    const user = sqlite.prepare(
      'INSERT INTO "User" (id, employeeId, name, email, department, startDate, managerId, enrollmentState, stateChangedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const device = sqlite.prepare(
      'INSERT INTO "Device" (id, userId, serial, certFingerprint, certSubject, certNotAfter, registeredAt, registeredBy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const link = sqlite.prepare(
      'INSERT INTO "BridgeToken" (id, userId, deviceId, tokenHash, issuedAt, issuedBy, notBefore, expiresAt, openedAt, consumedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const passkey = sqlite.prepare(
      'INSERT INTO "Passkey" (id, userId, credentialId, publicKey, aaguid, deviceType, backedUp, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    sqlite
      .transaction(() => {
        hires.forEach((hire, i) => {
          const isEnrolled = i < enrolled;
          const email = `${hire.employeeId.toLowerCase()}@example.com`;
          user.run(
            hire.id,
            hire.employeeId,
            `Scale Hire ${hire.employeeId}`,
            email,
            'Scale',
            startDate,
            i === 0 ? null : hires[0]!.id,
            isEnrolled ? 'enrolled' : 'ready',
            stamp(at),
            stamp(at),
            stamp(at),
          );
          if (!isEnrolled) return;
          const deviceId = crypto.randomUUID();
          device.run(
            deviceId,
            hire.id,
            `SN-${hire.employeeId}`,
            crypto.createHash('sha256').update(hire.id).digest('hex'),
            `CN=${hire.employeeId}`,
            after(525_600),
            stamp(at),
            'cli',
          );
          link.run(
            crypto.randomUUID(),
            hire.id,
            deviceId,
            crypto.createHash('sha256').update(`link-${hire.id}`).digest('hex'),
            stamp(at),
            'cli',
            stamp(at),
            after(4_320),
            after(10),
            after(20),
          );
          passkey.run(
            crypto.randomUUID(),
            hire.id,
            `cred-${hire.id}`,
            Buffer.from([1]),
            '00000000-0000-0000-0000-000000000000',
            'singleDevice',
            0,
            after(30),
          );
        });
      })
      .immediate();
  } finally {
    sqlite.close();
  }
  return hires;
}
