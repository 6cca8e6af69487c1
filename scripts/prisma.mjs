#!/usr/bin/env node
// Runs the Prisma CLI without its native engines. Prisma checks that these two paths exist before
// `generate` and never executes them; migrations are applied by lib/db/migrate.ts instead
// (README "Database"). Keeping this here means no developer has to export anything by hand.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const placeholder = path.join(root, 'package.json');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  // The schema's datasource reads DATABASE_URL; generate and diff never connect to it.
  DATABASE_URL: process.env.DATABASE_URL ?? 'file:./unused.db',
};
const prismaBin = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

/** Runs `prisma ...args`; returns its stdout, or exits with Prisma's own status and message. */
export function prisma(args, { capture = false } = {}) {
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    env,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) prisma(process.argv.slice(2));
