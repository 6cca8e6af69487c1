#!/usr/bin/env node
// `npx firstkey …`: runs cli/firstkey.ts with tsx (Node 20 cannot run TypeScript by itself).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import('../scripts/node-hooks.mjs');
await import('../cli/firstkey.ts');
