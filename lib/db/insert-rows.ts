import 'server-only';
import type { Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';

// Multi-row INSERTs for the bulk writes (a CSV import's hires, a batch of audit events). They run
// under the database's write lock, where every other writer waits at most 15 s (lib/db.ts); Prisma's
// createMany spends ~0.3 ms a row in its query engine (10,000 hires and their events: 7 s, 17 s on a
// busy machine), these statements a fifth of that. Values are bound parameters, Dates included (the
// driver adapter writes them exactly as Prisma does); table and column names come from our code,
// never from data.

const ROWS_PER_STATEMENT = 500;

type Value = string | number | Date | null;

const quoted = (name: string) => Prisma.raw(`"${name.replace(/"/g, '""')}"`);

/** Inserts `rows`, which must all name the same columns in the same order. */
export async function insertRows(
  tx: Tx,
  table: Prisma.ModelName,
  rows: Record<string, Value>[],
): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const values = rows.slice(start, start + ROWS_PER_STATEMENT).map((row) => {
      const keys = Object.keys(row);
      if (keys.length !== columns.length || keys.some((key, index) => key !== columns[index])) {
        throw new Error(
          `insertRows(${table}): a row has the columns ${keys.join(', ')}, expected ${columns.join(', ')}`,
        );
      }
      return Prisma.sql`(${Prisma.join(columns.map((column) => row[column]))})`;
    });
    await tx.$executeRaw`INSERT INTO ${quoted(table)} (${Prisma.join(columns.map(quoted))}) VALUES ${Prisma.join(values)}`;
  }
}
