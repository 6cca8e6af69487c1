'use client';

import { useEffect, useRef, useState } from 'react';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
} from '@simplewebauthn/browser';
import { signIn } from 'next-auth/react';

type Props = { callbackUrl: string };

async function signInWith(
  useBrowserAutofill: boolean,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const options = await fetch('/api/passkeys/authenticate/options', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!options.ok)
    return {
      ok: false,
      message: 'Firstkey could not start the sign-in. Reload the page and try again.',
    };
  let assertion;
  try {
    assertion = await startAuthentication({
      optionsJSON: await options.json(),
      useBrowserAutofill,
    });
  } catch {
    return {
      ok: false,
      message: 'The passkey prompt was closed. Try again when you\u2019re ready.',
    };
  }
  const result = await signIn('passkey', { response: JSON.stringify(assertion), redirect: false });
  if (!result || result.error)
    return {
      ok: false,
      message:
        result?.error && result.error !== 'CredentialsSignin'
          ? result.error
          : 'That passkey could not sign you in.',
    };
  return { ok: true };
}

/** Staff sign-in: a discoverable passkey, nothing to type; the browser's passkey autofill where available. */
export function PasskeySignIn({ callbackUrl }: Props) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const supported = useRef(true);
  const signedIn = useRef(false);

  // The autofill request and the button may both complete; only the first success navigates.
  const finish = (result: Awaited<ReturnType<typeof signInWith>>) => {
    if (signedIn.current) return;
    if (result.ok) {
      signedIn.current = true;
      window.location.assign(callbackUrl);
    } else setMessage(result.message);
  };

  useEffect(() => {
    supported.current = browserSupportsWebAuthn();
    if (!supported.current) {
      setMessage(
        'This browser can\u2019t use passkeys. Use an up-to-date Chrome, Edge, Safari or Firefox.',
      );
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
    setMessage(null);
    finish(await signInWith(false));
    setBusy(false);
  };

  return (
    <div className="mt-8 space-y-4">
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Passkey</span>
        <input
          name="username"
          autoComplete="username webauthn"
          placeholder="Choose your passkey"
          className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"
        />
      </label>
      <button
        type="button"
        onClick={onClick}
        disabled={busy}
        className="w-full rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        Sign in with a passkey
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
