import 'server-only';
import { z } from 'zod';
import { containsIgnoringCase, startsWithIgnoringCase, type Db } from '@/lib/db';
import { inChunks } from '@/lib/db/in-chunks';
import type { Prisma } from '@/lib/generated/prisma/client';
import { ENROLLMENT_STATES } from '@/lib/enrollment/states';
import { CalendarDate } from '@/lib/hires/hire-input';
import { linkIdPrefixOf } from '@/lib/enrollment/reference';

// The IT console's hires table: filters, sort and pagination done by the database (indexed columns),
// so 50,000 hires cost the same as 50. Parameters come from the URL and are validated here.

const SORTS = {
  start: 'startDate',
  name: 'name',
  state: 'enrollmentState',
  updated: 'stateChangedAt',
} as const;
export const PAGE_SIZE = 50;

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const HireListQuery = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  state: z.preprocess(blankToUndefined, z.enum(ENROLLMENT_STATES).optional()),
  from: z.preprocess(blankToUndefined, CalendarDate.optional()),
  to: z.preprocess(blankToUndefined, CalendarDate.optional()),
  department: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  manager: z.preprocess(blankToUndefined, z.string().trim().max(64).optional()),
  sort: z.preprocess(
    blankToUndefined,
    z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default('start'),
  ),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).default('asc')),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});
export type HireListQuery = z.infer<typeof HireListQuery>;

/** Parses URL search params leniently: an invalid filter is dropped (and reported), never a 500. */
export function parseHireListQuery(params: Record<string, string | string[] | undefined>): {
  query: HireListQuery;
  ignored: string[];
} {
  const flat = Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  const ignored: string[] = [];
  for (const key of Object.keys(HireListQuery.shape)) {
    if (
      !HireListQuery.shape[key as keyof typeof HireListQuery.shape].safeParse(flat[key]).success
    ) {
      ignored.push(key);
      delete flat[key];
    }
  }
  return { query: HireListQuery.parse(flat), ignored };
}

export type HireRow = {
  id: string;
  employeeId: string;
  name: string;
  email: string;
  startDate: string;
  department: string | null;
  manager: string | null;
  deviceSerial: string | null;
  state: string;
  linkExpiresAt: Date | null;
  lastEvent: { action: string; at: Date } | null;
};

function where(db: Db, query: HireListQuery): Prisma.UserWhereInput {
  // A reference code from a hire's failure page ("FK-1A2B3C4D") finds the person whose link it names.
  const linkPrefix = query.q ? linkIdPrefixOf(query.q) : null;
  return {
    ...(query.q
      ? {
          OR: [
            { name: containsIgnoringCase(db, query.q) },
            { employeeId: startsWithIgnoringCase(db, query.q) },
            { email: { startsWith: query.q.toLowerCase() } },
            ...(linkPrefix ? [{ bridgeTokens: { some: { id: { startsWith: linkPrefix } } } }] : []),
          ],
        }
      : {}),
    ...(query.state ? { enrollmentState: query.state } : {}),
    ...(query.from || query.to
      ? {
          startDate: {
            ...(query.from ? { gte: query.from } : {}),
            ...(query.to ? { lte: query.to } : {}),
          },
        }
      : {}),
    ...(query.department ? { department: query.department } : {}),
    ...(query.manager ? { manager: { employeeId: query.manager } } : {}),
  };
}

export async function listHires(
  db: Db,
  query: HireListQuery,
  pageSize = PAGE_SIZE,
): Promise<{ rows: HireRow[]; total: number }> {
  const filter = where(db, query);
  const [total, users] = await Promise.all([
    db.user.count({ where: filter }),
    db.user.findMany({
      where: filter,
      orderBy: [{ [SORTS[query.sort]]: query.dir }, { employeeId: 'asc' }],
      skip: (query.page - 1) * pageSize,
      take: pageSize,
      include: {
        manager: { select: { name: true } },
        devices: { where: { retiredAt: null }, select: { serial: true }, take: 1 },
        bridgeTokens: {
          where: { consumedAt: null, revokedAt: null },
          select: { expiresAt: true },
          orderBy: { issuedAt: 'desc' },
          take: 1,
        },
      },
    }),
  ]);
  // Audit events name their hire by id only (no relation to join through); an export page holds 1,000 hires.
  const latest = await inChunks(
    users.map((user) => user.id),
    (ids) =>
      db.auditEvent.groupBy({
        by: ['userId'],
        where: { userId: { in: ids } },
        _max: { seq: true },
      }),
  );
  const events = await inChunks(
    latest.flatMap((row) => row._max.seq ?? []),
    (seqs) =>
      db.auditEvent.findMany({
        where: { seq: { in: seqs } },
        select: { userId: true, action: true, at: true },
      }),
  );
  const lastByUser = new Map(
    events.map((event) => [event.userId, { action: event.action, at: event.at }]),
  );
  return {
    total,
    rows: users.map((user) => ({
      id: user.id,
      employeeId: user.employeeId,
      name: user.name,
      email: user.email,
      startDate: user.startDate,
      department: user.department,
      manager: user.manager?.name ?? null,
      deviceSerial: user.devices[0]?.serial ?? null,
      state: user.enrollmentState,
      linkExpiresAt: user.bridgeTokens[0]?.expiresAt ?? null,
      lastEvent: lastByUser.get(user.id) ?? null,
    })),
  };
}
