import Link from 'next/link';
import type { ReactNode } from 'react';
import { SessionKeeper } from '@/components/staff/session-keeper';
import { SignOutButtons } from '@/components/staff/sign-out';

type Props = {
  name: string;
  roles: string[];
  signOutEverywhere: () => Promise<void>;
  children: ReactNode;
};

/** The frame of staff pages: who is signed in, navigation, sign-out. */
export function StaffShell({ name, roles, signOutEverywhere, children }: Props) {
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-6 py-3">
          <Link
            href="/console"
            className="flex items-center gap-2 text-lg font-semibold tracking-tight"
          >
            <span aria-hidden="true" className="inline-block h-6 w-6 rounded-md bg-brand-600" />
            Firstkey
          </Link>
          <nav aria-label="Staff" className="flex gap-4 text-sm font-medium">
            {roles.includes('it') && <Link href="/it">Hires</Link>}
            {roles.includes('it') && <Link href="/it/metrics">Metrics</Link>}
            {roles.includes('it') && <Link href="/it/apps">Apps</Link>}
            {roles.includes('it') && <Link href="/it/connections">Connections</Link>}
            {roles.includes('it') && <Link href="/it/policy">Passkey policy</Link>}
            {roles.includes('manager') && <Link href="/manager">My new hires</Link>}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              Signed in as <strong>{name}</strong>
            </span>
            <SignOutButtons signOutEverywhere={signOutEverywhere} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      <SessionKeeper />
    </>
  );
}
