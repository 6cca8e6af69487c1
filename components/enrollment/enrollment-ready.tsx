import type { RefObject } from 'react';

type Props = {
  name: string;
  provider: string | null;
  backedUp: boolean;
  headingRef: RefObject<HTMLHeadingElement | null>;
};

/** The last page of enrollment: the passkey exists and has just signed in once. */
export function EnrollmentReady({ name, provider, backedUp, headingRef }: Props) {
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
        You&rsquo;re ready for day one
      </h1>
      <p className="mt-4 text-lg text-slate-800">
        {name ? `${name}, your` : 'Your'} passkey is saved{' '}
        {provider ? `in ${provider}` : 'on this laptop'}
        {name ? ' and we just checked that it works.' : '.'}
      </p>
      <p className="mt-2 text-slate-800">
        {backedUp
          ? 'It is backed up with your account on this device\u2019s passkey provider.'
          : 'It lives only on this laptop.'}{' '}
        To sign in at work, choose &ldquo;Sign in with a passkey&rdquo; and confirm with your
        fingerprint, face or device PIN.
      </p>
      <h2 className="mt-6 text-xl font-semibold text-slate-900">Add a backup passkey</h2>
      <p className="mt-2 text-slate-800">
        A second passkey (on your phone or a security key) keeps you signed in if this laptop is
        lost or repaired. Your IT team can set one up with you on your first day.
      </p>
    </section>
  );
}
