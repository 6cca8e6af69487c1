#!/usr/bin/env node
// Authors a migration: `npm run db:diff -- add_something`, for both databases at once:
// prisma/migrations/ (SQLite, from prisma/schema.prisma) and prisma/migrations-postgresql/ (from the
// PostgreSQL schema scripts/pg-schema.mjs generates from it).
// Each migration folder keeps the schema it was written from (schema.prisma), so the next diff is
// "last snapshot → current schema" — no shadow database and no engine binary needed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prisma } from './prisma.mjs';
import { sqliteSchemaPath, writePostgresSchema } from './pg-schema.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:diff -- <name_in_snake_case>');
  process.exit(2);
}
const targets = [
  { folder: path.join('prisma', 'migrations'), schema: sqliteSchemaPath },
  { folder: path.join('prisma', 'migrations-postgresql'), schema: writePostgresSchema() },
];
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const written = [];
for (const { folder, schema } of targets) {
  const migrationsDir = path.join(root, folder);
  const previous = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .at(-1);
  const from = previous
    ? ['--from-schema-datamodel', path.join(folder, previous, 'schema.prisma')]
    : ['--from-empty'];
  const sql = prisma(
    ['migrate', 'diff', ...from, '--to-schema-datamodel', path.relative(root, schema), '--script'],
    { capture: true },
  );
  if (!/\b(CREATE|ALTER|DROP|INSERT|UPDATE)\b/.test(sql)) {
    console.error(`${path.relative(root, schema)} has no changes since the last migration.`);
    continue;
  }
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
  fs.copyFileSync(schema, path.join(dir, 'schema.prisma'));
  written.push(`${path.relative(root, dir)}/migration.sql`);
}
if (written.length === 0) process.exit(1);
for (const file of written) console.log(`wrote ${file}`);
