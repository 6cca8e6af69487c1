'use client';

import { useEffect, useState, type RefObject } from 'react';
import { useTranslations } from 'next-intl';

/** "You have 7 minutes left", counted on the page's monotonic clock from the server's figure. */
export function MinutesLeft({ sessionEndsAt }: { sessionEndsAt: number | null }) {
  const t = useTranslations('wait');
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const tick = window.setInterval(() => setNow(performance.now()), 5_000);
    return () => window.clearInterval(tick);
  }, []);
  if (sessionEndsAt === null) return null;
  const left = sessionEndsAt - now;
  if (left <= 0) return <span data-minutes-left="0">{t('over')}</span>;
  const minutes = Math.ceil(left / 60_000);
  return (
    <span data-minutes-left={minutes}>
      {left < 60_000 ? t('lessThanMinute') : t('minutesLeft', { minutes })}
    </span>
  );
}

type Props = {
  what: string;
  sessionEndsAt: number | null;
  helpContact: string | null;
  onCancel: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
};

/** While the laptop's own passkey prompt is open: what to do, the time left, help, and Cancel. */
export function CeremonyWait({ what, sessionEndsAt, helpContact, onCancel, headingRef }: Props) {
  const t = useTranslations();
  return (
    <section aria-busy="true" data-waiting-for-prompt>
      <h1
        ref={headingRef}
        tabIndex={-1}
        className="text-3xl font-bold tracking-tight text-brand-900"
      >
        {what}
      </h1>
      <p className="mt-4 flex items-center gap-3 text-lg text-slate-700" role="status">
        <span
          aria-hidden="true"
          className="inline-block h-5 w-5 animate-spin rounded-full border-2 border-brand-600 border-t-transparent motion-reduce:animate-none"
        />
        {t('wait.waiting')}
      </p>
      <p className="mt-2 text-slate-700">
        <MinutesLeft sessionEndsAt={sessionEndsAt} />
      </p>
      <details className="mt-6 rounded-lg border border-slate-300 bg-white p-4">
        <summary className="cursor-pointer font-semibold text-slate-900">
          {t('wait.havingTrouble')}
        </summary>
        <ul className="mt-3 list-disc space-y-1 pl-6 text-slate-700">
          <li>{t('wait.tipWindow')}</li>
          <li>{t('wait.tipUnlock')}</li>
          <li>{t('wait.tipCancel')}</li>
          <li>{t('wait.stillStuck', { contact: helpContact ?? t('problem.yourIt') })}</li>
        </ul>
      </details>
      <button
        type="button"
        onClick={onCancel}
        className="mt-6 rounded-lg border border-slate-400 bg-white px-5 py-2.5 font-semibold text-slate-900 hover:bg-slate-100"
      >
        {t('wait.cancel')}
      </button>
    </section>
  );
}
