#!/usr/bin/env node
// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma, the one schema source (README
// "Database"). The model is written to be portable (no enums, arrays or @db types), so only the
// provider-specific lines differ: the datasource provider, and the client's output folder (a Prisma
// client is compiled for one provider: its query compiler and `activeProvider` are per provider, so
// PostgreSQL gets its own generated client with the same models — lib/db.ts picks one at run time).
// The generated file is not committed; `npm run db:generate` and postinstall write it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const sqliteSchemaPath = path.join(root, 'prisma', 'schema.prisma');
export const postgresSchemaPath = path.join(root, 'prisma', 'postgresql', 'schema.prisma');

/** Each provider-specific line of the source and its PostgreSQL counterpart: all must match once. */
const REPLACEMENTS = [
  [/^(\s*provider\s*=\s*)"sqlite"$/m, '$1"postgresql"'],
  [
    /^(\s*output\s*=\s*)"\.\.\/lib\/generated\/prisma"$/m,
    '$1"../../lib/generated/prisma-postgresql"',
  ],
];

export function postgresSchema(source) {
  if (/@db\.|^\s*enum\s/m.test(source)) {
    // Native types and enums differ between the providers: each would need an explicit rule here.
    throw new Error(
      'prisma/schema.prisma uses a provider-specific type; teach scripts/pg-schema.mjs about it',
    );
  }
  let schema = source;
  for (const [pattern, replacement] of REPLACEMENTS) {
    if (!pattern.test(schema)) {
      throw new Error(`prisma/schema.prisma: expected a line matching ${pattern}, found none`);
    }
    schema = schema.replace(pattern, replacement);
  }
  const header =
    '// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs: do not edit, edit the source.\n';
  return header + schema;
}

export function writePostgresSchema() {
  const schema = postgresSchema(fs.readFileSync(sqliteSchemaPath, 'utf8'));
  fs.mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
  fs.writeFileSync(postgresSchemaPath, schema);
  return postgresSchemaPath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${path.relative(root, writePostgresSchema())}`);
}
