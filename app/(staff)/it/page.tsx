import type { Metadata } from 'next';
import Link from 'next/link';
import { AttentionPanel } from '@/components/staff/attention-panel';
import { LiveRefresh } from '@/components/staff/live-refresh';
import { StateBadge } from '@/components/staff/state-badge';
import { attentionPanel } from '@/lib/console/attention';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { ENROLLMENT_STATES } from '@/lib/enrollment/states';
import {
  listHires,
  PAGE_SIZE,
  parseHireListQuery,
  type HireListQuery,
} from '@/lib/hires/console-list';
import { requireStaff } from '@/lib/staff/require';
import { formatInZone } from '@/lib/time/zone';

export const metadata: Metadata = { title: 'Hires' };

type Params = Record<string, string | string[] | undefined>;

function href(query: HireListQuery, change: Partial<HireListQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged))
    if (value !== undefined && value !== '') params.set(key, String(value));
  return `/it?${params.toString()}`;
}

export default async function HiresPage({ searchParams }: { searchParams: Promise<Params> }) {
  const staff = await requireStaff('console.view', '/it');
  const { query, ignored } = parseHireListQuery(await searchParams);
  const [{ rows, total }, panel] = await Promise.all([
    listHires(db(), query),
    attentionPanel(db(), new Date(), staff),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <>
      <LiveRefresh />
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold tracking-tight">Hires</h1>
        <Link
          href="/it/add-hire"
          className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
        >
          Add hire
        </Link>
      </div>
      <AttentionPanel panel={panel} />
      <form
        method="get"
        action="/it"
        className="mt-4 flex flex-wrap items-end gap-3"
        role="search"
        aria-label="Filter hires"
      >
        <label className="text-sm">
          <span className="block font-medium">Search</span>
          <input
            name="q"
            defaultValue={query.q}
            placeholder="Name, employee id, email or reference"
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="text-sm">
          <span className="block font-medium">State</span>
          <select
            name="state"
            defaultValue={query.state ?? ''}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          >
            <option value="">Any</option>
            {ENROLLMENT_STATES.map((state) => (
              <option key={state} value={state}>
                {state.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block font-medium">Starts from</span>
          <input
            type="date"
            name="from"
            defaultValue={query.from}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="text-sm">
          <span className="block font-medium">to</span>
          <input
            type="date"
            name="to"
            defaultValue={query.to}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="text-sm">
          <span className="block font-medium">Department</span>
          <input
            name="department"
            defaultValue={query.department}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="text-sm">
          <span className="block font-medium">Manager&rsquo;s employee id</span>
          <input
            name="manager"
            defaultValue={query.manager}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
        >
          Apply
        </button>
      </form>
      {ignored.length > 0 && (
        <p role="status" className="mt-3 text-sm text-amber-900">
          Ignored invalid filter{ignored.length > 1 ? 's' : ''}: {ignored.join(', ')}.
        </p>
      )}
      <div className="mt-4 flex items-center gap-4 text-sm text-slate-700">
        <p aria-live="polite">
          {total} hire{total === 1 ? '' : 's'}
        </p>
        <a
          href={`/api/it/hires/export?${href(query, { page: 1 }).split('?')[1]}`}
          className="font-medium text-brand-700 underline"
          download
        >
          Export CSV
        </a>
      </div>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Hires and their enrollment state</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-2 pr-3">
                <Link
                  href={href(query, {
                    sort: 'name',
                    dir: query.sort === 'name' && query.dir === 'asc' ? 'desc' : 'asc',
                    page: 1,
                  })}
                >
                  Name
                </Link>
              </th>
              <th scope="col" className="py-2 pr-3">
                Employee id
              </th>
              <th scope="col" className="py-2 pr-3">
                Manager
              </th>
              <th scope="col" className="py-2 pr-3">
                <Link
                  href={href(query, {
                    sort: 'start',
                    dir: query.sort === 'start' && query.dir === 'asc' ? 'desc' : 'asc',
                    page: 1,
                  })}
                >
                  Start date
                </Link>
              </th>
              <th scope="col" className="py-2 pr-3">
                Device
              </th>
              <th scope="col" className="py-2 pr-3">
                <Link
                  href={href(query, {
                    sort: 'state',
                    dir: query.sort === 'state' && query.dir === 'asc' ? 'desc' : 'asc',
                    page: 1,
                  })}
                >
                  State
                </Link>
              </th>
              <th scope="col" className="py-2 pr-3">
                Link expires
              </th>
              <th scope="col" className="py-2 pr-3">
                Last event
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.id}
                className="border-b border-slate-200"
                data-employee-id={row.employeeId}
              >
                <td className="py-2 pr-3">
                  <Link
                    href={`/it/hires/${encodeURIComponent(row.employeeId)}`}
                    className="font-medium text-brand-700 underline"
                  >
                    {row.name}
                  </Link>
                </td>
                <td className="py-2 pr-3">{row.employeeId}</td>
                <td className="py-2 pr-3">{row.manager ?? '—'}</td>
                <td className="py-2 pr-3">{row.startDate}</td>
                <td className="py-2 pr-3">{row.deviceSerial ?? '—'}</td>
                <td className="py-2 pr-3">
                  <StateBadge state={row.state} />
                </td>
                <td className="py-2 pr-3">
                  {row.linkExpiresAt ? formatInZone(row.linkExpiresAt, env().timeZone) : '—'}
                </td>
                <td className="py-2 pr-3">
                  {row.lastEvent ? `${row.lastEvent.action.replaceAll('_', ' ')}` : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="mt-4 flex items-center gap-4 text-sm">
        {query.page > 1 && <Link href={href(query, { page: query.page - 1 })}>← Previous</Link>}
        <span>
          Page {Math.min(query.page, pages)} of {pages}
        </span>
        {query.page < pages && <Link href={href(query, { page: query.page + 1 })}>Next →</Link>}
      </nav>
    </>
  );
}
