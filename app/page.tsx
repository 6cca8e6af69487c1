import { PageShell } from '@/components/ui/page-shell';

export default function HomePage() {
  return (
    <PageShell>
      <h1 className="text-3xl font-bold tracking-tight text-brand-900">
        Day one, without a password
      </h1>
      <p className="mt-4 text-lg text-slate-700">
        Firstkey takes a new hire from &ldquo;exists in HR&rdquo; to &ldquo;signed in with a passkey
        on the laptop issued to them&rdquo;. No temporary password, access code or PIN is ever sent
        or read out.
      </p>
      <ol className="mt-8 space-y-4">
        <li className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">1. HR or IT registers the hire and their laptop</h2>
          <p className="text-slate-700">
            The laptop is known by its device certificate, installed by IT.
          </p>
        </li>
        <li className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">2. The hire opens a one-time link on that laptop</h2>
          <p className="text-slate-700">
            The link works once, for a limited time, and only on that laptop.
          </p>
        </li>
        <li className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">3. They create a passkey and are ready for day one</h2>
          <p className="text-slate-700">
            Their fingerprint, face or device PIN unlocks it; it never leaves the device.
          </p>
        </li>
      </ol>
      <p className="mt-8 text-slate-700">
        New hire? Open the link IT sent to your laptop. Lost it? Contact your IT team; they can
        issue a new one.
      </p>
    </PageShell>
  );
}
