import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { OwnPasskeys } from '@/components/account/own-passkeys';
import { PageShell } from '@/components/ui/page-shell';
import { db } from '@/lib/db';
import { dateLocale } from '@/lib/i18n/locale';
import { listOwnPasskeys } from '@/lib/passkeys/account';
import { can } from '@/lib/staff/authorize';
import { currentStaff } from '@/lib/staff/current';
import { formatInZone } from '@/lib/time/zone';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('account');
  return { title: t('metaTitle') };
}

/** Every signed-in person's own passkeys: list, add a backup, rename, remove. In their language. */
export default async function AccountPage() {
  const person = await currentStaff();
  if (!person) redirect('/signin?callbackUrl=%2Faccount');
  const passkeys = await listOwnPasskeys(db(), person);
  const isStaff = can(person, 'console.view') || can(person, 'reports.view');
  const t = await getTranslations('account');
  const locale = dateLocale(await getLocale());
  const when = (instant: Date) => formatInZone(instant, 'UTC', locale);
  return (
    <PageShell>
      <h1 className="text-3xl font-bold tracking-tight text-brand-900">{t('title')}</h1>
      <p className="mt-3 text-slate-700">{t('signedInAs', { name: person.name })}</p>
      {isStaff && (
        <p className="mt-3">
          <Link href="/console" className="font-medium text-brand-700 underline">
            {t('console')}
          </Link>
        </p>
      )}
      <OwnPasskeys
        passkeys={passkeys.map((passkey) => ({
          id: passkey.id,
          name: passkey.name ?? passkey.provider ?? t('unnamed'),
          provider: passkey.provider ?? t('unknownProvider'),
          created: when(passkey.createdAt),
          lastUsed: passkey.lastUsedAt ? when(passkey.lastUsedAt) : t('never'),
          backedUp: passkey.backedUp,
        }))}
      />
    </PageShell>
  );
}
