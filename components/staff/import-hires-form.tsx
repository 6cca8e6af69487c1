'use client';

import { useState, type FormEvent } from 'react';
import { useFormErrors } from '@/components/ui/form-errors';

type RowError = { line: number; message: string };

/** CSV import from the console: all rows or none; each bad row is listed with its line. */
export function ImportHiresForm({ maxRows }: { maxRows: number }) {
  const [imported, setImported] = useState<string | null>(null);
  const errors = useFormErrors('import');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('csv');
    const csv = file instanceof File ? await file.text() : '';
    const response = await fetch('/api/it/hires/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ csv }),
    });
    const body = (await response.json().catch(() => null)) as {
      imported?: number;
      error?: { message: string; rows?: RowError[] };
    } | null;
    if (response.ok) {
      errors.clear();
      return setImported(`Imported ${body?.imported} hires.`);
    }
    setImported(null);
    // Every bad row at once, each linked to the file field (the file is what to fix).
    const rows = body?.error?.rows ?? [];
    errors.show([
      { field: 'csv', message: body?.error?.message ?? `Import failed (HTTP ${response.status})` },
      ...rows.map((row) => ({ field: 'csv', message: `Line ${row.line}: ${row.message}` })),
    ]);
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="mt-10 max-w-lg space-y-3"
      aria-label="Import hires from CSV"
    >
      <h2 className="text-xl font-semibold">Import from CSV</h2>
      {errors.summary}
      <p className="text-sm text-slate-700">
        Columns: <code>employee_id,name,email,start_date,manager_employee_id,department</code> (the
        last two may be empty). Up to {maxRows.toLocaleString('en-US')} rows per file; a file with
        any bad row imports nothing.
      </p>
      {errors.row('csv', 'CSV file', (props) => (
        <input
          type="file"
          accept=".csv,text/csv"
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          {...props}
        />
      ))}
      <button
        type="submit"
        className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
      >
        Import
      </button>
      {imported && (
        <p role="status" className="rounded bg-emerald-50 p-2 text-emerald-950">
          {imported}
        </p>
      )}
    </form>
  );
}
