// `npm run bench`: each benchmark in a process of its own (each has its own data folder and database),
// in order — the real server first (bench/server.bench.ts), then the in-process figures. Output passes
// through; a benchmark whose last line is a JSON object contributes it, and the last line of the whole
// run is one JSON object holding all of them. Arguments go to the real-server bench (--hires N …).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BENCHES = [
  ['realServer', 'bench/server.bench.ts'],
  ['inProcessEnrollment', 'bench/enrollment.bench.ts'],
  ['console', 'bench/console.bench.ts'],
  ['oidc', 'bench/oidc.bench.ts'],
  ['topology', 'bench/topology.bench.ts'],
];

function runBench(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', './scripts/node-hooks.mjs', file, ...args],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with ${code}`));
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
for (const [name, file] of BENCHES) {
  if (name !== 'realServer') console.log(`\n## In process: ${file}`);
  const result = await runBench(file, name === 'realServer' ? process.argv.slice(2) : []);
  if (result) figures[name] = result;
}
console.log(JSON.stringify(figures));
