import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The one rule for finding Firstkey's own files (prisma/migrations, the Next.js build): walk up from
// this module to the nearest folder whose package.json is Firstkey's. A URL relative to the module
// would depend on where the module runs from: lib/ under tsx and the tests, but one bundle in .next/
// for the server and the CLI (scripts/build-bundles.mjs). Next.js puts a package.json of its own in
// .next/, hence the name check rather than the first package.json found.
let cached: string | undefined;

export function projectRoot(): string {
  if (cached) return cached;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (isFirstkeyPackage(path.join(dir, 'package.json'))) return (cached = dir);
    if (path.dirname(dir) === dir) {
      throw new Error(`No Firstkey package.json in ${start} or any folder above it`);
    }
  }
}

function isFirstkeyPackage(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name === 'firstkey';
  } catch {
    return false;
  }
}
