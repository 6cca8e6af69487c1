'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { approvedMessage, type HandoverJson } from '@/components/staff/handover-message';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import { errorsOf, useFormErrors } from '@/components/ui/form-errors';
import type { Offer } from '@/lib/console/hire-detail';
import { RequestDecision } from '@/components/staff/request-decision';
import { LinkHandOverBox } from '@/components/staff/link-hand-over';
import type { LinkHandOver } from '@/lib/enrollment/hand-over';
import { formatInZone } from '@/lib/time/zone';

type Pending = {
  id: string;
  reason: string;
  requestedBy: string;
  requestedByMe: boolean;
  createdAt: string;
  revokePasskeys: boolean;
  /** What approving does, in a sentence (lib/recovery/awaiting-approval.ts). */
  consequence: string;
};
/** An approved recovery link waiting for this IT member (who asked for it) to hand over. */
type Waiting = { requestId: string; deviceSerial: string; expiresAt: string };
type HandedOver = LinkHandOver;

const button =
  'rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60';

/**
 * Two-person recovery: request it here; a second person approves it (with a fresh passkey prompt);
 * the one who asked then hands the new link over — shown to them once — unless the MDM pushed it.
 */
export function RecoveryPanel({
  employeeId,
  pending,
  request,
  waiting,
  timeZone,
}: {
  employeeId: string;
  pending: Pending[];
  request: Offer;
  waiting: Waiting | null;
  timeZone: string;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [handedOver, setHandedOver] = useState<HandedOver | null>(null);
  const requestErrors = useFormErrors('recovery');

  async function onRequest(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await staffRequest(`/api/it/hires/${encodeURIComponent(employeeId)}/recovery`, {
      reason: String(form.get('reason') ?? ''),
      revokePasskeys: form.get('revokePasskeys') === 'on',
    });
    if (!result.ok) return requestErrors.show(errorsOf(result));
    requestErrors.clear();
    setMessage({
      tone: 'ok',
      text: 'Recovery requested. A second person (another IT member or the manager) must approve it.',
    });
    router.refresh();
  }

  async function decide(id: string, decision: 'approve' | 'decline' | 'withdraw') {
    const result = await staffRequest<{ decision: string; handover?: HandoverJson }>(
      `/api/recovery/${id}`,
      { decision },
    );
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    const done = { declined: 'Declined.', withdrawn: 'Request withdrawn.' };
    setMessage({
      tone: 'ok',
      text: result.body.handover
        ? approvedMessage(result.body.handover)
        : (done[result.body.decision as keyof typeof done] ?? 'Done.'),
    });
    router.refresh();
  }

  async function takeHandover(requestId: string) {
    const result = await staffRequest<HandedOver>(`/api/recovery/${requestId}/handover`, {});
    if (!result.ok) return setMessage({ tone: 'error', text: result.message });
    setHandedOver(result.body);
    setMessage({
      tone: 'ok',
      text: 'The new link is shown only once: hand it over now. It is no longer stored anywhere.',
    });
    router.refresh();
  }

  return (
    <section
      aria-labelledby="recovery-title"
      className="mt-8 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="recovery-title" className="text-xl font-semibold">
        Recovery (two people)
      </h2>
      <Notice message={message} />
      {waiting && !handedOver && (
        <div className="mt-4 rounded-lg border-2 border-brand-600 p-4">
          <p className="font-semibold">
            The recovery you asked for was approved. Its new link, for the laptop{' '}
            {waiting.deviceSerial}, is waiting for you to hand over until{' '}
            {formatInZone(new Date(waiting.expiresAt), timeZone)}.
          </p>
          <p className="mt-1 text-sm text-slate-700">
            It is shown once; after that only a new recovery can produce another.
          </p>
          <button
            type="button"
            className={`${button} mt-3`}
            onClick={() => void takeHandover(waiting.requestId)}
          >
            Show the new link
          </button>
        </div>
      )}
      {handedOver && (
        <LinkHandOverBox
          link={handedOver}
          timeZone={timeZone}
          label="Recovery link"
          testId="recovery-link"
        />
      )}
      {pending.length > 0 && (
        <ul className="mt-3 space-y-2">
          {pending.map((request) => (
            <li
              key={request.id}
              className="rounded border border-amber-300 bg-amber-50 p-3 text-sm"
              data-recovery-request={request.id}
            >
              Requested by <strong>{request.requestedBy}</strong>: &ldquo;{request.reason}&rdquo;
              {request.revokePasskeys ? ' (revokes the current passkeys)' : ''}
              {!request.requestedByMe && (
                <p id={`consequence-${request.id}`} className="mt-1">
                  {request.consequence}
                </p>
              )}
              <RequestDecision
                describedBy={request.requestedByMe ? undefined : `consequence-${request.id}`}
                mine={request.requestedByMe}
                waiting="Waiting for a second person to approve."
                approveLabel="Approve recovery"
                onDecide={(decision) => void decide(request.id, decision)}
              />
            </li>
          ))}
        </ul>
      )}
      {!request.allowed && pending.length === 0 && request.why && (
        <p className="mt-3 text-sm text-slate-700">{request.why}</p>
      )}
      {request.allowed && (
        <form
          onSubmit={onRequest}
          noValidate
          className="mt-3 space-y-2"
          aria-label="Request recovery"
        >
          {requestErrors.summary}
          {requestErrors.row('reason', 'Reason', (props) => (
            <input
              className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
              {...props}
            />
          ))}
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="revokePasskeys" defaultChecked /> Revoke the current
            passkeys when approved (lost or stolen device)
          </label>
          <button type="submit" className={button}>
            Request recovery
          </button>
        </form>
      )}
    </section>
  );
}
