import type { Metadata } from 'next';
import { BarChart } from '@/components/staff/bar-chart';
import { enrollmentMetrics } from '@/lib/console/metrics';
import { db } from '@/lib/db';
import { requireStaff } from '@/lib/staff/require';

export const metadata: Metadata = { title: 'Metrics' };

const duration = (minutes: number | null) =>
  minutes === null
    ? '—'
    : minutes < 120
      ? `${minutes.toFixed(1)} min`
      : `${(minutes / 60).toFixed(1)} h`;

export default async function MetricsPage() {
  await requireStaff('console.view', '/it/metrics');
  const metrics = await enrollmentMetrics(db(), new Date());
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Enrollment metrics</h1>
      <dl className="mt-4 grid gap-3 sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm font-semibold text-slate-600">Secret-free onboarding rate</dt>
          <dd className="text-3xl font-bold" data-testid="secret-free-rate">
            {metrics.secretFree.rate === null
              ? '—'
              : `${Math.round(metrics.secretFree.rate * 100)}%`}
          </dd>
          <dd className="text-sm text-slate-700">
            {metrics.secretFree.withoutHelp} of {metrics.secretFree.enrolled} enrolled hires needed
            no reissue, recovery or help request
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm font-semibold text-slate-600">Link issued → passkey, median</dt>
          <dd className="text-3xl font-bold">{duration(metrics.timeToPasskey.medianMinutes)}</dd>
          <dd className="text-sm text-slate-700">
            p90 {duration(metrics.timeToPasskey.p90Minutes)} over {metrics.timeToPasskey.samples}{' '}
            hires
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm font-semibold text-slate-600">Device mismatches, 14 days</dt>
          <dd className="text-3xl font-bold">
            {metrics.mismatchesPerDay.reduce((sum, day) => sum + day.count, 0)}
          </dd>
        </div>
      </dl>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <BarChart
          title="Enrollment funnel"
          bars={[
            { label: 'Invited', value: metrics.funnel.invited },
            { label: 'Opened', value: metrics.funnel.opened },
            { label: 'Enrolled', value: metrics.funnel.enrolled },
          ]}
        />
        <BarChart
          title="Device-mismatch attempts per day"
          bars={metrics.mismatchesPerDay.map((day) => ({ label: day.day, value: day.count }))}
        />
      </div>
      <h2 className="mt-8 text-xl font-semibold">Sign-ins to apps, 14 days</h2>
      {metrics.appSignIns.length === 0 ? (
        <p className="mt-2 text-slate-700">
          No apps are registered yet (<code>firstkey oidc client add</code>).
        </p>
      ) : (
        <div className="mt-4 grid gap-4 lg:grid-cols-2">
          {metrics.appSignIns.map((app) => (
            <BarChart
              key={app.clientId}
              title={`${app.name}: ${app.total} sign-in${app.total === 1 ? '' : 's'} per day (UTC)`}
              bars={app.perDay.map((day) => ({ label: day.day, value: day.count }))}
            />
          ))}
        </div>
      )}
    </>
  );
}
