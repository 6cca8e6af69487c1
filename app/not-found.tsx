import type { Metadata } from 'next';
import Link from 'next/link';
import { PageShell } from '@/components/ui/page-shell';

// Every address with no page. The title is the heading, so a tab and a screen reader say the same.
export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <PageShell>
      <h1 className="text-3xl font-bold tracking-tight text-slate-900">Page not found</h1>
      <p className="mt-4 text-lg text-slate-700">
        There is no page at this address. If you typed it, check the spelling; if you followed a
        link, it may be out of date.
      </p>
      <ul className="mt-6 space-y-2">
        <li>
          <Link href="/console" className="font-semibold text-brand-700 underline">
            Go to your Firstkey page
          </Link>{' '}
          (you may be asked to sign in with your passkey)
        </li>
        <li>
          <Link href="/" className="font-semibold text-brand-700 underline">
            Go to Firstkey&rsquo;s start page
          </Link>
        </li>
      </ul>
      <p className="mt-6 text-slate-700">
        New hire looking for your enrollment link? Open the link IT sent to your laptop; if it does
        not work, contact your IT team.
      </p>
    </PageShell>
  );
}
