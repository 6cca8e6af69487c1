import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import { can, type StaffAction, type Subject } from '@/lib/staff/authorize';
import { currentStaff } from '@/lib/staff/current';
import type { Staff } from '@/lib/staff/session';

/**
 * For pages and server actions: the signed-in person allowed to do `action`, or the right interrupt —
 * a redirect to /signin when nobody is signed in, a 403 page when they lack the role.
 * (redirect() and forbidden() throw; call this outside try blocks.)
 */
export async function requireStaff(
  action: StaffAction,
  returnTo: string,
  subject?: Subject,
): Promise<Staff> {
  const staff = await currentStaff();
  if (!staff) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!can(staff, action, subject)) forbidden();
  return staff;
}
