import type { Metadata } from 'next';
import { AppSignIn } from '@/components/oidc/app-sign-in';
import { PageShell } from '@/components/ui/page-shell';
import { db } from '@/lib/db';
import { APP_SIGN_IN_MESSAGES } from '@/lib/oidc/messages';
import { pendingAppSignIn } from '@/lib/oidc/pending';

export const metadata: Metadata = { title: 'Sign in with your passkey' };

/** Where the OpenID Connect provider sends a person to sign in to an app: the passkey, nothing to type. */
export default async function AppSignInPage({ params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const pending = await pendingAppSignIn(db(), uid, new Date());
  const expired = APP_SIGN_IN_MESSAGES.no_interaction;
  return (
    <PageShell>
      <div className="mx-auto max-w-md">
        {pending ? (
          <AppSignIn uid={uid} clientName={pending.clientName} />
        ) : (
          <>
            <h1 className="text-3xl font-bold tracking-tight text-brand-900">{expired.title}</h1>
            <p className="mt-3 text-slate-700">{expired.message}</p>
          </>
        )}
      </div>
    </PageShell>
  );
}
