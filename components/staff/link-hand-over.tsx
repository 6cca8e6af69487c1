'use client';

import type { LinkHandOver } from '@/lib/enrollment/hand-over';
import { formatInZone } from '@/lib/time/zone';

/** A link shown once to the person who hands it over: URL, window in the organisation's zone, copy, QR. */
export function LinkHandOverBox(props: {
  link: LinkHandOver;
  timeZone: string;
  label: string;
  testId: string;
}) {
  const { link, timeZone, label } = props;
  return (
    <div className="mt-4 rounded-lg border-2 border-brand-600 p-4" aria-label={label}>
      <p className="font-semibold">
        Open this link on the laptop {link.deviceSerial} — it works only there, once.
      </p>
      <p className="mt-2 break-all font-mono text-sm" data-testid={props.testId}>
        {link.url}
      </p>
      <p className="mt-1 text-sm text-slate-700">
        Valid {formatInZone(new Date(link.notBefore), timeZone)} –{' '}
        {formatInZone(new Date(link.expiresAt), timeZone)}. Firstkey never emails it.
      </p>
      <div className="mt-3 flex flex-wrap items-start gap-4">
        <button
          type="button"
          className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white hover:bg-brand-700"
          onClick={() => void navigator.clipboard.writeText(link.url)}
        >
          Copy link
        </button>
        <div
          className="h-48 w-48"
          role="img"
          aria-label={`QR code of the ${label.toLowerCase()}, for the laptop's camera`}
          dangerouslySetInnerHTML={{ __html: link.qrSvg }}
        />
      </div>
    </div>
  );
}
