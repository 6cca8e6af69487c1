'use client';

import type { RefObject } from 'react';
import { useTranslations } from 'next-intl';
import type { ReadyFacts } from '@/lib/enrollment/ready';

type Props = {
  name: string;
  provider: string | null;
  backedUp: boolean;
  next: ReadyFacts;
  headingRef: RefObject<HTMLHeadingElement | null>;
};

const link = 'font-semibold text-brand-700 underline hover:text-brand-900';

/** The last page of enrollment: the passkey exists, has just signed in once, and what it opens. */
export function EnrollmentReady({ name, provider, backedUp, next, headingRef }: Props) {
  const t = useTranslations('ready');
  const saved = {
    recovery: next.recovery ? 'yes' : 'no',
    where: provider ? 'provider' : 'here',
    provider: provider ?? '',
  };
  return (
    <section
      aria-labelledby="ready-title"
      className="rounded-xl border border-emerald-300 bg-emerald-50 p-6"
    >
      <h1
        id="ready-title"
        ref={headingRef}
        tabIndex={-1}
        className="text-3xl font-bold tracking-tight text-emerald-900"
      >
        {next.recovery ? t('titleRecovery') : t('title')}
      </h1>
      <p className="mt-4 text-lg text-slate-800">
        {name ? t('savedChecked', { ...saved, name }) : t('saved', saved)}
        {next.recovery && ` ${t('replaces')}`}
      </p>
      <p className="mt-2 text-slate-800">{backedUp ? t('backedUp') : t('onlyHere')}</p>
      <h2 className="mt-6 text-xl font-semibold text-slate-900">{t('opensTitle')}</h2>
      {next.apps.length > 0 ? (
        <ul className="mt-2 list-disc space-y-1 pl-6 text-slate-800">
          {next.apps.map((app) => (
            <li key={app.url}>
              <a href={app.url} className={link}>
                {app.name}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-slate-800">{t('opensNone')}</p>
      )}
      <p className="mt-2 text-slate-800">{t('howToUse')}</p>
      {next.staff && (
        <p className="mt-4">
          <a href="/console" className={link}>
            {t('console')}
          </a>
        </p>
      )}
      <h2 className="mt-6 text-xl font-semibold text-slate-900">{t('backupTitle')}</h2>
      <p className="mt-2 text-slate-800">
        {t('backupText')}{' '}
        <a href="/account" className={link}>
          {t('backupLink')}
        </a>
      </p>
    </section>
  );
}
