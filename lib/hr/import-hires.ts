import 'server-only';
import { writeTransaction, type Db } from '@/lib/db';
import type { Actor, RequestContext } from '@/lib/audit/actor';
import { appendAudit } from '@/lib/audit/append';
import { addHire } from '@/lib/hires/add-hire';
import { HireInput } from '@/lib/hires/hire-input';
import { parseCsv } from '@/lib/hr/csv-parse';

// CSV import of joiners (console and `firstkey import`). All or nothing: a file with any bad row
// imports nothing and reports every bad row, so a half-imported batch never has to be untangled.

export const CSV_COLUMNS = ['employee_id', 'name', 'email', 'start_date', 'manager_employee_id', 'department'] as const;
export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

export type RowError = { line: number; message: string };
export type ImportResult = { ok: true; imported: number } | { ok: false; errors: RowError[] };

export async function importHiresCsv(db: Db, text: string, context: { actor: Actor; at: Date; request?: RequestContext }): Promise<ImportResult> {
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return { ok: false, errors: [{ line: 0, message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; split it` }] };
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, errors: [{ line: parsed.line, message: parsed.message }] };
  const [header, ...rows] = parsed.rows;
  const columns = header?.map((name) => name.trim().toLowerCase()) ?? [];
  const missing = CSV_COLUMNS.slice(0, 4).filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (missing.length || unknown.length) {
    return {
      ok: false,
      errors: [
        {
          line: 1,
          message: `Header must name the columns ${CSV_COLUMNS.join(', ')} (the last two optional)${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
        },
      ],
    };
  }
  if (rows.length === 0) return { ok: false, errors: [{ line: 2, message: 'The file has no rows after the header' }] };
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, errors: [{ line: 0, message: `At most ${MAX_IMPORT_ROWS} rows per file; this one has ${rows.length}` }] };

  const errors: RowError[] = [];
  const inputs: { line: number; input: HireInput }[] = [];
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  rows.forEach((fields, index) => {
    const line = index + 2;
    if (fields.length !== columns.length) return errors.push({ line, message: `Expected ${columns.length} fields, found ${fields.length}` });
    const value = (name: string) => {
      const at = columns.indexOf(name);
      const text = at >= 0 ? fields[at]!.trim() : '';
      return text === '' ? undefined : text;
    };
    const result = HireInput.safeParse({
      employeeId: value('employee_id'),
      name: value('name'),
      email: value('email'),
      startDate: value('start_date'),
      managerEmployeeId: value('manager_employee_id'),
      department: value('department'),
    });
    if (!result.success) {
      return errors.push({ line, message: result.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ') });
    }
    const input = result.data;
    if (seenIds.has(input.employeeId)) return errors.push({ line, message: `employee id "${input.employeeId}" also on line ${seenIds.get(input.employeeId)}` });
    if (seenEmails.has(input.email)) return errors.push({ line, message: `email "${input.email}" also on line ${seenEmails.get(input.email)}` });
    seenIds.set(input.employeeId, line);
    seenEmails.set(input.email, line);
    inputs.push({ line, input });
  });

  const existing = await db.user.findMany({
    where: { OR: [{ employeeId: { in: inputs.map((row) => row.input.employeeId) } }, { email: { in: inputs.map((row) => row.input.email) } }] },
    select: { employeeId: true, email: true },
  });
  const managers = new Set(
    (await db.user.findMany({ where: { employeeId: { in: inputs.flatMap((row) => row.input.managerEmployeeId ?? []) } }, select: { employeeId: true } })).map((user) => user.employeeId),
  );
  const ordered: typeof inputs = [];
  for (const row of inputs) {
    const clash = existing.find((user) => user.employeeId === row.input.employeeId || user.email === row.input.email);
    if (clash) {
      errors.push({ line: row.line, message: clash.employeeId === row.input.employeeId ? `employee id "${row.input.employeeId}" already exists` : `email "${row.input.email}" already exists` });
      continue;
    }
    const manager = row.input.managerEmployeeId;
    if (manager && !managers.has(manager) && !(seenIds.has(manager) && seenIds.get(manager)! < row.line)) {
      errors.push({ line: row.line, message: `manager "${manager}" is neither an existing person nor on an earlier line` });
      continue;
    }
    ordered.push(row);
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  await writeTransaction(db, async (tx) => {
    for (const row of ordered) {
      const added = await addHire(tx, row.input, context);
      if (!added.ok) throw new Error(`line ${row.line}: ${added.message}`);
    }
    await appendAudit(tx, { at: context.at, actor: context.actor, action: 'hires_imported', request: context.request, details: { rows: ordered.length } });
  });
  return { ok: true, imported: ordered.length };
}
