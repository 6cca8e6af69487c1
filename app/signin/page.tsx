import type { Metadata } from 'next';
import { PasskeySignIn } from '@/components/staff/passkey-sign-in';
import { PageShell } from '@/components/ui/page-shell';
import { safeReturnPath } from '@/lib/http/safe-return-path';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  return (
    <PageShell>
      <div className="mx-auto max-w-md">
        <h1 className="text-3xl font-bold tracking-tight text-brand-900">Sign in to Firstkey</h1>
        <p className="mt-3 text-slate-700">
          Use the passkey you created when you enrolled. Firstkey has no passwords: nobody will ever
          ask you for one.
        </p>
        {params.removed === '1' && (
          <p role="status" className="mt-4 rounded bg-emerald-50 p-3 text-emerald-950">
            Your passkey was removed and you were signed out everywhere. Sign in with a passkey you
            kept.
          </p>
        )}
        <PasskeySignIn callbackUrl={safeReturnPath(params.callbackUrl)} />
      </div>
    </PageShell>
  );
}
