import Link from 'next/link';
import { PageShell } from '@/components/ui/page-shell';

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
      <p className="mt-6">
        <Link href="/signin" className="font-semibold text-brand-700 underline">
          Sign in as someone else
        </Link>
      </p>
    </PageShell>
  );
}
