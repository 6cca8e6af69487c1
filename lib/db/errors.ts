import { Prisma } from '@/lib/generated/prisma/client';
import { sqliteUniqueViolation } from '@/lib/db/sqlite-direct';

/**
 * The field of a unique-constraint violation, or null for any other error: a model query's P2002,
 * a raw statement's SQLite error (run directly on SQLite), or a raw statement's P2010 whose driver-adapter error is a UniqueConstraintViolation (the same
 * on SQLite and PostgreSQL). With driver adapters Prisma reports the fields under
 * meta.driverAdapterError; without, meta.target.
 */
export function uniqueViolation(error: unknown): string | null {
  // A raw statement SQLite ran directly (lib/db/sqlite-direct.ts) throws better-sqlite3's own error.
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return sqliteUniqueViolation(error);
  const meta = error.meta as
    | {
        target?: string[] | string;
        driverAdapterError?: {
          cause?: { kind?: string; constraint?: { fields?: string[] } };
        };
      }
    | undefined;
  const rawUnique =
    error.code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation';
  if (error.code !== 'P2002' && !rawUnique) return null;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
  const list = Array.isArray(fields) ? fields : typeof fields === 'string' ? [fields] : [];
  return list[0]?.replace(/"/g, '') ?? 'unknown';
}
