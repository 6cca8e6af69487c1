import { Prisma } from '@/lib/generated/prisma/client';

/**
 * The field of a unique-constraint violation (Prisma P2002), or null for any other error.
 * With driver adapters Prisma reports the fields under meta.driverAdapterError; without, meta.target.
 */
export function uniqueViolation(error: unknown): string | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002')
    return null;
  const meta = error.meta as
    | {
        target?: string[] | string;
        driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } };
      }
    | undefined;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
  const list = Array.isArray(fields) ? fields : typeof fields === 'string' ? [fields] : [];
  return list[0]?.replace(/"/g, '') ?? 'unknown';
}
