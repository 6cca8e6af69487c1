'use client';

import { useState, type RefObject } from 'react';
import { PROBLEM_PAGES, type ProblemPageCode } from '@/lib/enrollment/messages';
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
  const text = PROBLEM_PAGES[code];
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
          message?: string;
          error?: { message?: string };
        } | null;
        return json?.message ?? json?.error?.message ?? PROBLEM_PAGES.network.next;
      })
      .catch(() => `${PROBLEM_PAGES.network.title}. ${PROBLEM_PAGES.network.next}`);
    setAsked({ state: 'answered', message: answer });
  };

  return (
    <section
      role="alert"
      data-problem={code}
      className="rounded-xl border border-amber-300 bg-amber-50 p-6"
    >
      <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-bold text-slate-900">
        {text.title}
      </h1>
      <p className="mt-3 text-lg text-slate-800">{text.happened}</p>
      {openedAt && (
        <p className="mt-2 text-slate-800">
          Your enrollment opened at {formatInZone(new Date(openedAt))}.
        </p>
      )}
      {validFrom && (
        <p className="mt-2 text-slate-800">
          It becomes active on {formatInZone(new Date(validFrom))}.
        </p>
      )}
      {detail && <p className="mt-2 text-sm text-slate-700">Details: {detail}</p>}

      <h2 className="mt-6 text-lg font-semibold text-slate-900">What to do now</h2>
      <p className="mt-1 text-slate-800" data-next-action>
        {text.next}
      </p>
      {retryAfterSeconds !== undefined && (
        <p className="mt-2 text-slate-800">
          You can try again in about {Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes.
        </p>
      )}
      {code === 'already_enrolled' && (
        <p className="mt-3 flex gap-6">
          <a href="/signin" className={link}>
            Sign in
          </a>
          <a href="/account" className={link}>
            Your passkeys
          </a>
        </p>
      )}
      {text.askForLink && (
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
              Ask IT for a new link
            </button>
          )}
        </div>
      )}

      <h2 className="mt-6 text-lg font-semibold text-slate-900">Need help?</h2>
      <p className="mt-1 text-slate-800" data-help-contact>
        Contact {helpContact ?? 'your IT team'}
        {reference ? (
          <>
            {' '}
            and give them this reference: <strong data-reference>{reference}</strong>
          </>
        ) : null}
        .
      </p>
      <p className="mt-4 text-sm text-slate-700">
        Nobody from IT will ever ask you for a password or a code. If someone does, do not share
        anything and report it.
      </p>
    </section>
  );
}
