// Summarises a `node --cpu-prof` profile (the bench writes one with BENCH_CPU_PROF=DIR): where the
// sampled time went, by package / area and by function (self time). `node bench/profile-top.mjs FILE [N]`.
import fs from 'node:fs';

const [file, top = '25'] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (deltas[index] ?? 0)));

function area(url, name) {
  if (!url)
    return name === '(garbage collector)' ? '(gc)' : name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    if (pkg[1] === 'next')
      return /compiled\/([^/]+)/.exec(url)?.[1]
        ? `next (${/compiled\/([^/]+)/.exec(url)[1]})`
        : 'next';
    return pkg[1];
  }
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/.next/server/')) return '.next/server (app build)';
  if (url.includes('firstkey-server.mjs')) return 'server bundle';
  if (url.includes('/lib/generated/')) return 'lib/generated (prisma)';
  if (url.includes('/lib/')) return 'lib';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

const byArea = new Map();
const byFunction = new Map();
let total = 0;
for (const [id, time] of self) {
  const node = nodes.get(id);
  const { url, functionName, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  total += time;
  const a = area(url, name);
  byArea.set(a, (byArea.get(a) ?? 0) + time);
  const key = `${name} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(wt-[^/]+|main)\//, '')}:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + time);
}
const idle = [...self]
  .filter(([id]) => nodes.get(id).callFrame.functionName === '(idle)')
  .reduce((s, [, t]) => s + t, 0);
const busy = total - idle;
const pct = (t) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
console.log(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`);
console.log('\nby area (self time, share of busy time):');
for (const [a, t] of [...byArea]
  .filter(([a]) => a !== '(idle)')
  .sort((x, y) => y[1] - x[1])
  .slice(0, 20))
  console.log(`  ${pct(t)}  ${a}`);
console.log('\nby function (self time):');
for (const [f, t] of [...byFunction]
  .filter(([f]) => !f.startsWith('(idle)'))
  .sort((x, y) => y[1] - x[1])
  .slice(0, Number(top)))
  console.log(`  ${pct(t)}  ${f}`);
