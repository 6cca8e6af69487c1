// test-databases: sqlite
// (reads files only: the same on either database, so it runs once)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { migrationsDir, postgresMigrationsDir } from '@/lib/db/migrate';
import { postgresSchema, sqliteSchemaPath } from '../../scripts/pg-schema.mjs';

function latestSnapshot(dir: string): string {
  const latest = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .at(-1)!;
  return fs.readFileSync(path.join(dir, latest, 'schema.prisma'), 'utf8');
}

test('both databases have a migration for the current schema (npm run db:diff writes them together)', () => {
  const source = fs.readFileSync(sqliteSchemaPath, 'utf8');
  assert.equal(latestSnapshot(migrationsDir()), source, 'prisma/migrations/ is behind the schema');
  assert.equal(
    latestSnapshot(postgresMigrationsDir()),
    postgresSchema(source),
    'prisma/migrations-postgresql/ is behind the schema',
  );
});

test('the PostgreSQL schema differs from the source only in its provider-specific lines', () => {
  const source = fs.readFileSync(sqliteSchemaPath, 'utf8');
  const generated = postgresSchema(source).split('\n');
  const changed = source
    .split('\n')
    .map((line, index) => [line, generated[index + 1]])
    .filter(([line, other]) => line !== other);
  assert.deepEqual(changed, [
    [
      '  output       = "../lib/generated/prisma"',
      '  output       = "../../lib/generated/prisma-postgresql"',
    ],
    ['  provider = "sqlite"', '  provider = "postgresql"'],
  ]);
  assert.throws(() => postgresSchema(`${source}\nenum Role {\n  it\n}\n`), /provider-specific/);
});
