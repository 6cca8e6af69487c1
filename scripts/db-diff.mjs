#!/usr/bin/env node
// Authors a migration: `npm run db:diff -- add_something`.
// Each migration folder keeps the schema it was written from (schema.prisma), so the next diff is
// "last snapshot → prisma/schema.prisma" — no shadow database and no engine binary needed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prisma } from './prisma.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const migrationsDir = path.join(root, 'prisma', 'migrations');
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:diff -- <name_in_snake_case>');
  process.exit(2);
}
const previous = fs
  .readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .at(-1);
const from = previous
  ? ['--from-schema-datamodel', path.join('prisma', 'migrations', previous, 'schema.prisma')]
  : ['--from-empty'];
const sql = prisma(
  ['migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
  {
    capture: true,
  },
);
if (!/\b(CREATE|ALTER|DROP|INSERT|UPDATE)\b/.test(sql)) {
  console.error('prisma/schema.prisma has no changes since the last migration.');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
fs.mkdirSync(dir);
fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
fs.copyFileSync(path.join(root, 'prisma', 'schema.prisma'), path.join(dir, 'schema.prisma'));
console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
