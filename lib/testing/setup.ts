// Preloaded by `npm run test:unit` into every test file's process: a fresh data folder and a real,
// migrated SQLite database per test file. No mocked Prisma anywhere.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '@/lib/db/migrate';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-test-'));
process.env.FIRSTKEY_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'firstkey.db')}`;
migrate(process.env.DATABASE_URL);

process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
