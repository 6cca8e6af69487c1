import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import Link from 'next/link';
import { OwnPasskeys } from '@/components/account/own-passkeys';
import { PageShell } from '@/components/ui/page-shell';
import { db } from '@/lib/db';
import { listOwnPasskeys } from '@/lib/passkeys/account';
import { can } from '@/lib/staff/authorize';
import { currentStaff } from '@/lib/staff/current';

export const metadata: Metadata = { title: 'Your passkeys' };

const when = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** Every signed-in person's own passkeys: list, add a backup, rename, remove. */
export default async function AccountPage() {
  const person = await currentStaff();
  if (!person) redirect('/signin?callbackUrl=%2Faccount');
  const passkeys = await listOwnPasskeys(db(), person);
  const isStaff = can(person, 'console.view') || can(person, 'reports.view');
  return (
    <PageShell>
      <h1 className="text-3xl font-bold tracking-tight text-brand-900">Your passkeys</h1>
      <p className="mt-3 text-slate-700">
        Signed in as {person.name}. A passkey on a second device — a phone or a security key — lets
        you sign in if you lose this one.
      </p>
      {isStaff && (
        <p className="mt-3">
          <Link href="/console" className="font-medium text-brand-700 underline">
            Go to the console
          </Link>
        </p>
      )}
      <OwnPasskeys
        passkeys={passkeys.map((passkey) => ({
          id: passkey.id,
          name: passkey.name ?? passkey.provider ?? 'Passkey',
          provider: passkey.provider ?? 'Unknown provider',
          created: `${when.format(passkey.createdAt)} UTC`,
          lastUsed: passkey.lastUsedAt ? `${when.format(passkey.lastUsedAt)} UTC` : 'Never',
          backedUp: passkey.backedUp,
        }))}
      />
    </PageShell>
  );
}
