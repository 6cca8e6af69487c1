import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { EnrollmentFlow } from '@/components/enrollment/enrollment-flow';
import { PageShell } from '@/components/ui/page-shell';
import { env } from '@/lib/env';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('enroll');
  return { title: t('metaTitle') };
}

export default async function EnrollPage() {
  const t = await getTranslations('enroll');
  return (
    <PageShell>
      <EnrollmentFlow helpContact={env().helpContact} initialLocale={await getLocale()} />
      <noscript>
        <p className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4">{t('noscript')}</p>
      </noscript>
    </PageShell>
  );
}
