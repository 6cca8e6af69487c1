'use client';

import { useEffect, useRef, useState } from 'react';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
} from '@simplewebauthn/browser';
import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { refusalKeyOf, type RefusalKey } from '@/lib/passkeys/plain-refusal';

type Props = { callbackUrl: string };

/** Why a sign-in failed: a sentence of the page's own, a refusal's plain sentence, or the server's words. */
type Failed =
  | { key: 'couldNotStart' | 'promptClosed' | 'failed' | 'unsupported' }
  | { refusal: RefusalKey }
  | { text: string };

async function signInWith(
  useBrowserAutofill: boolean,
): Promise<{ ok: true } | ({ ok: false } & Failed)> {
  const options = await fetch('/api/passkeys/authenticate/options', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!options.ok) return { ok: false, key: 'couldNotStart' };
  let assertion;
  try {
    assertion = await startAuthentication({
      optionsJSON: await options.json(),
      useBrowserAutofill,
    });
  } catch {
    return { ok: false, key: 'promptClosed' };
  }
  const result = await signIn('passkey', { response: JSON.stringify(assertion), redirect: false });
  if (!result || result.error) {
    if (!result?.error || result.error === 'CredentialsSignin') return { ok: false, key: 'failed' };
    // The server's plain sentence (lib/passkeys/plain-refusal.ts), said in the page's language.
    const refusal = refusalKeyOf(result.error);
    return refusal ? { ok: false, refusal } : { ok: false, text: result.error };
  }
  return { ok: true };
}

/** Sign-in for everyone (staff and hires), in the page's language: a discoverable passkey, nothing to type, autofill where available. */
export function PasskeySignIn({ callbackUrl }: Props) {
  const t = useTranslations();
  const [failed, setFailed] = useState<Failed | null>(null);
  const message =
    failed === null
      ? null
      : 'key' in failed
        ? t(`signin.${failed.key}`)
        : 'refusal' in failed
          ? t(`refusals.${failed.refusal}`)
          : failed.text;
  const [busy, setBusy] = useState(false);
  const supported = useRef(true);
  const signedIn = useRef(false);

  // The autofill request and the button may both complete; only the first success navigates.
  const finish = (result: Awaited<ReturnType<typeof signInWith>>) => {
    if (signedIn.current) return;
    if (result.ok) {
      signedIn.current = true;
      window.location.assign(callbackUrl);
    } else setFailed(result);
  };

  useEffect(() => {
    supported.current = browserSupportsWebAuthn();
    if (!supported.current) {
      setFailed({ key: 'unsupported' });
      return;
    }
    // Conditional mediation: passkeys offered in the field's autofill, without a modal prompt.
    void browserSupportsWebAuthnAutofill().then((autofill) => {
      if (autofill) void signInWith(true).then((result) => result.ok && finish(result));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once, on mount
  }, []);

  const onClick = async () => {
    setBusy(true);
    setFailed(null);
    finish(await signInWith(false));
    setBusy(false);
  };

  return (
    <div className="mt-8 space-y-4">
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t('signin.passkeyLabel')}</span>
        <input
          name="username"
          autoComplete="username webauthn"
          placeholder={t('signin.placeholder')}
          className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"
        />
      </label>
      <button
        type="button"
        onClick={onClick}
        disabled={busy}
        className="w-full rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t('signin.button')}
      </button>
      {message && (
        <p
          role="alert"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-slate-800"
        >
          {message}
        </p>
      )}
    </div>
  );
}
