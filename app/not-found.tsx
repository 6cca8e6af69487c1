import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PageShell } from '@/components/ui/page-shell';

// Every address with no page. The title is the heading, so a tab and a screen reader say the same.
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('notFound');
  return { title: t('title') };
}

export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <PageShell>
      <h1 className="text-3xl font-bold tracking-tight text-slate-900">{t('title')}</h1>
      <p className="mt-4 text-lg text-slate-700">{t('text')}</p>
      <ul className="mt-6 space-y-2">
        <li>
          <Link href="/console" className="font-semibold text-brand-700 underline">
            {t('yourPage')}
          </Link>{' '}
          {t('yourPageNote')}
        </li>
        <li>
          <Link href="/" className="font-semibold text-brand-700 underline">
            {t('home')}
          </Link>
        </li>
      </ul>
      <p className="mt-6 text-slate-700">{t('hireNote')}</p>
    </PageShell>
  );
}
