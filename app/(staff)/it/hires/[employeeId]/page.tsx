import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AccessPanel } from '@/components/staff/access-panel';
import { HireActions } from '@/components/staff/hire-actions';
import { LiveRefresh } from '@/components/staff/live-refresh';
import { RecoveryPanel } from '@/components/staff/recovery-panel';
import { StateBadge } from '@/components/staff/state-badge';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { hireDetail } from '@/lib/console/hire-detail';
import { approvalConsequence } from '@/lib/recovery/awaiting-approval';
import { requireStaff } from '@/lib/staff/require';
import { formatInZone } from '@/lib/time/zone';
import { NOT_FOUND_TITLE } from './not-found-title';

/** The title is the heading: the person's name, or the not-found page's heading. */
export async function generateMetadata({
  params,
}: {
  params: Promise<{ employeeId: string }>;
}): Promise<Metadata> {
  const { employeeId } = await params;
  await requireStaff('console.view', `/it/hires/${encodeURIComponent(employeeId)}`);
  const user = await db().user.findUnique({ where: { employeeId }, select: { name: true } });
  return { title: user?.name ?? NOT_FOUND_TITLE };
}

/** "requestedBy" → "requested by": a detail's key in words. */
const detailLabel = (key: string) => key.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

const when = (date: Date | null) => (date ? formatInZone(date, env().timeZone) : '—');

export default async function HirePage({ params }: { params: Promise<{ employeeId: string }> }) {
  const { employeeId } = await params;
  const path = `/it/hires/${encodeURIComponent(employeeId)}`;
  const viewer = await requireStaff('console.view', path);
  const detail = await hireDetail(db(), employeeId, { at: new Date(), viewer });
  if (!detail) notFound();
  const {
    user,
    device,
    passkeys,
    timeline,
    hasOpenLink,
    pendingRecoveries,
    pendingRoleRequests,
    recoveryHandover,
    allowed,
  } = detail;
  const staff = await requireStaff('hire.view', path, {
    userId: user.id,
    managerId: user.managerId,
  });
  return (
    <>
      <LiveRefresh />
      <h1 className="text-2xl font-bold tracking-tight">{user.name}</h1>
      <p className="mt-1 text-slate-700">
        {user.employeeId} · {user.email} · starts {user.startDate} ·{' '}
        <StateBadge state={user.enrollmentState} />
      </p>
      <dl className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm font-semibold text-slate-600">Manager</dt>
          <dd>{user.manager ? `${user.manager.name} (${user.manager.employeeId})` : '—'}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm font-semibold text-slate-600">Device</dt>
          <dd>
            {device ? (
              <>
                Serial {device.serial}
                <br />
                <span className="break-all font-mono text-xs">
                  SHA-256 {device.certFingerprint}
                </span>
                <br />
                <span className="text-sm">
                  registered by {device.registeredByName}, {when(device.registeredAt)}
                </span>
              </>
            ) : (
              'No device registered'
            )}
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm font-semibold text-slate-600">Roles</dt>
          <dd>{user.roles.length ? user.roles.map((role) => role.role).join(', ') : 'none'}</dd>
        </div>
      </dl>

      <HireActions
        employeeId={user.employeeId}
        hasDevice={Boolean(device)}
        hasOpenLink={hasOpenLink}
        issueLink={allowed.issueLink}
        timeZone={env().timeZone}
      />

      <RecoveryPanel
        employeeId={user.employeeId}
        request={allowed.requestRecovery}
        pending={pendingRecoveries.map((request) => ({
          id: request.id,
          reason: request.reason,
          requestedBy: request.requestedBy.name,
          requestedByMe: request.requestedBy.id === staff.id,
          createdAt: request.createdAt.toISOString(),
          revokePasskeys: request.revokePasskeys,
          consequence: approvalConsequence({
            name: user.name,
            revokePasskeys: request.revokePasskeys,
            requestedBy: request.requestedBy.name,
            pushedToMdm: env().mdmPush !== null,
          }),
        }))}
        waiting={
          recoveryHandover && {
            ...recoveryHandover,
            expiresAt: recoveryHandover.expiresAt.toISOString(),
          }
        }
        timeZone={env().timeZone}
      />

      <AccessPanel
        employeeId={user.employeeId}
        roles={user.roles.map((role) => role.role)}
        isSelf={staff.id === user.id}
        pendingRoles={pendingRoleRequests.map((request) => ({
          id: request.id,
          role: request.role,
          reason: request.reason,
          requestedBy: request.requestedBy.name,
          requestedByMe: request.requestedBy.id === staff.id,
        }))}
        passkeys={passkeys.map((passkey) => ({
          id: passkey.id,
          label: `${passkey.provider ?? 'Passkey'} created ${when(passkey.createdAt)}`,
          active: !passkey.revokedAt,
        }))}
      />

      <h2 className="mt-8 text-xl font-semibold">Passkeys</h2>
      {passkeys.length === 0 ? (
        <p className="mt-2 text-slate-700">No passkey yet.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-2 pr-3">
                Provider
              </th>
              <th scope="col" className="py-2 pr-3">
                Created
              </th>
              <th scope="col" className="py-2 pr-3">
                Last used
              </th>
              <th scope="col" className="py-2 pr-3">
                Backup
              </th>
              <th scope="col" className="py-2 pr-3">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((passkey) => (
              <tr key={passkey.id} className="border-b border-slate-200">
                <td className="py-2 pr-3">{passkey.provider ?? 'Unknown provider'}</td>
                <td className="py-2 pr-3">{when(passkey.createdAt)}</td>
                <td className="py-2 pr-3">{when(passkey.lastUsedAt)}</td>
                <td className="py-2 pr-3">
                  {passkey.deviceType === 'multiDevice'
                    ? passkey.backedUp
                      ? 'synced'
                      : 'eligible'
                    : 'this device only'}
                </td>
                <td className="py-2 pr-3">
                  {passkey.revokedAt ? `revoked ${when(passkey.revokedAt)}` : 'active'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="mt-8 text-xl font-semibold">Timeline</h2>
      <ol className="mt-2 space-y-2" aria-label="Audit timeline, newest first">
        {timeline.map((event) => (
          <li
            key={event.seq}
            className="rounded border border-slate-200 bg-white px-3 py-2 text-sm"
            data-action={event.action}
          >
            <span className="font-mono text-xs text-slate-600">{when(event.at)}</span>{' '}
            <strong>{event.action.replaceAll('_', ' ')}</strong>
            {event.result !== 'ok' && (
              <span className="ml-2 rounded bg-rose-100 px-1 text-rose-900">{event.result}</span>
            )}{' '}
            <span className="text-slate-700">
              by {event.actor}
              {event.ip ? ` from ${event.ip}` : ''}
            </span>
            {Object.keys(event.details).length > 0 && (
              <span className="block break-all text-xs text-slate-600">
                {Object.entries(event.details)
                  .filter(([, value]) => value !== null)
                  .map(([key, value]) => `${detailLabel(key)}: ${String(value)}`)
                  .join(' · ')}
              </span>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
