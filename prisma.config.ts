// Prisma CLI configuration. Firstkey never lets the CLI download engine binaries (see README
// "Database"): `engine: 'js'` with a driver adapter is enough for `prisma migrate diff`, and
// migrations are applied by lib/db/migrate.ts.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? ':memory:' }),
});
