import type { Metadata } from 'next';
import Link from 'next/link';
import { PageShell } from '@/components/ui/page-shell';

// A signed-in person on a page for another role. The title is the heading.
export const metadata: Metadata = { title: 'You don\u2019t have access to this page' };

export default function Forbidden() {
  return (
    <PageShell>
      <h1 className="text-3xl font-bold tracking-tight text-slate-900">
        You don&rsquo;t have access to this page
      </h1>
      <p className="mt-4 text-lg text-slate-700">
        You are signed in, but this page is for another role. If you need access, ask an IT
        administrator.
      </p>
      <ul className="mt-6 space-y-2">
        <li>
          <Link href="/console" className="font-semibold text-brand-700 underline">
            Go to your Firstkey page
          </Link>
        </li>
        <li>
          <Link href="/signin" className="font-semibold text-brand-700 underline">
            Sign in as someone else
          </Link>
        </li>
      </ul>
    </PageShell>
  );
}
