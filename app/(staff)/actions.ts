'use server';

import { db } from '@/lib/db';
import { currentStaff } from '@/lib/staff/current';
import { signOutEverywhere } from '@/lib/staff/sign-out-everywhere';

/** "Sign out everywhere": ends the signed-in person's sessions on every browser. */
export async function signOutEverywhereAction(): Promise<void> {
  const staff = await currentStaff();
  if (staff) await signOutEverywhere(db(), { userId: staff.id, at: new Date() });
}
