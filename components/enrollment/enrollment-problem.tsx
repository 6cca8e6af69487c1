'use client';

import { useState, type RefObject } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { isNewLinkAnswer, PROBLEM_PAGES, type ProblemPageCode } from '@/lib/enrollment/messages';
import { dateLocale } from '@/lib/i18n/locale';
import { formatInZone } from '@/lib/time/zone';

type Props = {
  code: ProblemPageCode;
  detail?: string;
  retryAfterSeconds?: number;
  validFrom?: string;
  openedAt?: string;
  reference?: string;
  /** The link the page was opened with, if it still has it: "Ask IT for a new link" sends it. */
  token: string | null;
  helpContact: string | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
};

const button =
  'rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';
const link = 'font-semibold text-brand-700 underline hover:text-brand-900';

type Asked = { state: 'idle' } | { state: 'sending' } | { state: 'answered'; message: string };

/** One page per failure (GOV.UK's pattern): what happened, what to do now, who can help. */
export function EnrollmentProblem({
  code,
  detail,
  retryAfterSeconds,
  validFrom,
  openedAt,
  reference,
  token,
  helpContact,
  headingRef,
}: Props) {
  const t = useTranslations();
  const locale = useLocale();
  const when = (iso: string) => formatInZone(new Date(iso), undefined, dateLocale(locale));
  const [asked, setAsked] = useState<Asked>({ state: 'idle' });

  const ask = async () => {
    setAsked({ state: 'sending' });
    const answer = await fetch('/api/enroll/new-link', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Without the link (the page was reloaded), the enrollment session's cookie names it.
      body: JSON.stringify(token ? { token } : {}),
      credentials: 'same-origin',
    })
      .then(async (response) => {
        const json = (await response.json().catch(() => null)) as {
          answer?: string;
          message?: string;
          error?: { code?: string; message?: string };
        } | null;
        // The answer's sentence in the page's language, by its code (lib/enrollment/messages.ts).
        const answer = json?.answer ?? json?.error?.code;
        if (isNewLinkAnswer(answer)) return t(`newLink.${answer}`);
        return json?.error?.message ?? t('problems.network.next');
      })
      .catch(() => `${t('problems.network.title')}. ${t('problems.network.next')}`);
    setAsked({ state: 'answered', message: answer });
  };

  return (
    <section
      role="alert"
      data-problem={code}
      className="rounded-xl border border-amber-300 bg-amber-50 p-6"
    >
      <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-bold text-slate-900">
        {t(`problems.${code}.title`)}
      </h1>
      <p className="mt-3 text-lg text-slate-800">{t(`problems.${code}.happened`)}</p>
      {openedAt && (
        <p className="mt-2 text-slate-800">{t('problem.openedAt', { time: when(openedAt) })}</p>
      )}
      {validFrom && (
        <p className="mt-2 text-slate-800">{t('problem.validFrom', { time: when(validFrom) })}</p>
      )}
      {detail && <p className="mt-2 text-sm text-slate-700">{t('problem.details', { detail })}</p>}

      <h2 className="mt-6 text-lg font-semibold text-slate-900">{t('problem.whatNow')}</h2>
      <p className="mt-1 text-slate-800" data-next-action>
        {t(`problems.${code}.next`)}
      </p>
      {retryAfterSeconds !== undefined && (
        <p className="mt-2 text-slate-800">
          {t('problem.retryIn', { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) })}
        </p>
      )}
      {code === 'already_enrolled' && (
        <p className="mt-3 flex gap-6">
          <a href="/signin" className={link}>
            {t('problem.signIn')}
          </a>
          <a href="/account" className={link}>
            {t('problem.yourPasskeys')}
          </a>
        </p>
      )}
      {PROBLEM_PAGES[code].askForLink && (
        <div className="mt-4">
          {asked.state === 'answered' ? (
            <p role="status" className="font-medium text-slate-900">
              {asked.message}
            </p>
          ) : (
            <button
              type="button"
              className={button}
              disabled={asked.state === 'sending'}
              onClick={ask}
            >
              {t('problem.askForLink')}
            </button>
          )}
        </div>
      )}

      <h2 className="mt-6 text-lg font-semibold text-slate-900">{t('problem.needHelp')}</h2>
      <p className="mt-1 text-slate-800" data-help-contact>
        {reference
          ? t.rich('problem.contactWithReference', {
              contact: helpContact ?? t('problem.yourIt'),
              reference,
              ref: (chunks) => <strong data-reference>{chunks}</strong>,
            })
          : t('problem.contact', { contact: helpContact ?? t('problem.yourIt') })}
      </p>
      <p className="mt-4 text-sm text-slate-700">{t('problem.noPassword')}</p>
    </section>
  );
}
