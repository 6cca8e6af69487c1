// `npm run bench`: each benchmark in a process of its own (each has its own data folder and database),
// in order — the real server on SQLite (bench/server.bench.ts) and on PostgreSQL, alone and behind
// nginx with one and two instances (bench/postgres.bench.ts), then the in-process figures. Output
// passes through; a benchmark whose last line is a JSON object contributes it, and the last line of
// the whole run is one JSON object holding all of them. Arguments go to both real-server benches
// (--hires N, --concurrency C, …). A benchmark that fails (a server died, a set-up step failed) or
// outlives its deadline stops the run with a non-zero exit.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BENCHES = [
  ['realServer', 'bench/server.bench.ts'],
  ['realServerPostgres', 'bench/postgres.bench.ts'],
  ['inProcessEnrollment', 'bench/enrollment.bench.ts'],
  ['console', 'bench/console.bench.ts'],
  ['oidc', 'bench/oidc.bench.ts'],
  ['topology', 'bench/topology.bench.ts'],
];
const DEADLINE_MS = 15 * 60_000;

function runBench(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', './scripts/node-hooks.mjs', file, ...args],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, DEADLINE_MS);
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${file} exited with ${code ?? signal}`));
      const last = output.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        resolve(null);
      }
    });
  });
}

const figures = {};
const started = Date.now();
for (const [name, file] of BENCHES) {
  if (!name.startsWith('realServer')) console.log(`\n## In process: ${file}`);
  try {
    const result = await runBench(file, name.startsWith('realServer') ? process.argv.slice(2) : []);
    if (result) figures[name] = result;
  } catch (error) {
    console.error(`\n✗ npm run bench: ${error.message}`);
    process.exit(1);
  }
}

// The enrollment figures side by side: one instance on SQLite and on PostgreSQL, nginx in front of
// one and two instances on PostgreSQL (the same client, hires and sequence in each).
const rows = [
  ['SQLite, one instance', figures.realServer?.concurrent],
  ['PostgreSQL, one instance', figures.realServerPostgres?.oneInstance],
  ['PostgreSQL, nginx + one instance', figures.realServerPostgres?.nginxOneInstance],
  ['PostgreSQL, nginx + two instances', figures.realServerPostgres?.nginxTwoInstances],
  ['PostgreSQL, nginx + two again', figures.realServerPostgres?.nginxTwoInstancesAgain],
].filter(([, row]) => row);
if (rows.length > 0) {
  console.log(
    `\n## Enrollment (peek → redeem → options → verify → sign-in), ${figures.realServer?.concurrency ?? '?'} in flight`,
  );
  console.log(
    `${'setup'.padEnd(36)}${'enroll/s'.padStart(9)}${'errors'.padStart(8)}${'worst p95 ms'.padStart(14)}${'verify p95'.padStart(12)}${'CPU ms/enr'.padStart(12)}`,
  );
  for (const [label, row] of rows)
    console.log(
      `${label.padEnd(36)}${String(row.enrollmentsPerSecond).padStart(9)}${String(row.errors).padStart(8)}${String(row.worstStepP95Ms).padStart(14)}${String(row.steps.verify.p95).padStart(12)}${String(row.cpuMsPerEnrollment).padStart(12)}`,
    );
}
figures.run = {
  seconds: Math.round((Date.now() - started) / 1000),
  loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))),
};
console.log(
  `\nbench run: ${figures.run.seconds} s; load average at the end ${figures.run.loadAverageAtEnd.join(' ')}`,
);
console.log(JSON.stringify(figures));
