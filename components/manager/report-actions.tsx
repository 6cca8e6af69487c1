'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { approvedMessage, type HandoverJson } from '@/components/staff/handover-message';
import { staffRequest } from '@/components/staff/staff-request';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import { errorsOf, useFormErrors } from '@/components/ui/form-errors';

type Props = {
  employeeId: string;
  name: string;
  pendingRecovery: {
    id: string;
    reason: string;
    requestedBy: string;
    /** What approving does, in a sentence (lib/recovery/awaiting-approval.ts). */
    consequence: string;
  } | null;
};

/** "Ask IT for help", and the manager's half of a two-person recovery for this report. */
export function ReportActions({ employeeId, name, pendingRecovery }: Props) {
  const router = useRouter();
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [text, setText] = useState('');
  const errors = useFormErrors(`help-${employeeId}`);

  async function askHelp() {
    const result = await staffRequest('/api/manager/help', {
      employeeId,
      message: text || `Please help ${name} get ready for day one`,
    });
    if (!result.ok) {
      setMessage(null);
      return errors.show(errorsOf(result));
    }
    errors.clear();
    setMessage({ tone: 'ok', text: 'IT has been asked for help.' });
  }

  async function decide(decision: 'approve' | 'decline') {
    const result = await staffRequest<{ decision: string; handover?: HandoverJson }>(
      `/api/recovery/${pendingRecovery!.id}`,
      { decision },
    );
    setMessage(
      result.ok
        ? {
            tone: 'ok',
            text:
              result.body.decision === 'approved' && result.body.handover
                ? approvedMessage(result.body.handover)
                : 'Recovery declined.',
          }
        : { tone: 'error', text: result.message },
    );
    router.refresh();
  }

  return (
    <div className="mt-3 space-y-2">
      {pendingRecovery && (
        <div className="rounded border border-amber-300 bg-amber-50 p-2 text-sm">
          <p>
            <strong>{pendingRecovery.requestedBy}</strong> (IT) asks to recover {name}&rsquo;s
            access: &ldquo;{pendingRecovery.reason}&rdquo;
          </p>
          <p id={`consequence-${employeeId}`} className="mt-1">
            {pendingRecovery.consequence}
          </p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              onClick={() => void decide('approve')}
              aria-describedby={`consequence-${employeeId}`}
              className="rounded-md bg-brand-600 px-3 py-1 font-semibold text-white"
            >
              Approve recovery
            </button>
            <button
              type="button"
              onClick={() => void decide('decline')}
              className="rounded-md border border-slate-300 px-3 py-1"
            >
              Decline
            </button>
          </div>
        </div>
      )}
      {errors.summary}
      {errors.message('message')}
      <div className="flex flex-wrap gap-2">
        <label className="sr-only" htmlFor={errors.field('message').id}>
          What should IT know about {name}?
        </label>
        <input
          {...errors.field('message')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="What should IT know? (optional)"
          className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
        />
        <button
          type="button"
          onClick={() => void askHelp()}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100"
        >
          Ask IT for help
        </button>
      </div>
      <Notice message={message} className="text-sm" />
    </div>
  );
}
