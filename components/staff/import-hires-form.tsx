'use client';

import { useState, type FormEvent } from 'react';

type RowError = { line: number; message: string };

/** CSV import from the console: all rows or none; each bad row is listed with its line. */
export function ImportHiresForm({ maxRows }: { maxRows: number }) {
  const [result, setResult] = useState<{
    tone: 'ok' | 'error';
    text: string;
    rows?: RowError[];
  } | null>(null);

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
    if (response.ok) setResult({ tone: 'ok', text: `Imported ${body?.imported} hires.` });
    else
      setResult({
        tone: 'error',
        text: body?.error?.message ?? `Import failed (HTTP ${response.status})`,
        rows: body?.error?.rows,
      });
  }

  return (
    <form
      onSubmit={onSubmit}
      className="mt-10 max-w-lg space-y-3"
      aria-label="Import hires from CSV"
    >
      <h2 className="text-xl font-semibold">Import from CSV</h2>
      <p className="text-sm text-slate-700">
        Columns: <code>employee_id,name,email,start_date,manager_employee_id,department</code> (the
        last two may be empty). Up to {maxRows.toLocaleString('en-US')} rows per file; a file with
        any bad row imports nothing.
      </p>
      <label className="block text-sm">
        CSV file
        <input
          name="csv"
          type="file"
          accept=".csv,text/csv"
          required
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
        />
      </label>
      <button
        type="submit"
        className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
      >
        Import
      </button>
      {result && (
        <div
          role={result.tone === 'error' ? 'alert' : 'status'}
          className={`rounded p-2 ${result.tone === 'error' ? 'bg-amber-50 text-amber-950' : 'bg-emerald-50 text-emerald-950'}`}
        >
          <p>{result.text}</p>
          {result.rows && (
            <ul className="mt-1 list-disc pl-5 text-sm">
              {result.rows.map((row) => (
                <li key={`${row.line}-${row.message}`}>
                  Line {row.line}: {row.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
