'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/browser';
import { ENROLLMENT_PROBLEMS, type EnrollmentProblemCode } from '@/lib/enrollment/messages';
import { EnrollmentProblem } from '@/components/enrollment/enrollment-problem';
import { formatInZone } from '@/lib/time/zone';
import { EnrollmentReady } from '@/components/enrollment/enrollment-ready';
import type { ReadyFacts } from '@/lib/enrollment/ready';
import { TOKEN_PATTERN } from '@/lib/enrollment/token-shape';

// The new hire's page. The token is read from the URL fragment (never sent in a GET), removed from
// the address bar at once, and sent only in POST bodies. Steps: peek → (click) redeem → passkey
// registration → a sign-in with the new passkey to prove it works → "ready".

type ProblemCode = EnrollmentProblemCode | 'unsupported' | 'network';
type Ready = { name: string; provider: string | null; backedUp: boolean; next: ReadyFacts };
type View =
  | { step: 'checking' }
  | { step: 'welcome'; name: string; expiresAt: string }
  | { step: 'resume' }
  | { step: 'working'; what: string }
  | { step: 'cancelled'; message: string }
  | { step: 'ready'; ready: Ready }
  | {
      step: 'problem';
      code: ProblemCode;
      detail?: string;
      retryAfterSeconds?: number;
      validFrom?: string;
    };

type ApiError = {
  error: { code: string; message: string; retryAfterSeconds?: number; validFrom?: string };
};
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

function problemView(error: ApiError['error'], fallback: ProblemCode = 'malformed'): View {
  const code = (
    error.code in ENROLLMENT_PROBLEMS || error.code === 'network' ? error.code : fallback
  ) as ProblemCode;
  return {
    step: 'problem',
    code,
    detail: error.message,
    retryAfterSeconds: error.retryAfterSeconds,
    validFrom: error.validFrom,
  };
}

export function EnrollmentFlow() {
  const [view, setView] = useState<View>({ step: 'checking' });
  const token = useRef<string | null>(null);
  const redeemed = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // Move focus to each new step's heading so screen readers and keyboard users follow along.
    heading.current?.focus();
  }, [view.step]);

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
        const session = await post<PublicKeyCredentialCreationOptionsJSON>(
          '/api/enroll/passkey/options',
          {},
        );
        if (cancelled) return;
        if (session.ok) {
          redeemed.current = true;
          return setView({ step: 'resume' });
        }
        return setView(problemView(session.error, 'no_session'));
      }
      if (!TOKEN_PATTERN.test(fragment)) return setView({ step: 'problem', code: 'malformed' });
      token.current = fragment;
      const peek = await post<{ hire: { name: string }; expiresAt: string }>('/api/enroll/peek', {
        token: fragment,
      });
      if (cancelled) return;
      if (peek.ok)
        return setView({
          step: 'welcome',
          name: peek.body.hire.name,
          expiresAt: peek.body.expiresAt,
        });
      setView(problemView(peek.error));
    };
    // A second link opened in the same tab changes only the fragment: start over with it.
    const onHashChange = () => void begin();
    window.addEventListener('hashchange', onHashChange);
    void begin();
    return () => {
      cancelled = true;
      window.removeEventListener('hashchange', onHashChange);
    };
  }, []);

  const enroll = useCallback(async () => {
    if (!redeemed.current) {
      setView({ step: 'working', what: 'Checking your link…' });
      const redeem = await post('/api/enroll/redeem', { token: token.current });
      if (!redeem.ok) return setView(problemView(redeem.error));
      redeemed.current = true;
    }
    // Fresh options on every try: a lapsed session is reported before the device prompts anyone.
    const fetched = await post<PublicKeyCredentialCreationOptionsJSON>(
      '/api/enroll/passkey/options',
      {},
    );
    if (!fetched.ok) return setView(problemView(fetched.error));
    setView({ step: 'working', what: 'Follow your device\u2019s prompt to create your passkey…' });
    let registration;
    try {
      registration = await startRegistration({ optionsJSON: fetched.body });
    } catch (error) {
      const message =
        error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED'
          ? 'This device already holds a passkey for you.'
          : 'The passkey prompt was closed before a passkey was created.';
      return setView({ step: 'cancelled', message });
    }
    setView({ step: 'working', what: 'Saving your passkey…' });
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
        return setView({ step: 'cancelled', message: verified.error.message });
      }
      return setView(problemView(verified.error));
    }

    // Prove the new passkey works: sign in with it once.
    setView({ step: 'working', what: 'Checking your new passkey works — confirm once more…' });
    const authOptions = await post<Parameters<typeof startAuthentication>[0]['optionsJSON']>(
      '/api/passkeys/authenticate/options',
      {},
    );
    let name = '';
    if (authOptions.ok) {
      try {
        const assertion = await startAuthentication({ optionsJSON: authOptions.body });
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
  }, []);

  return (
    <div aria-live="polite">
      {view.step === 'checking' && (
        <h1 ref={heading} tabIndex={-1} className="text-2xl font-bold">
          Checking your link…
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
            Welcome, {view.name}
          </h1>
          <p className="mt-4 text-lg text-slate-700">
            You are about to create your <strong>passkey</strong>: the way you will sign in at work.
            There is no password to choose or remember.
          </p>
          <ol className="mt-6 list-decimal space-y-2 pl-6 text-slate-700">
            <li>Select the button below.</li>
            <li>
              Your laptop asks you to confirm it is you, with your fingerprint, face or device PIN.
            </li>
            <li>
              That&rsquo;s it: your passkey stays on this laptop and works only for this
              company&rsquo;s sign-in.
            </li>
          </ol>
          <p className="mt-4 text-sm text-slate-600">
            This link works once, only on this laptop. It is valid until{' '}
            {formatInZone(new Date(view.expiresAt))}.
          </p>
          <button
            type="button"
            onClick={enroll}
            className="mt-8 rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700"
          >
            Create my passkey
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
            Let&rsquo;s finish creating your passkey
          </h1>
          <p className="mt-4 text-lg text-slate-700">
            Your enrollment is still open on this laptop. Continue where you left off.
          </p>
          <button
            type="button"
            onClick={enroll}
            className="mt-8 rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700"
          >
            Continue
          </button>
        </section>
      )}

      {view.step === 'working' && (
        <h1 ref={heading} tabIndex={-1} role="status" className="text-2xl font-bold">
          {view.what}
        </h1>
      )}

      {view.step === 'cancelled' && (
        <section>
          <h1
            ref={heading}
            tabIndex={-1}
            className="text-3xl font-bold tracking-tight text-brand-900"
          >
            Your passkey wasn&rsquo;t created yet
          </h1>
          <p className="mt-4 text-lg text-slate-700">{view.message}</p>
          <p className="mt-2 text-slate-700">
            Your link is still good for a few more minutes. Try again when you&rsquo;re ready.
          </p>
          <button
            type="button"
            onClick={enroll}
            className="mt-8 rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700"
          >
            Try again
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
        />
      )}
    </div>
  );
}
