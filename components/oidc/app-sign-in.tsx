'use client';

import { useEffect, useRef, useState } from 'react';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';

type Props = { uid: string; clientName: string };
type Refusal = { title: string; message: string; final: boolean };

async function signIn(uid: string): Promise<{ redirectTo: string } | Refusal> {
  if (!browserSupportsWebAuthn()) {
    return {
      title: 'This browser can\u2019t use passkeys',
      message:
        'This browser can\u2019t use passkeys. Use an up-to-date Chrome, Edge, Safari or Firefox.',
      final: false,
    };
  }
  const options = await fetch('/api/passkeys/authenticate/options', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!options.ok)
    return {
      title: 'Try again',
      message: 'Firstkey could not start the sign-in. Reload the page and try again.',
      final: false,
    };
  let assertion;
  try {
    assertion = await startAuthentication({ optionsJSON: await options.json() });
  } catch {
    return {
      title: 'Try again',
      message: 'The passkey prompt was closed. Try again when you\u2019re ready.',
      final: false,
    };
  }
  const response = await fetch(`/oidc/interaction/${encodeURIComponent(uid)}/passkey`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response: assertion }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    redirectTo?: string;
    retry?: boolean;
    title?: string;
    message?: string;
  };
  if (response.ok && body.redirectTo) return { redirectTo: body.redirectTo };
  // lib/oidc/messages.ts says whether trying again with a passkey could help.
  return {
    title: body.title ?? 'Try again',
    message: body.message ?? 'That passkey could not sign you in.',
    final: body.retry === false,
  };
}

/** Signing in to an app with the passkey: one button, no username, no password, no other way. */
export function AppSignIn({ uid, clientName }: Props) {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (refusal?.final) heading.current?.focus();
  }, [refusal]);

  const onClick = async () => {
    setBusy(true);
    setRefusal(null);
    const result = await signIn(uid);
    if ('redirectTo' in result) {
      window.location.assign(result.redirectTo);
      return;
    }
    setRefusal(result);
    setBusy(false);
  };

  if (refusal?.final) {
    return (
      <>
        <h1
          ref={heading}
          tabIndex={-1}
          className="text-3xl font-bold tracking-tight text-brand-900"
        >
          {refusal.title}
        </h1>
        <p className="mt-3 text-slate-700">{refusal.message}</p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight text-brand-900">Sign in to {clientName}</h1>
      <p className="mt-3 text-slate-700">
        Use the passkey you created when you enrolled. Firstkey has no passwords: nobody will ever
        ask you for one.
      </p>
      <div className="mt-8 space-y-4">
        <button
          type="button"
          onClick={onClick}
          disabled={busy}
          className="w-full rounded-lg bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          Sign in with a passkey
        </button>
        {refusal && (
          <p
            role="alert"
            className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-slate-800"
          >
            {refusal.message}
          </p>
        )}
      </div>
    </>
  );
}
