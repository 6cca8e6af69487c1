import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { StaffShell } from '@/components/staff/staff-shell';
import { db } from '@/lib/db';
import { currentStaff } from '@/lib/staff/current';
import { requireStaff } from '@/lib/staff/require';
import { signOutEverywhere } from '@/lib/staff/sign-out-everywhere';

async function signOutAll() {
  'use server';
  const staff = await currentStaff();
  if (staff) await signOutEverywhere(db(), { userId: staff.id, at: new Date() });
}

export default async function ManagerLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff('reports.view', (await headers()).get('x-firstkey-path') ?? '/manager');
  return (
    <StaffShell name={staff.name} roles={staff.roles} signOutEverywhere={signOutAll}>
      {children}
    </StaffShell>
  );
}
