'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';

const field = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1';

export function AddHireForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const optional = (name: string) =>
      String(form.get(name) ?? '').trim() === '' ? undefined : String(form.get(name)).trim();
    setBusy(true);
    const result = await staffRequest<{ employeeId: string }>('/api/it/hires', {
      employeeId: String(form.get('employeeId') ?? ''),
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      startDate: String(form.get('startDate') ?? ''),
      managerEmployeeId: optional('managerEmployeeId'),
      department: optional('department'),
    });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.push(`/it/hires/${encodeURIComponent(result.body.employeeId)}`);
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 max-w-lg space-y-3" aria-label="Add hire">
      {error && (
        <p role="alert" className="rounded bg-amber-50 p-2 text-amber-950">
          {error}
        </p>
      )}
      <label className="block text-sm">
        Employee id
        <input name="employeeId" required className={field} />
      </label>
      <label className="block text-sm">
        Full name
        <input name="name" required className={field} />
      </label>
      <label className="block text-sm">
        Work email
        <input name="email" type="email" required className={field} />
      </label>
      <label className="block text-sm">
        Start date
        <input name="startDate" type="date" required className={field} />
      </label>
      <label className="block text-sm">
        Manager&rsquo;s employee id (optional)
        <input name="managerEmployeeId" className={field} />
      </label>
      <label className="block text-sm">
        Department (optional)
        <input name="department" className={field} />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white disabled:opacity-60"
      >
        Add hire
      </button>
    </form>
  );
}
