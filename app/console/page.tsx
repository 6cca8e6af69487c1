import { redirect } from 'next/navigation';
import { currentStaff } from '@/lib/staff/current';

/**
 * Where sign-in lands: the IT console for IT, the team view for managers, and everyone else their own
 * passkeys page (a hire without a role must not land on a 403).
 */
export default async function ConsoleRedirect() {
  const staff = await currentStaff();
  if (!staff) redirect('/signin');
  redirect(
    staff.roles.includes('it') ? '/it' : staff.roles.includes('manager') ? '/manager' : '/account',
  );
}
