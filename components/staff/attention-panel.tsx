import Link from 'next/link';
import { ResolveButton } from '@/components/staff/resolve-button';
import type { AttentionPanel as Panel } from '@/lib/console/attention';
import { env } from '@/lib/env';
import { approvalsWaitingTitle } from '@/lib/recovery/awaiting-approval';
import { formatInZone } from '@/lib/time/zone';

const when = (date: Date) => formatInZone(date, env().timeZone);

function Group({
  title,
  count,
  children,
}: {
  title: string;
  count: number;
  children: React.ReactNode;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <h3 className="font-semibold">
        {title}{' '}
        <span
          className={`ml-1 rounded px-1.5 text-sm ${count ? 'bg-amber-200 text-amber-950' : 'bg-slate-100'}`}
        >
          {count}
        </span>
      </h3>
      {count > 0 && <ul className="mt-2 space-y-1 text-sm">{children}</ul>}
    </div>
  );
}

const hireLink = (employeeId: string, name: string) => (
  <Link href={`/it/hires/${encodeURIComponent(employeeId)}`} className="text-brand-700 underline">
    {name}
  </Link>
);

/** What needs a person today, on top of the console. */
export function AttentionPanel({ panel }: { panel: Panel }) {
  return (
    <section aria-labelledby="attention-title" className="mt-4">
      <h2 id="attention-title" className="sr-only">
        Needs attention
      </h2>
      {panel.approvals.length > 0 && (
        <div
          className="mb-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-3"
          data-testid="approvals-waiting"
        >
          <h3 className="font-semibold">{approvalsWaitingTitle(panel.approvals.length)}</h3>
          <ul className="mt-2 space-y-1 text-sm">
            {panel.approvals.map((approval) => (
              <li key={approval.id}>
                <Link
                  href={`/it/hires/${encodeURIComponent(approval.employeeId)}#recovery-title`}
                  className="font-medium text-brand-700 underline"
                >
                  Approve or decline {approval.name}&rsquo;s recovery
                </Link>{' '}
                — asked by {approval.requestedBy}, {when(approval.createdAt)}: &ldquo;
                {approval.reason}&rdquo;
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="grid gap-3 md:grid-cols-3 lg:grid-cols-5">
        <Group title="Starting within 2 days, not enrolled" count={panel.startingSoon.length}>
          {panel.startingSoon.map((hire) => (
            <li key={hire.employeeId}>
              {hireLink(hire.employeeId, hire.name)} — {hire.startDate},{' '}
              {hire.state.replace('_', ' ')}
            </li>
          ))}
        </Group>
        <Group title="Device mismatches, 24 h" count={panel.deviceMismatches.length}>
          {panel.deviceMismatches.map((row) => (
            <li key={row.employeeId}>
              {hireLink(row.employeeId, row.name)} — {row.attempts} attempt
              {row.attempts === 1 ? '' : 's'}, last {when(row.lastAt)}
            </li>
          ))}
        </Group>
        <Group title="Links expiring within 12 h, unused" count={panel.linksExpiringSoon.length}>
          {panel.linksExpiringSoon.map((row) => (
            <li key={row.employeeId}>
              {hireLink(row.employeeId, row.name)} — {when(row.expiresAt)}
            </li>
          ))}
        </Group>
        <Group title="Failed deliveries" count={panel.failedDeliveries.length}>
          {panel.failedDeliveries.map((row, index) => (
            <li key={index}>
              {row.channel}
              {row.employeeId && row.name ? (
                <> for {hireLink(row.employeeId, row.name)}</>
              ) : (
                ''
              )} — {row.attempts} attempt{row.attempts === 1 ? '' : 's'}
              {row.problem ? `; ${row.problem}` : ''}
            </li>
          ))}
        </Group>
        <Group title="Help requests" count={panel.helpRequests.length}>
          {panel.helpRequests.map((item) => (
            <li key={item.id} data-help-request={item.employeeId ?? 'general'}>
              {item.employeeId && item.name ? hireLink(item.employeeId, item.name) : 'General'} —{' '}
              {item.count > 1 ? `${item.count} requests, latest ` : ''}
              {when(item.latestAt)} from {item.askedBy.join(', ')}: &ldquo;{item.latestMessage}
              &rdquo;
              <ResolveButton itemId={item.id} />
            </li>
          ))}
        </Group>
      </div>
    </section>
  );
}
