#!/usr/bin/env node
// `npx firstkey …`: the compiled CLI (.next/firstkey-cli.mjs, written by `npm start` and
// `npm run build`) while it is up to date with cli/ and lib/ (scripts/cli-bundle.mjs); otherwise, as
// before any build or after an edit, cli/firstkey.ts itself with tsx (Node 20 cannot run TypeScript
// by itself), which compiles the sources on every run: about 1.5 s more per command.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshCliBundle } from '../scripts/cli-bundle.mjs';

const compiled = freshCliBundle();
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: path.join(root, 'tsconfig.json') });
  await import('../scripts/node-hooks.mjs');
  await import('../cli/firstkey.ts');
}
