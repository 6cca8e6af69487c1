// Prisma's SQLite engine refuses a query with more than 999 bound parameters (P2029, "query parameter
// limit exceeded"). It splits a bare `in` list itself, but not one that shares its query with anything
// else (another filter, an OR, orderBy, groupBy, count): such a list of 500 import rows or 1,000 hires
// on an export page failed whole. So every `in` list built from data — not a fixed list of states —
// goes through here, in slices that leave room for the query's other parameters (an OR of two lists
// spends two per value). Where a relation filter can say the same thing, that needs no list at all.

export const IN_LIST_CHUNK = 400;

/** Runs `query` once per slice of `values`, one after another (safe inside a transaction); concatenates the rows. */
export async function inChunks<T, R>(
  values: readonly T[],
  query: (chunk: T[]) => Promise<R[]>,
): Promise<R[]> {
  const rows: R[] = [];
  for (let start = 0; start < values.length; start += IN_LIST_CHUNK) {
    for (const row of await query(values.slice(start, start + IN_LIST_CHUNK))) rows.push(row);
  }
  return rows;
}
