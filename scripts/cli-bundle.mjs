// The compiled CLI, .next/firstkey-cli.mjs (scripts/build-bundles.mjs), and the rule for when
// bin/firstkey.mjs may run it: only while every source file compiled into it is byte for byte what
// it was at compile time. The build lists those files (esbuild's own list of the bundle's inputs,
// plus the build settings) with one SHA-256 over their contents; each run re-hashes them (about 60
// files, 0.5 MB: 3-6 ms). A content hash, not modification times: a checkout, a copy that keeps
// times or a clock step must never run old code in place of an edited cli/ or lib/. Anything
// missing, unreadable or different means "stale": bin/firstkey.mjs then runs the sources with tsx.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CLI_BUNDLE = path.join(root, '.next', 'firstkey-cli.mjs');
export const CLI_INPUTS = path.join(root, '.next', 'firstkey-cli.inputs.json');

/** One SHA-256 over the files' names and contents (paths relative to the project folder). */
export function hashInputs(files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** The compiled CLI's path when it is up to date with its sources, otherwise null. */
export function freshCliBundle() {
  try {
    const { files, sha256 } = JSON.parse(fs.readFileSync(CLI_INPUTS, 'utf8'));
    return fs.existsSync(CLI_BUNDLE) && hashInputs(files) === sha256 ? CLI_BUNDLE : null;
  } catch {
    return null;
  }
}
