import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { StaffShell } from '@/components/staff/staff-shell';
import { requireStaff } from '@/lib/staff/require';
import { signOutEverywhereAction } from '@/app/(staff)/actions';

export default async function ItLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff(
    'console.view',
    (await headers()).get('x-firstkey-path') ?? '/it',
  );
  return (
    <StaffShell name={staff.name} roles={staff.roles} signOutEverywhere={signOutEverywhereAction}>
      {children}
    </StaffShell>
  );
}
