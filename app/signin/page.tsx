import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { PasskeySignIn } from '@/components/staff/passkey-sign-in';
import { PageShell } from '@/components/ui/page-shell';
import { safeReturnPath } from '@/lib/http/safe-return-path';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signin');
  return { title: t('metaTitle') };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const t = await getTranslations('signin');
  return (
    <PageShell>
      <div className="mx-auto max-w-md">
        <h1 className="text-3xl font-bold tracking-tight text-brand-900">{t('title')}</h1>
        <p className="mt-3 text-slate-700">{t('intro')}</p>
        {params.removed === '1' && (
          <p role="status" className="mt-4 rounded bg-emerald-50 p-3 text-emerald-950">
            {t('removed')}
          </p>
        )}
        <PasskeySignIn callbackUrl={safeReturnPath(params.callbackUrl)} />
      </div>
    </PageShell>
  );
}
