import type { Metadata } from 'next';
import { PasskeySignIn } from '@/components/staff/passkey-sign-in';
import { PageShell } from '@/components/ui/page-shell';

export const metadata: Metadata = { title: 'Sign in' };

/** Only same-site paths may be returned to after sign-in (no open redirect). */
function safeCallback(value: string | string[] | undefined): string {
  const path = Array.isArray(value) ? value[0] : value;
  return path && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/console';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  return (
    <PageShell>
      <div className="mx-auto max-w-md">
        <h1 className="text-3xl font-bold tracking-tight text-brand-900">Sign in to Firstkey</h1>
        <p className="mt-3 text-slate-700">
          Use the passkey you created when you enrolled. Firstkey has no passwords: nobody will ever ask you for one.
        </p>
        <PasskeySignIn callbackUrl={safeCallback(params.callbackUrl)} />
      </div>
    </PageShell>
  );
}
