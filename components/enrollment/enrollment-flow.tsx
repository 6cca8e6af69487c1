'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  WebAuthnError,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/browser';
import { PROBLEM_PAGES, type ProblemPageCode } from '@/lib/enrollment/messages';
import { CATALOGUES, translator } from '@/lib/i18n/catalogue';
import { dateLocale, resolveLocale, type Locale } from '@/lib/i18n/locale';
import { refusalKeyOf } from '@/lib/passkeys/plain-refusal';
import { EnrollmentProblem } from '@/components/enrollment/enrollment-problem';
import { formatInZone } from '@/lib/time/zone';
import { EnrollmentReady } from '@/components/enrollment/enrollment-ready';
import { CeremonyWait, MinutesLeft } from '@/components/enrollment/ceremony-wait';
import { CEREMONY_TIMEOUT } from '@/lib/enrollment/policy';
import type { ReadyFacts } from '@/lib/enrollment/ready';
import { TOKEN_PATTERN } from '@/lib/enrollment/token-shape';

// The new hire's page. The token is read from the URL fragment (never sent in a GET), removed from
// the address bar at once, and sent only in POST bodies. Steps: peek → (click) redeem → passkey
// registration → a sign-in with the new passkey to prove it works → "ready". The page speaks the
// language the server chose from the browser until the link's peek names the hire: their record's
// language wins from then on (lib/i18n/locale.ts), on the same URL.

type Translate = ReturnType<typeof translator>;
/** Words the page shows, said when it renders, so a change of language reaches them too. */
type Said = (t: Translate, locale: Locale) => string;

type Ready = { name: string; provider: string | null; backedUp: boolean; next: ReadyFacts };
type View =
  | { step: 'checking' }
  | { step: 'welcome'; name: string; expiresAt: string }
  | { step: 'resume' }
  | { step: 'working'; what: Said }
  | { step: 'prompt'; what: Said; sessionEndsAt: number | null }
  | { step: 'cancelled'; message: Said; sessionEndsAt: number | null }
  | { step: 'ready'; ready: Ready }
  | {
      step: 'problem';
      code: ProblemPageCode;
      detail?: string;
      retryAfterSeconds?: number;
      validFrom?: string;
      openedAt?: string;
      reference?: string;
      token?: string | null;
    };

type ApiError = {
  error: {
    code: string;
    message: string;
    retryAfterSeconds?: number;
    validFrom?: string;
    openedAt?: string;
    reference?: string;
    /** The hire's language, when the server knows the link and this is their laptop. */
    language?: string;
  };
};
/** The options answer carries how long the enrollment session has left, by the server's clock. */
type OptionsAnswer = PublicKeyCredentialCreationOptionsJSON & { sessionSecondsLeft: number };
type ApiResult<T> = { ok: true; body: T } | { ok: false; status: number; error: ApiError['error'] };

async function post<T>(path: string, body: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    return {
      ok: false,
      status: 0,
      error: {
        code: 'network',
        message: 'Firstkey could not be reached. Check your connection and try again.',
      },
    };
  }
  const json = (await response.json().catch(() => null)) as T | ApiError | null;
  if (response.ok) return { ok: true, body: json as T };
  const error = (json as ApiError | null)?.error ?? {
    code: 'network',
    message: `Unexpected answer (HTTP ${response.status})`,
  };
  return { ok: false, status: response.status, error };
}

function problemView(
  error: ApiError['error'],
  token: string | null,
  fallback: ProblemPageCode = 'malformed',
): View {
  const known = error.code in PROBLEM_PAGES;
  return {
    step: 'problem',
    token,
    code: known ? (error.code as ProblemPageCode) : fallback,
    // The page has its own words for every code it knows; an unknown answer is shown as it came.
    detail: known ? undefined : error.message,
    retryAfterSeconds: error.retryAfterSeconds,
    validFrom: error.validFrom,
    openedAt: error.openedAt,
    reference: error.reference,
  };
}

