// The IT console with 50,000 hires: the hires table (first page, search, filters, a deep page), the
// attention panel and the metrics, against a real SQLite database. Prints figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-bench-console-'));
process.env.FIRSTKEY_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'firstkey.db')}`;

const { migrate } = await import('@/lib/db/migrate');
await migrate(process.env.DATABASE_URL);
const { db } = await import('@/lib/db');
const { listHires, parseHireListQuery } = await import('@/lib/hires/console-list');
const { attentionPanel } = await import('@/lib/console/attention');
const { enrollmentMetrics } = await import('@/lib/console/metrics');

const HIRES = 50_000;
const STATES = [
  'awaiting_device',
  'ready',
  'invited',
  'opened',
  'enrolling',
  'enrolled',
  'expired',
];
const now = new Date();
const started = performance.now();
for (let offset = 0; offset < HIRES; offset += 5_000) {
  await db().user.createMany({
    data: Array.from({ length: 5_000 }, (_, i) => {
      const n = offset + i;
      return {
        employeeId: `E${String(n).padStart(6, '0')}`,
        name: `Person ${n} ${['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Knuth'][n % 5]}`,
        email: `person${n}@example.com`,
        startDate: new Date(now.getTime() + ((n % 120) - 30) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        department: ['Sales', 'Engineering', 'Ops', 'Finance'][n % 4],
        enrollmentState: STATES[n % STATES.length]!,
      };
    }),
  });
}
console.log(`seed: ${HIRES} hires in ${(performance.now() - started).toFixed(0)} ms`);

async function time(label: string, run: () => Promise<unknown>, repeat = 5) {
  const samples: number[] = [];
  let result: unknown;
  for (let i = 0; i < repeat; i += 1) {
    const t0 = performance.now();
    result = await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const total = (result as { total?: number }).total;
  console.log(
    `${label.padEnd(34)} median ${samples[Math.floor(samples.length / 2)]!.toFixed(1)} ms, max ${samples.at(-1)!.toFixed(1)} ms${total !== undefined ? ` (${total} matching)` : ''}`,
  );
}

const query = (params: Record<string, string>) => parseHireListQuery(params).query;
await time('table, first page', () => listHires(db(), query({})));
await time('table, search "Hopper"', () => listHires(db(), query({ q: 'Hopper' })));
await time('table, search employee id prefix', () => listHires(db(), query({ q: 'E0420' })));
await time('table, state=invited', () => listHires(db(), query({ state: 'invited' })));
await time('table, start-date range + state', () =>
  listHires(
    db(),
    query({
      from: now.toISOString().slice(0, 10),
      to: new Date(now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10),
      state: 'ready',
    }),
  ),
);
await time('table, page 900, sorted by name', () =>
  listHires(db(), query({ page: '900', sort: 'name' })),
);
await time('attention panel', () => attentionPanel(db(), now, { id: 'nobody', roles: ['it'] }));
await time('metrics', () => enrollmentMetrics(db(), now), 3);

const memory = process.memoryUsage();
console.log(`memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB`);
await db().$disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });
