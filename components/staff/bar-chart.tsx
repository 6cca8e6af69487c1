/**
 * A horizontal bar chart in SVG (presentation attributes, so the strict CSP needs no inline styles),
 * with the numbers also given as text for screen readers and for exactness.
 */
export function BarChart({
  title,
  bars,
}: {
  title: string;
  bars: { label: string; value: number }[];
}) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 26;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="font-semibold">{title}</figcaption>
      <svg
        role="img"
        aria-label={`${title}: ${bars.map((bar) => `${bar.label} ${bar.value}`).join(', ')}`}
        viewBox={`0 0 400 ${bars.length * rowHeight}`}
        className="mt-2 w-full"
      >
        {bars.map((bar, index) => (
          <g key={bar.label} transform={`translate(0 ${index * rowHeight})`}>
            <text x="0" y="17" fontSize="12" fill="#334155">
              {bar.label}
            </text>
            <rect x="110" y="4" height="18" width={(bar.value / max) * 240} fill="#1d4ed8" rx="3" />
            <text x={116 + (bar.value / max) * 240} y="17" fontSize="12" fill="#0f172a">
              {bar.value}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
