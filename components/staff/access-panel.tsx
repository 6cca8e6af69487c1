'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { staffRequest } from '@/components/staff/staff-request';
import { RequestDecision } from '@/components/staff/request-decision';
import { Notice, type NoticeMessage } from '@/components/ui/notice';
import { errorsOf, useFormErrors } from '@/components/ui/form-errors';

type PendingRole = {
  id: string;
  role: string;
  reason: string;
  requestedBy: string;
  requestedByMe: boolean;
};

type Props = {
  employeeId: string;
  roles: string[];
  passkeys: { id: string; label: string; active: boolean }[];
  isSelf: boolean;
  pendingRoles: PendingRole[];
};

/**
 * Roles and passkeys of a person: sensitive changes, each with a reason, each audited. Granting the
 * IT role only asks; a second IT member approves it here.
 */
export function AccessPanel({ employeeId, roles, passkeys, isSelf, pendingRoles }: Props) {
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const errors = useFormErrors('access');

  async function act(path: string, body: Record<string, unknown>, done: string) {
    const result = await staffRequest(path, body);
    if (!result.ok) {
      setMessage(null);
      return errors.show(errorsOf(result));
    }
    errors.clear();
    setMessage({ tone: 'ok', text: done });
    router.refresh();
  }

  const done = {
    approve: 'Approved: the role is granted.',
    decline: 'Declined.',
    withdraw: 'Request withdrawn.',
  };
  const decide = (request: PendingRole, decision: 'approve' | 'decline' | 'withdraw') =>
    void act(`/api/it/role-requests/${request.id}`, { decision }, done[decision]);

  const roleButton = (role: 'it' | 'manager', label: string) => {
    const has = roles.includes(role);
    const asking = role === 'it' && !has;
    return (
      <button
        type="button"
        disabled={isSelf || (asking && pendingRoles.some((request) => request.role === role))}
        className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50"
        onClick={() =>
          void act(
            `/api/it/hires/${encodeURIComponent(employeeId)}/roles`,
            { role, grant: !has, reason },
            asking
              ? `Asked for the ${label}. A second IT member must approve it.`
              : `${has ? 'Revoked' : 'Granted'} ${label}.`,
          )
        }
      >
        {has ? `Revoke ${label}` : asking ? `Ask to grant ${label}` : `Grant ${label}`}
      </button>
    );
  };

  return (
    <section
      aria-labelledby="access-title"
      className="mt-8 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="access-title" className="text-xl font-semibold">
        Access
      </h2>
      <Notice message={message} />
      <div className="mt-3 max-w-md space-y-2">
        {errors.summary}
        {errors.row('reason', 'Reason for the change (recorded in the audit trail)', (props) => (
          <input
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
            {...props}
          />
        ))}
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        {roleButton('it', 'IT role')}
        {roleButton('manager', 'manager role')}
        {isSelf && (
          <span className="text-sm text-slate-700">Another IT member must change your roles.</span>
        )}
      </div>
      {pendingRoles.length > 0 && (
        <ul className="mt-3 space-y-2">
          {pendingRoles.map((request) => (
            <li
              key={request.id}
              className="rounded border border-amber-300 bg-amber-50 p-3 text-sm"
              data-role-request={request.id}
            >
              <strong>{request.requestedBy}</strong> asked to grant the{' '}
              {request.role === 'it' ? 'IT' : request.role} role: &ldquo;{request.reason}&rdquo;
              <RequestDecision
                mine={request.requestedByMe}
                waiting="Waiting for a second IT member to approve."
                approveLabel="Approve role"
                onDecide={(decision) => decide(request, decision)}
              />
            </li>
          ))}
        </ul>
      )}
      {passkeys.some((passkey) => passkey.active) && (
        <ul className="mt-3 space-y-1 text-sm">
          {passkeys
            .filter((passkey) => passkey.active)
            .map((passkey) => (
              <li key={passkey.id} className="flex items-center gap-2">
                {passkey.label}
                <button
                  type="button"
                  className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
                  onClick={() =>
                    void act(
                      `/api/it/passkeys/${passkey.id}/revoke`,
                      { reason },
                      'Passkey removed.',
                    )
                  }
                >
                  Remove passkey
                </button>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
