#!/usr/bin/env node
// Generates both Prisma clients from the one schema source: SQLite from prisma/schema.prisma, and
// PostgreSQL from the schema scripts/pg-schema.mjs derives from it (README "Database").
import { prisma } from './prisma.mjs';
import { writePostgresSchema } from './pg-schema.mjs';

prisma(['generate']);
prisma(['generate', '--schema', writePostgresSchema()]);
