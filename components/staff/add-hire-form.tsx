'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { errorsOf, useFormErrors } from '@/components/ui/form-errors';

const field = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1';

/** Refusals about one field, shown next to it. */
const REFUSAL_FIELDS = {
  duplicate_employee_id: 'employeeId',
  duplicate_email: 'email',
  unknown_manager: 'managerEmployeeId',
};

export function AddHireForm() {
  const router = useRouter();
  const errors = useFormErrors('add-hire');
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
    if (!result.ok) return errors.show(errorsOf(result, REFUSAL_FIELDS));
    errors.clear();
    router.push(`/it/hires/${encodeURIComponent(result.body.employeeId)}`);
  }

  const input = (name: string, label: string, type = 'text') =>
    errors.row(name, label, (props) => <input type={type} className={field} {...props} />);

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 max-w-lg space-y-3" aria-label="Add hire">
      {errors.summary}
      {input('employeeId', 'Employee id')}
      {input('name', 'Full name')}
      {input('email', 'Work email', 'email')}
      {input('startDate', 'Start date', 'date')}
      {input('managerEmployeeId', 'Manager\u2019s employee id (optional)')}
      {input('department', 'Department (optional)')}
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
