import type { Metadata } from 'next';
import { ReportActions } from '@/components/manager/report-actions';
import { LiveRefresh } from '@/components/staff/live-refresh';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { managerReports, type Verdict } from '@/lib/manager/readiness';
import {
  approvalConsequence,
  approvalsWaitingTitle,
  recoveriesAwaitingApproval,
} from '@/lib/recovery/awaiting-approval';
import { requireStaff } from '@/lib/staff/require';

export const metadata: Metadata = { title: 'My new hires' };

const VERDICTS: Record<Verdict, { label: string; tone: string }> = {
  ready: { label: 'Ready', tone: 'bg-emerald-100 text-emerald-900' },
  on_track: { label: 'On track', tone: 'bg-sky-100 text-sky-900' },
  at_risk: { label: 'At risk', tone: 'bg-amber-100 text-amber-950' },
  blocked: { label: 'Blocked', tone: 'bg-rose-100 text-rose-900' },
};

const CHECKS = [
  ['deviceRegistered', 'Laptop registered'],
  ['linkIssued', 'Link issued'],
  ['linkOpened', 'Link opened'],
  ['passkeyEnrolled', 'Passkey enrolled'],
  ['backupPasskey', 'Backup passkey'],
] as const;

function countdown(days: number): string {
  if (days > 1) return `Starts in ${days} days`;
  if (days === 1) return 'Starts tomorrow';
  if (days === 0) return 'Starts today';
  return `Started ${-days} day${days === -1 ? '' : 's'} ago`;
}

export default async function ManagerPage() {
  const staff = await requireStaff('reports.view', '/manager');
  const at = new Date();
  const [reports, approvals] = await Promise.all([
    managerReports(db(), staff.id, at),
    recoveriesAwaitingApproval(db(), staff, at),
  ]);
  return (
    <>
      <LiveRefresh everyMs={5_000} />
      <h1 className="text-2xl font-bold tracking-tight">My new hires</h1>
      <p className="mt-1 text-slate-700">
        Your direct reports who start in the next 30 days or are not enrolled yet; blocked and at
        risk first.
      </p>
      {approvals.length > 0 && (
        <section
          aria-labelledby="approvals-title"
          className="mt-4 rounded-lg border-2 border-amber-400 bg-amber-50 p-4"
          data-testid="approvals-waiting"
        >
          <h2 id="approvals-title" className="text-lg font-semibold">
            {approvalsWaitingTitle(approvals.length)}
          </h2>
          <ul className="mt-2 space-y-1">
            {approvals.map((approval) => (
              <li key={approval.id}>
                <a
                  href={`#report-${approval.employeeId}`}
                  className="font-medium text-brand-700 underline"
                >
                  {approval.name}
                </a>
                : {approval.requestedBy} (IT) asks to recover their access
              </li>
            ))}
          </ul>
        </section>
      )}
      {reports.length === 0 && (
        <p className="mt-6 text-slate-700">Nobody to show: all your reports are ready.</p>
      )}
      <ul className="mt-6 grid gap-4 md:grid-cols-2">
        {reports.map((report) => (
          <li
            key={report.userId}
            id={`report-${report.employeeId}`}
            className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-4"
            data-employee-id={report.employeeId}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-lg font-semibold">{report.name}</h2>
              <span
                className={`rounded px-2 py-0.5 text-sm font-semibold ${VERDICTS[report.verdict].tone}`}
                data-verdict={report.verdict}
              >
                {VERDICTS[report.verdict].label}
              </span>
            </div>
            <p className="text-sm text-slate-700">
              {countdown(report.daysToStart)} ({report.startDate}) · {report.reason}
            </p>
            <ul
              className="mt-3 space-y-1 text-sm"
              aria-label={`Readiness checklist for ${report.name}`}
            >
              {CHECKS.map(([key, label]) => (
                <li key={key} className="flex items-center gap-2">
                  <span
                    aria-hidden="true"
                    className={report.checklist[key] ? 'text-emerald-700' : 'text-slate-400'}
                  >
                    {report.checklist[key] ? '✔' : '○'}
                  </span>
                  {label}
                  <span className="sr-only">: {report.checklist[key] ? 'done' : 'not yet'}</span>
                </li>
              ))}
            </ul>
            <ReportActions
              employeeId={report.employeeId}
              name={report.name}
              pendingRecovery={
                report.pendingRecovery && {
                  ...report.pendingRecovery,
                  consequence: approvalConsequence({
                    name: report.name,
                    revokePasskeys: report.pendingRecovery.revokePasskeys,
                    requestedBy: report.pendingRecovery.requestedBy,
                    pushedToMdm: env().mdmPush !== null,
                  }),
                }
              }
            />
          </li>
        ))}
      </ul>
    </>
  );
}
