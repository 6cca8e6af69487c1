import type { Metadata } from 'next';
import { EnrollmentFlow } from '@/components/enrollment/enrollment-flow';
import { PageShell } from '@/components/ui/page-shell';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Set up your passkey' };

export default function EnrollPage() {
  return (
    <PageShell>
      <EnrollmentFlow helpContact={env().helpContact} />
      <noscript>
        <p className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4">
          Creating a passkey needs JavaScript. Turn it on for this site, or open the link in another
          browser on your issued laptop.
        </p>
      </noscript>
    </PageShell>
  );
}
