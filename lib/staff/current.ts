import 'server-only';
import { cookies } from 'next/headers';
import { SESSION_COOKIE } from '@/lib/staff/cookies';
import { staffFromSessionCookie, type Staff } from '@/lib/staff/session';

/** The signed-in person of the current request (pages, server actions, route handlers). */
export async function currentStaff(): Promise<Staff | null> {
  const jar = await cookies();
  return staffFromSessionCookie(jar.get(SESSION_COOKIE)?.value, new Date());
}
