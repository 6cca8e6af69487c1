import type { Metadata } from 'next';
import { AddHireForm } from '@/components/staff/add-hire-form';
import { ImportHiresForm } from '@/components/staff/import-hires-form';
import { MAX_IMPORT_ROWS } from '@/lib/hr/import-hires';
import { requireStaff } from '@/lib/staff/require';

export const metadata: Metadata = { title: 'Add hire' };

export default async function NewHirePage() {
  await requireStaff('hire.create', '/it/add-hire');
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Add a hire</h1>
      <p className="mt-2 text-slate-700">
        Then register the laptop issued to them and issue their link.
      </p>
      <AddHireForm />
      <ImportHiresForm maxRows={MAX_IMPORT_ROWS} />
    </>
  );
}
