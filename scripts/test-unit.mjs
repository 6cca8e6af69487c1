#!/usr/bin/env node
// Unit and integration tests: every *.test.ts under lib/ and cli/, with node's test runner.
// Each test file runs in its own process with a fresh, migrated SQLite database (lib/testing/setup.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
function find(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : find(relative);
    return entry.name.endsWith('.test.ts') ? [relative] : [];
  });
}
const filter = process.argv.slice(2);
const files = ['lib', 'cli']
  .flatMap(find)
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    './scripts/node-hooks.mjs',
    '--import',
    './lib/testing/setup.ts',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    ...files,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test', NEXT_TELEMETRY_DISABLED: '1' },
  },
);
process.exit(result.status ?? 1);
