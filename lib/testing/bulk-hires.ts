// Tens of thousands of hires for the scale tests, in well under a second: bulk INSERTs in one
// transaction on a second connection to the test database — prepared statements on SQLite, `unnest`
// of column arrays on PostgreSQL (Prisma's createMany spends ~0.3 ms a row here, 20 s for 50,000
// hires and their links). Dates are written the way Prisma writes them (SQLite: ISO text with an
// offset; PostgreSQL: timestamp(3) in UTC), so the app's own queries compare and read them as usual.
// No audit events, no per-row checks: these tests are about reading at scale (export, metrics,
// attention), not the write path.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';

/** Prisma's SQLite DateTime text: ISO 8601 with an explicit offset (PostgreSQL casts it as UTC). */
const stamp = (at: Date) => at.toISOString().replace('Z', '+00:00');

export type SeededHire = { id: string; employeeId: string };

type Value = string | number | boolean | Buffer | null;
/** A table's rows; each column with its PostgreSQL type (for the `unnest` casts). */
type Table = { name: string; columns: [string, string][]; rows: Value[][] };

function writeSqlite(url: string, tables: Table[]) {
  const sqlite = new Database(url.replace(/^file:/, ''), { timeout: 15_000 });
  try {
    const statements = tables.map((table) => ({
      table,
      insert: sqlite.prepare(
        `INSERT INTO "${table.name}" (${table.columns.map(([column]) => `"${column}"`).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`,
      ),
    }));
    sqlite
      .transaction(() => {
        for (const { table, insert } of statements) {
          for (const row of table.rows) {
            insert.run(...row.map((value) => (typeof value === 'boolean' ? Number(value) : value)));
          }
        }
      })
      .immediate();
  } finally {
    sqlite.close();
  }
}

const CHUNK = 10_000;

async function writePostgres(url: string, tables: Table[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const table of tables) {
      const columns = table.columns.map(([column]) => `"${column}"`).join(', ');
      const arrays = table.columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
      for (let start = 0; start < table.rows.length; start += CHUNK) {
        const rows = table.rows.slice(start, start + CHUNK);
        await client.query(
          `INSERT INTO "${table.name}" (${columns}) SELECT * FROM unnest(${arrays})`,
          table.columns.map((_, index) => rows.map((row) => row[index])),
        );
      }
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

export async function seedHires(
  count: number,
  options: { prefix: string; startDate: string; at: Date; enrolled?: number },
): Promise<SeededHire[]> {
  const { prefix, startDate, at, enrolled = 0 } = options;
  const after = (minutes: number) => stamp(new Date(at.getTime() + minutes * 60_000));
  const hires = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    employeeId: `${prefix}${i}`,
  }));
  const T = 'timestamp(3)';
  const user: Table = {
    name: 'User',
    columns: [
      ['id', 'text'],
      ['employeeId', 'text'],
      ['name', 'text'],
      ['email', 'text'],
      ['department', 'text'],
      ['startDate', 'text'],
      ['managerId', 'text'],
      ['enrollmentState', 'text'],
      ['stateChangedAt', T],
      ['createdAt', T],
      ['updatedAt', T],
    ],
    rows: [],
  };
  const device: Table = {
    name: 'Device',
    columns: [
      ['id', 'text'],
      ['userId', 'text'],
      ['serial', 'text'],
      ['certFingerprint', 'text'],
      ['certSubject', 'text'],
      ['certNotAfter', T],
      ['registeredAt', T],
      ['registeredBy', 'text'],
    ],
    rows: [],
  };
  const link: Table = {
    name: 'BridgeToken',
    columns: [
      ['id', 'text'],
      ['userId', 'text'],
      ['deviceId', 'text'],
      ['tokenHash', 'text'],
      ['issuedAt', T],
      ['issuedBy', 'text'],
      ['notBefore', T],
      ['expiresAt', T],
      ['openedAt', T],
      ['consumedAt', T],
    ],
    rows: [],
  };
  const passkey: Table = {
    name: 'Passkey',
    columns: [
      ['id', 'text'],
      ['userId', 'text'],
      ['credentialId', 'text'],
      ['publicKey', 'bytea'],
      ['aaguid', 'text'],
      ['deviceType', 'text'],
      ['backedUp', 'boolean'],
      ['createdAt', T],
    ],
    rows: [],
  };
  hires.forEach((hire, i) => {
    const isEnrolled = i < enrolled;
    const email = `${hire.employeeId.toLowerCase()}@example.com`;
    user.rows.push([
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
    ]);
    if (!isEnrolled) return;
    const deviceId = crypto.randomUUID();
    device.rows.push([
      deviceId,
      hire.id,
      `SN-${hire.employeeId}`,
      crypto.createHash('sha256').update(hire.id).digest('hex'),
      `CN=${hire.employeeId}`,
      after(525_600),
      stamp(at),
      'cli',
    ]);
    link.rows.push([
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
    ]);
    passkey.rows.push([
      crypto.randomUUID(),
      hire.id,
      `cred-${hire.id}`,
      Buffer.from([1]),
      '00000000-0000-0000-0000-000000000000',
      'singleDevice',
      false,
      after(30),
    ]);
  });
  const url = process.env.DATABASE_URL!;
  const tables = [user, device, link, passkey];
  if (url.startsWith('file:')) writeSqlite(url, tables);
  else await writePostgres(url, tables);
  return hires;
}
