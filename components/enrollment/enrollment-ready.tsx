import type { RefObject } from 'react';
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
        {next.recovery ? 'Your new passkey is ready' : 'You\u2019re ready for day one'}
      </h1>
      <p className="mt-4 text-lg text-slate-800">
        {name ? `${name}, your` : 'Your'} {next.recovery ? 'new ' : ''}passkey is saved{' '}
        {provider ? `in ${provider}` : 'on this laptop'}
        {name ? ' and we just checked that it works.' : '.'}
        {next.recovery && ' It replaces the lost one, which no longer signs you in.'}
      </p>
      <p className="mt-2 text-slate-800">
        {backedUp
          ? 'It is backed up with your account on this device\u2019s passkey provider.'
          : 'It lives only on this laptop.'}
      </p>
      <h2 className="mt-6 text-xl font-semibold text-slate-900">What your passkey opens</h2>
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
        <p className="mt-2 text-slate-800">
          Your passkey signs you in to Firstkey; your IT team will tell you which apps use it.
        </p>
      )}
      <p className="mt-2 text-slate-800">
        When an app asks, choose &ldquo;Sign in with a passkey&rdquo; and confirm with your
        fingerprint, face or device PIN.
      </p>
      {next.staff && (
        <p className="mt-4">
          <a href="/console" className={link}>
            Go to the console
          </a>
        </p>
      )}
      <h2 className="mt-6 text-xl font-semibold text-slate-900">Add a backup passkey</h2>
      <p className="mt-2 text-slate-800">
        A second passkey, on your phone or a security key, keeps you signed in if this laptop is
        lost or repaired.{' '}
        <a href="/account" className={link}>
          Add a backup passkey
        </a>
      </p>
    </section>
  );
}
