'use client';

import { signOut } from 'next-auth/react';

type Props = { signOutEverywhere: () => Promise<void> };

export function SignOutButtons({ signOutEverywhere }: Props) {
  return (
    <div className="flex gap-3">
      <button
        type="button"
        onClick={() => void signOut({ callbackUrl: '/signin' })}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
      >
        Sign out
      </button>
      <button
        type="button"
        onClick={async () => {
          await signOutEverywhere();
          await signOut({ callbackUrl: '/signin' });
        }}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
      >
        Sign out everywhere
      </button>
    </div>
  );
}
