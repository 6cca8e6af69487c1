import 'server-only';
import { z } from 'zod';
import { writeTransaction, type Db } from '@/lib/db';
import { inChunks } from '@/lib/db/in-chunks';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { addHires } from '@/lib/hires/add-hire';
import { HireInput } from '@/lib/hires/hire-input';
import { parseCsv } from '@/lib/hr/csv-parse';

// CSV import of joiners (console and `firstkey import`). All or nothing: a file with any bad row
// imports nothing and reports every bad row, so a half-imported batch never has to be untangled.

export const CSV_COLUMNS = [
  'employee_id',
  'name',
  'email',
  'start_date',
  'manager_employee_id',
  'department',
] as const;
// One file is one write transaction, and the write lock is the whole database's: 10,000 rows take a
// few seconds (README "the IT console"); a larger batch is split by the sender. 2 MiB is 10,000 rows of
// about 200 bytes, roomier than a real joiner row.
export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** A CSV row: a hire without a role (roles are granted one at a time, on the hire's page). */
const CsvHire = HireInput.omit({ role: true });
type CsvHire = z.infer<typeof CsvHire>;

/** The console's upload: the file's text. */
export const ImportBody = z.object({ csv: z.string().min(1, 'Choose a CSV file') }).strict();

export type RowError = { line: number; message: string };
export type ImportResult =
  | { ok: true; imported: number }
  | { ok: false; reason: 'too_large'; message: string }
  | { ok: false; reason: 'invalid_rows'; errors: RowError[] };

const invalid = (errors: RowError[]): ImportResult => ({
  ok: false,
  reason: 'invalid_rows',
  errors,
});

export async function importHiresCsv(
  db: Db,
  text: string,
  context: { actor: Actor; at: Date; request?: RequestContext },
): Promise<ImportResult> {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      reason: 'too_large',
      message: `At most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB per file; this one has ${(bytes / 1024 / 1024).toFixed(1)} MiB: split it`,
    };
  }
  const parsed = parseCsv(text);
  if (!parsed.ok) return invalid([{ line: parsed.line, message: parsed.message }]);
  const [header, ...rows] = parsed.rows;
  const columns = header?.map((name) => name.trim().toLowerCase()) ?? [];
  const missing = CSV_COLUMNS.slice(0, 4).filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (missing.length || unknown.length) {
    return invalid([
      {
        line: 1,
        message: `Header must name the columns ${CSV_COLUMNS.join(', ')} (the last two optional)${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
      },
    ]);
  }
  if (rows.length === 0)
    return invalid([{ line: 2, message: 'The file has no rows after the header' }]);
  if (rows.length > MAX_IMPORT_ROWS)
    return {
      ok: false,
      reason: 'too_large',
      message: `At most ${MAX_IMPORT_ROWS} rows per file; this one has ${rows.length}: split it`,
    };

  const errors: RowError[] = [];
  const inputs: { line: number; input: CsvHire }[] = [];
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  rows.forEach((fields, index) => {
    const line = index + 2;
    if (fields.length !== columns.length)
      return errors.push({
        line,
        message: `Expected ${columns.length} fields, found ${fields.length}`,
      });
    const value = (name: string) => {
      const at = columns.indexOf(name);
      const text = at >= 0 ? fields[at]!.trim() : '';
      return text === '' ? undefined : text;
    };
    const result = CsvHire.safeParse({
      employeeId: value('employee_id'),
      name: value('name'),
      email: value('email'),
      startDate: value('start_date'),
      managerEmployeeId: value('manager_employee_id'),
      department: value('department'),
    });
    if (!result.success) {
      return errors.push({
        line,
        message: result.error.issues
          .map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`)
          .join('; '),
      });
    }
    const input = result.data;
    if (seenIds.has(input.employeeId))
      return errors.push({
        line,
        message: `employee id "${input.employeeId}" also on line ${seenIds.get(input.employeeId)}`,
      });
    if (seenEmails.has(input.email))
      return errors.push({
        line,
        message: `email "${input.email}" also on line ${seenEmails.get(input.email)}`,
      });
    seenIds.set(input.employeeId, line);
    seenEmails.set(input.email, line);
    inputs.push({ line, input });
  });

  // Checked against the database inside the write transaction, so nobody can add a clashing person
  // between the check and the insert.
  return writeTransaction(db, async (tx) => {
    const existing = await inChunks(inputs, (chunk) =>
      tx.user.findMany({
        where: {
          OR: [
            { employeeId: { in: chunk.map((row) => row.input.employeeId) } },
            { email: { in: chunk.map((row) => row.input.email) } },
          ],
        },
        select: { employeeId: true, email: true },
      }),
    );
    const takenIds = new Set(existing.map((user) => user.employeeId));
    const takenEmails = new Set(existing.map((user) => user.email));
    const existingManagers = await inChunks(
      [...new Set(inputs.flatMap((row) => row.input.managerEmployeeId ?? []))],
      (chunk) =>
        tx.user.findMany({ where: { employeeId: { in: chunk } }, select: { employeeId: true } }),
    );
    const managers = new Set(existingManagers.map((user) => user.employeeId));
    const accepted: CsvHire[] = [];
    for (const { line, input } of inputs) {
      if (takenIds.has(input.employeeId)) {
        errors.push({ line, message: `employee id "${input.employeeId}" already exists` });
        continue;
      }
      if (takenEmails.has(input.email)) {
        errors.push({ line, message: `email "${input.email}" already exists` });
        continue;
      }
      const manager = input.managerEmployeeId;
      if (
        manager &&
        !managers.has(manager) &&
        !(seenIds.has(manager) && seenIds.get(manager)! < line)
      ) {
        errors.push({
          line,
          message: `manager "${manager}" is neither an existing person nor on an earlier line`,
        });
        continue;
      }
      accepted.push(input);
    }
    if (errors.length > 0) return invalid(errors.sort((a, b) => a.line - b.line));

    await addHires(tx, accepted, context);
    await appendAudit(tx, {
      at: context.at,
      actor: context.actor,
      action: 'hires_imported',
      request: context.request,
      details: { rows: accepted.length },
    });
    return { ok: true, imported: accepted.length };
  });
}
