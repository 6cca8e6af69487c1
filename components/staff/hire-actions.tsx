'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import type { Offer } from '@/lib/console/hire-detail';
import { LinkHandOverBox } from '@/components/staff/link-hand-over';
import type { LinkHandOver } from '@/lib/enrollment/hand-over';

type IssuedLink = LinkHandOver;
type Props = {
  employeeId: string;
  hasDevice: boolean;
  hasOpenLink: boolean;
  issueLink: Offer;
  /** The organisation's time zone: times shown name it. */
  timeZone: string;
};

/** `0`: the default window (72 h, and always through the end of the start day). */
const TTL_CHOICES = [
  { label: '15 minutes', minutes: 15 },
  { label: '1 hour', minutes: 60 },
  { label: '24 hours', minutes: 24 * 60 },
  { label: '72 hours, through the start day (default)', minutes: 0 },
  { label: '7 days', minutes: 7 * 24 * 60 },
  { label: '14 days', minutes: 14 * 24 * 60 },
];

const field = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1';
const button =
  'rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';

/** The IT actions on a hire's page: device, link (shown once, with a QR code), revoke. */
export function HireActions({ employeeId, hasDevice, hasOpenLink, issueLink, timeZone }: Props) {
  const router = useRouter();
  const base = `/api/it/hires/${encodeURIComponent(employeeId)}`;
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [link, setLink] = useState<IssuedLink | null>(null);
  const [busy, setBusy] = useState(false);

  /** Sends one action; on success the form is emptied, so the next submission records only what is typed then. */
  async function run<T>(
    form: HTMLFormElement,
    path: string,
    body: unknown,
    done: (result: T) => string,
  ) {
    setBusy(true);
    setMessage(null);
    const result = await staffRequest<T>(path, body);
    setBusy(false);
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    form.reset();
    setMessage({ tone: 'ok', text: done(result.body) });
    router.refresh();
  }

  async function onDevice(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const file = form.get('certificate');
    const certificatePem = file instanceof File && file.size > 0 ? await file.text() : '';
    await run<{ serial: string; replaced: string | null }>(
      element,
      `${base}/device`,
      { serial: String(form.get('serial') ?? ''), certificatePem },
      (device) =>
        device.replaced
          ? `Device ${device.serial} registered; ${device.replaced} retired.`
          : `Device ${device.serial} registered.`,
    );
  }

  async function onIssue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const ttlMinutes = Number(form.get('ttl'));
    await run<IssuedLink>(
      element,
      `${base}/links`,
      {
        ...(ttlMinutes > 0 ? { ttlMinutes } : {}),
        reason: String(form.get('reason') ?? ''),
      },
      (issued) => {
        setLink(issued);
        return 'Link issued. It is shown only once: hand it over now.';
      },
    );
  }

  async function onRevoke(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    await run<{ revoked: number }>(
      element,
      `${base}/links/revoke`,
      { reason: String(form.get('reason') ?? '') },
      () => {
        setLink(null);
        return 'Link revoked.';
      },
    );
  }

  return (
    <section
      aria-labelledby="actions-title"
      className="mt-8 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="actions-title" className="text-xl font-semibold">
        Actions
      </h2>
      <Notice message={message} />
      {link && (
        <LinkHandOverBox
          link={link}
          timeZone={timeZone}
          label="Enrollment link"
          testId="issued-link"
        />
      )}
      <div className="mt-4 grid gap-6 md:grid-cols-3">
        <form onSubmit={onDevice} className="space-y-2" aria-label="Register device">
          <h3 className="font-semibold">{hasDevice ? 'Replace device' : 'Register device'}</h3>
          <label className="block text-sm">
            Serial or asset tag
            <input name="serial" required className={field} />
          </label>
          <label className="block text-sm">
            Device certificate (PEM)
            <input
              name="certificate"
              type="file"
              accept=".pem,.crt,.cer"
              required
              className={field}
            />
          </label>
          <button type="submit" disabled={busy} className={button}>
            {hasDevice ? 'Replace device' : 'Register device'}
          </button>
        </form>
        <form onSubmit={onIssue} className="space-y-2" aria-label="Issue link">
          <h3 className="font-semibold">{hasOpenLink ? 'Reissue link' : 'Issue link'}</h3>
          {issueLink.why && <p className="text-sm text-slate-700">{issueLink.why}</p>}
          <label className="block text-sm">
            Valid for
            <select name="ttl" defaultValue={0} className={field}>
              {TTL_CHOICES.map((choice) => (
                <option key={choice.minutes} value={choice.minutes}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm">
            Reason
            <input
              name="reason"
              required
              minLength={3}
              placeholder={hasOpenLink ? 'Why a new link?' : 'First link'}
              className={field}
            />
          </label>
          <button type="submit" disabled={busy || !issueLink.allowed} className={button}>
            {hasOpenLink ? 'Reissue link' : 'Issue link'}
          </button>
        </form>
        <form onSubmit={onRevoke} className="space-y-2" aria-label="Revoke link">
          <h3 className="font-semibold">Revoke link</h3>
          <label className="block text-sm">
            Reason
            <input name="reason" required minLength={3} className={field} />
          </label>
          <button type="submit" disabled={busy || !hasOpenLink} className={button}>
            Revoke link
          </button>
        </form>
      </div>
    </section>
  );
}
