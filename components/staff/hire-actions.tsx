'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import { errorsOf, useFormErrors } from '@/components/ui/form-errors';
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

/** Where the device form's refusals belong: the certificate file, unless about the serial. */
const DEVICE_FIELDS = {
  certificatePem: 'certificate',
  bad_certificate: 'certificate',
  certificate_expired: 'certificate',
  certificate_in_use: 'certificate',
};

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
  const deviceErrors = useFormErrors('device');
  const issueErrors = useFormErrors('issue');
  const revokeErrors = useFormErrors('revoke');

  /** Sends one action; on success the form is emptied, so the next submission records only what is typed then. */
  async function run<T>(
    form: HTMLFormElement,
    errors: ReturnType<typeof useFormErrors>,
    fields: Record<string, string>,
    path: string,
    body: unknown,
    done: (result: T) => string,
  ) {
    setBusy(true);
    setMessage(null);
    const result = await staffRequest<T>(path, body);
    setBusy(false);
    if (!result.ok) return errors.show(errorsOf(result, fields));
    errors.clear();
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
      deviceErrors,
      DEVICE_FIELDS,
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
      issueErrors,
      { ttlMinutes: 'ttl', ttl_out_of_range: 'ttl' },
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
      revokeErrors,
      {},
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
        <form
          onSubmit={onDevice}
          noValidate
          className="space-y-2"
          aria-label={hasDevice ? 'Replace device' : 'Register device'}
        >
          <h3 className="font-semibold">{hasDevice ? 'Replace device' : 'Register device'}</h3>
          {deviceErrors.summary}
          {deviceErrors.row('serial', 'Serial or asset tag', (props) => (
            <input className={field} {...props} />
          ))}
          {deviceErrors.row('certificate', 'Device certificate (PEM)', (props) => (
            <input type="file" accept=".pem,.crt,.cer" className={field} {...props} />
          ))}
          <button type="submit" disabled={busy} className={button}>
            {hasDevice ? 'Replace device' : 'Register device'}
          </button>
        </form>
        <form onSubmit={onIssue} noValidate className="space-y-2" aria-label="Issue link">
          <h3 className="font-semibold">{hasOpenLink ? 'Reissue link' : 'Issue link'}</h3>
          {issueLink.why && <p className="text-sm text-slate-700">{issueLink.why}</p>}
          {issueErrors.summary}
          {issueErrors.row('ttl', 'Valid for', (props) => (
            <select defaultValue={0} className={field} {...props}>
              {TTL_CHOICES.map((choice) => (
                <option key={choice.minutes} value={choice.minutes}>
                  {choice.label}
                </option>
              ))}
            </select>
          ))}
          {issueErrors.row('reason', 'Reason', (props) => (
            <input
              placeholder={hasOpenLink ? 'Why a new link?' : 'First link'}
              className={field}
              {...props}
            />
          ))}
          <button type="submit" disabled={busy || !issueLink.allowed} className={button}>
            {hasOpenLink ? 'Reissue link' : 'Issue link'}
          </button>
        </form>
        <form onSubmit={onRevoke} noValidate className="space-y-2" aria-label="Revoke link">
          <h3 className="font-semibold">Revoke link</h3>
          {revokeErrors.summary}
          {revokeErrors.row('reason', 'Reason', (props) => (
            <input className={field} {...props} />
          ))}
          <button type="submit" disabled={busy || !hasOpenLink} className={button}>
            Revoke link
          </button>
        </form>
      </div>
    </section>
  );
}
