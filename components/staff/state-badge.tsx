const TONES: Record<string, string> = {
  enrolled: 'bg-emerald-100 text-emerald-900',
  enrolling: 'bg-sky-100 text-sky-900',
  opened: 'bg-sky-100 text-sky-900',
  invited: 'bg-indigo-100 text-indigo-900',
  ready: 'bg-slate-200 text-slate-900',
  awaiting_device: 'bg-amber-100 text-amber-900',
  expired: 'bg-rose-100 text-rose-900',
  revoked: 'bg-rose-100 text-rose-900',
  offboarded: 'bg-slate-300 text-slate-900',
};

export function StateBadge({ state }: { state: string }) {
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${TONES[state] ?? 'bg-slate-200'}`}
    >
      {state.replace('_', ' ')}
    </span>
  );
}
