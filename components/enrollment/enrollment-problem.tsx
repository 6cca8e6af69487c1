import type { RefObject } from 'react';
import { ENROLLMENT_PROBLEMS, type EnrollmentProblemCode } from '@/lib/enrollment/messages';
import { formatInZone } from '@/lib/time/zone';

const EXTRA: Record<'unsupported' | 'network', { title: string; message: string }> = {
  unsupported: {
    title: 'This browser can\u2019t create passkeys',
    message:
      'Open the link in an up-to-date Chrome, Edge, Safari or Firefox on the laptop issued to you. If that does not help, contact IT.',
  },
  network: {
    title: 'Firstkey could not be reached',
    message: 'Check your network connection, then reload this page.',
  },
};

type Props = {
  code: EnrollmentProblemCode | 'unsupported' | 'network';
  detail?: string;
  retryAfterSeconds?: number;
  validFrom?: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
};

/** One page per failure, in plain words, with what to do next. */
export function EnrollmentProblem({
  code,
  detail,
  retryAfterSeconds,
  validFrom,
  headingRef,
}: Props) {
  const text =
    code === 'unsupported' || code === 'network' ? EXTRA[code] : ENROLLMENT_PROBLEMS[code];
  return (
    <section
      role="alert"
      data-problem={code}
      className="rounded-xl border border-amber-300 bg-amber-50 p-6"
    >
      <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-bold text-slate-900">
        {text.title}
      </h1>
      <p className="mt-3 text-lg text-slate-800">{text.message}</p>
      {validFrom && (
        <p className="mt-2 text-slate-800">
          It becomes active on {formatInZone(new Date(validFrom))}.
        </p>
      )}
      {retryAfterSeconds !== undefined && (
        <p className="mt-2 text-slate-800">
          You can try again in about {Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes.
        </p>
      )}
      {detail && detail !== text.message && (
        <p className="mt-2 text-sm text-slate-700">Details: {detail}</p>
      )}
      <p className="mt-4 text-sm text-slate-700">
        Nobody from IT will ever ask you for a password or a code. If someone does, do not share
        anything and report it.
      </p>
    </section>
  );
}