/** Why a passkey prompt ended without a passkey, in the hire's words. */
function promptEndedMessage(error: unknown, stoppedBy: 'cancel' | 'timeout' | null): Said {
  if (stoppedBy === 'cancel') return (t) => t('enroll.endedCancel');
  if (stoppedBy === 'timeout')
    return (t) => t('enroll.endedTimeout', { minutes: CEREMONY_TIMEOUT / 60_000 });
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')
    return (t) => t('enroll.endedExists');
  return (t) => t('enroll.endedClosed');
}

/**
 * Why the server refused the new passkey, in the hire's words: a failed verification by its plain
 * sentence (lib/passkeys/plain-refusal.ts); the policy's refusal names its rule, in English only, so
 * another language gives that failure page's general words; the others by their failure page's words.
 */
function refusedMessage(code: string, message: string): Said {
  return (t, locale) => {
    if (code === 'verification_failed')
      return t(`refusals.${refusalKeyOf(message) ?? 'registration'}`);
    if (code === 'passkey_not_allowed' && locale === 'en') return message;
    const known = code as 'challenge_invalid' | 'credential_exists' | 'passkey_not_allowed';
    return `${t(`problems.${known}.happened`)} ${t(`problems.${known}.next`)}`;
  };
}

export function EnrollmentFlow({
  helpContact,
  initialLocale,
}: {
  helpContact: string | null;
  /** The language the server chose for this request (Accept-Language): until the hire is known. */
  initialLocale: Locale;
}) {
  const [view, setView] = useState<View>({ step: 'checking' });
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const t = useMemo(() => translator(locale), [locale]);
  const token = useRef<string | null>(null);
  const redeemed = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  /** When the enrollment session closes, on this page's monotonic clock (performance.now()). */
  const sessionEndsAt = useRef<number | null>(null);
  /** Who stopped the passkey prompt, if the page did: the hire's Cancel or the ceremony timeout. */
  const stoppedBy = useRef<'cancel' | 'timeout' | null>(null);

  useEffect(() => {
    // Move focus to each new step's heading so screen readers and keyboard users follow along, and
    // name the page after it: the tab's title always says the same as the page's heading.
    heading.current?.focus();
    const title = heading.current?.textContent;
    if (!title) return;
    document.title = title;
    // Next streams the page's metadata <title> in after the first render; keep ours over it.
    const keep = new MutationObserver(() => {
      if (document.title !== title) document.title = title;
    });
    keep.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => keep.disconnect();
  }, [view, locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  /** A failure page, in the hire's record language when the server told us it. */
  const showProblem = useCallback(
    (error: ApiError['error'], linkToken: string | null, fallback?: ProblemPageCode) => {
      if (error.language)
        setLocale(resolveLocale({ record: error.language, fallback: initialLocale }));
      setView(problemView(error, linkToken, fallback));
    },
    [initialLocale],
  );

  const sessionLeft = (secondsLeft: number) => {
    sessionEndsAt.current = performance.now() + secondsLeft * 1000;
  };

  /**
   * Runs one passkey prompt with a visible waiting state, a Cancel button and a timeout: the prompt
   * is stopped after CEREMONY_TIMEOUT, or when the enrollment session closes if that is sooner.
   */
  const prompt = useCallback(async <T,>(what: Said, run: () => Promise<T>) => {
    stoppedBy.current = null;
    setView({ step: 'prompt', what, sessionEndsAt: sessionEndsAt.current });
    const left =
      sessionEndsAt.current === null ? Infinity : sessionEndsAt.current - performance.now();
    const timer = window.setTimeout(
      () => {
        stoppedBy.current = 'timeout';
        WebAuthnAbortService.cancelCeremony();
      },
      Math.max(0, Math.min(CEREMONY_TIMEOUT, left)),
    );
    try {
      return await run();
    } finally {
      window.clearTimeout(timer);
    }
  }, []);

  const cancelPrompt = useCallback(() => {
    stoppedBy.current = 'cancel';
    WebAuthnAbortService.cancelCeremony();
  }, []);

  useEffect(() => {
    let cancelled = false;
    const begin = async () => {
      const fragment = window.location.hash.slice(1);
      if (fragment) window.history.replaceState(null, '', window.location.pathname);
      token.current = null;
      redeemed.current = false;
      setView({ step: 'checking' });
      if (!browserSupportsWebAuthn()) return setView({ step: 'problem', code: 'unsupported' });
      if (!fragment) {
        // Reloaded after the link was used: carry on if the enrollment session is still open.
        const session = await post<OptionsAnswer>('/api/enroll/passkey/options', {});
        if (cancelled) return;
        if (session.ok) {
          redeemed.current = true;
          sessionLeft(session.body.sessionSecondsLeft);
          return setView({ step: 'resume' });
        }
        return showProblem(session.error, null, 'no_session');
      }
      if (!TOKEN_PATTERN.test(fragment)) return setView({ step: 'problem', code: 'malformed' });
      token.current = fragment;
      const peek = await post<{
        hire: { name: string; preferredLanguage: string | null };
        expiresAt: string;
      }>('/api/enroll/peek', { token: fragment });
      if (cancelled) return;
      if (peek.ok) {
        // The hire is known: their record's language, else the one the browser asked for.
        setLocale(
          resolveLocale({ record: peek.body.hire.preferredLanguage, fallback: initialLocale }),
        );
        return setView({
          step: 'welcome',
          name: peek.body.hire.name,
          expiresAt: peek.body.expiresAt,
        });
      }
      showProblem(peek.error, token.current);
    };
    // A second link opened in the same tab changes only the fragment: start over with it.
    const onHashChange = () => void begin();
    window.addEventListener('hashchange', onHashChange);
    void begin();
    return () => {
      cancelled = true;
      window.removeEventListener('hashchange', onHashChange);
    };
  }, [initialLocale, showProblem]);

  const enroll = useCallback(async () => {
    if (!redeemed.current) {
      setView({ step: 'working', what: (t) => t('enroll.checking') });
      const redeem = await post<{ sessionSecondsLeft: number }>('/api/enroll/redeem', {
        token: token.current,
      });
      if (!redeem.ok) return showProblem(redeem.error, token.current);
      redeemed.current = true;
      sessionLeft(redeem.body.sessionSecondsLeft);
    }
    // Fresh options on every try: a lapsed session is reported before the device prompts anyone.
    const fetched = await post<OptionsAnswer>('/api/enroll/passkey/options', {});
    if (!fetched.ok) return showProblem(fetched.error, token.current);
    const { sessionSecondsLeft, ...optionsJSON } = fetched.body;
    sessionLeft(sessionSecondsLeft);
    let registration;
    try {
      registration = await prompt(
        (t) => t('enroll.promptCreate'),
        () => startRegistration({ optionsJSON }),
      );
    } catch (error) {
      if (stoppedBy.current === 'timeout' && sessionEndsAt.current! <= performance.now()) {
        // The session closed while the prompt was open: the server says so, with when it opened.
        const lapsed = await post<OptionsAnswer>('/api/enroll/passkey/options', {});
        if (!lapsed.ok) return showProblem(lapsed.error, token.current);
      }
      return setView({
        step: 'cancelled',
        message: promptEndedMessage(error, stoppedBy.current),
        sessionEndsAt: sessionEndsAt.current,
      });
    }
    setView({ step: 'working', what: (t) => t('enroll.saving') });
    const verified = await post<{
      passkey: { provider: string | null; backedUp: boolean };
      next: ReadyFacts;
    }>('/api/enroll/passkey/verify', { response: registration });
    if (!verified.ok) {
      const code = verified.error.code;
      if (
        code === 'verification_failed' ||
        code === 'challenge_invalid' ||
        code === 'credential_exists' ||
        code === 'passkey_not_allowed'
      ) {
        return setView({
          step: 'cancelled',
          message: refusedMessage(code, verified.error.message),
          sessionEndsAt: sessionEndsAt.current,
        });
      }
      return showProblem(verified.error, token.current);
    }

    // Prove the new passkey works: sign in with it once. The session has ended; only the timeout applies.
    sessionEndsAt.current = null;
    const authOptions = await post<Parameters<typeof startAuthentication>[0]['optionsJSON']>(
      '/api/passkeys/authenticate/options',
      {},
    );
    let name = '';
    if (authOptions.ok) {
      try {
        const assertion = await prompt(
          (t) => t('enroll.promptCheck'),
          () => startAuthentication({ optionsJSON: authOptions.body }),
        );
        const signedIn = await post<{ user: { name: string } }>(
          '/api/passkeys/authenticate/verify',
          { response: assertion },
        );
        if (signedIn.ok) name = signedIn.body.user.name;
      } catch {
        // The passkey is registered either way; the ready page says whether the check ran.
      }
    }
    setView({
      step: 'ready',
      ready: {
        name,
        provider: verified.body.passkey.provider,
        backedUp: verified.body.passkey.backedUp,
        next: verified.body.next,
      },
    });
  }, [prompt, showProblem]);

  return (
    <NextIntlClientProvider locale={locale} messages={CATALOGUES[locale]}>
      <div aria-live="polite">
        {view.step === 'checking' && (
          <h1 ref={heading} tabIndex={-1} className="text-2xl font-bold">
            {t('enroll.checking')}
          </h1>
        )}

        {view.step === 'welcome' && (
          <section aria-labelledby="welcome-title">
            <h1
              id="welcome-title"
              ref={heading}
              tabIndex={-1}
              className="text-3xl font-bold tracking-tight text-brand-900"
            >
              {t('enroll.welcomeTitle', { name: view.name })}
            </h1>
            <p className="mt-4 text-lg text-slate-700">
              {t.rich('enroll.welcomeIntro', { strong: (chunks) => <strong>{chunks}</strong> })}
            </p>
            <ol className="mt-6 list-decimal space-y-2 pl-6 text-slate-700">
              <li>{t('enroll.step1')}</li>
              <li>{t('enroll.step2')}</li>
              <li>{t('enroll.step3')}</li>
            </ol>
            <p className="mt-4 text-sm text-slate-600">
              {t('enroll.validUntil', {
                time: formatInZone(new Date(view.expiresAt), undefined, dateLocale(locale)),
              })}
            </p>
            <button
              type="button"
              onClick={enroll}
              className="mt-8 rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700"
            >
              {t('enroll.create')}
            </button>
          </section>
        )}

        {view.step === 'resume' && (
          <section>
            <h1
              ref={heading}
              tabIndex={-1}
              className="text-3xl font-bold tracking-tight text-brand-900"
            >
              {t('enroll.resumeTitle')}
            </h1>
            <p className="mt-4 text-lg text-slate-700">{t('enroll.resumeText')}</p>
            <button
              type="button"
              onClick={enroll}
              className="mt-8 rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700"
            >
              {t('enroll.continue')}
            </button>
          </section>
        )}

        {view.step === 'working' && (
          <h1 ref={heading} tabIndex={-1} role="status" className="text-2xl font-bold">
            {view.what(t, locale)}
          </h1>
        )}

        {view.step === 'prompt' && (
          <CeremonyWait
            headingRef={heading}
            what={view.what(t, locale)}
            sessionEndsAt={view.sessionEndsAt}
            helpContact={helpContact}
            onCancel={cancelPrompt}
          />
        )}

        {view.step === 'cancelled' && (
          <section>
            <h1
              ref={heading}
              tabIndex={-1}
              className="text-3xl font-bold tracking-tight text-brand-900"
            >
              {t('enroll.cancelledTitle')}
            </h1>
            <p className="mt-4 text-lg text-slate-700">{view.message(t, locale)}</p>
            <p className="mt-2 text-slate-700">
              <MinutesLeft sessionEndsAt={view.sessionEndsAt} /> {t('enroll.tryAgainWhenReady')}
            </p>
            <button
              type="button"
              onClick={enroll}
              className="mt-8 rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700"
            >
              {t('enroll.tryAgain')}
            </button>
          </section>
        )}

        {view.step === 'ready' && <EnrollmentReady headingRef={heading} {...view.ready} />}

        {view.step === 'problem' && (
          <EnrollmentProblem
            headingRef={heading}
            code={view.code}
            detail={view.detail}
            retryAfterSeconds={view.retryAfterSeconds}
            validFrom={view.validFrom}
            openedAt={view.openedAt}
            reference={view.reference}
            token={view.token ?? null}
            helpContact={helpContact}
          />
        )}
      </div>
    </NextIntlClientProvider>
  );
}
