import type { Metadata } from 'next';
import Link from 'next/link';
import { NOT_FOUND_TITLE } from './not-found-title';

// A hire's page for an employee id nobody has: inside the console, with the way back to the list.
export const metadata: Metadata = { title: NOT_FOUND_TITLE };

export default function HireNotFound() {
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">{NOT_FOUND_TITLE}</h1>
      <p className="mt-2 text-slate-700">
        Nobody in Firstkey has the employee id in this address. It may be mistyped, or the person
        was never added.
      </p>
      <p className="mt-4">
        <Link href="/it" className="font-semibold text-brand-700 underline">
          Back to Hires
        </Link>{' '}
        to search by name, employee id or email.
      </p>
    </>
  );
}
