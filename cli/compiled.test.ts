// test-databases: sqlite
// (no database involved: which program bin/firstkey.mjs runs; one pass is enough)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

/** A copy of the project's CLI sources in a folder of its own, so a test may edit them. */
function projectCopy() {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'firstkey-compiled-'));
  for (const entry of ['bin', 'cli', 'lib', 'prisma', 'scripts', 'package.json', 'tsconfig.json']) {
    fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

async function help(copy: string) {
  return (await run(process.execPath, ['bin/firstkey.mjs', 'migrate', '--help'], { cwd: copy }))
    .stdout;
}

test('the compiled CLI runs only while its sources are unchanged: an edit runs the edited source at once', async () => {
  const copy = projectCopy();
  after(() => fs.rmSync(copy, { recursive: true, force: true }));
  await run(process.execPath, ['scripts/build-bundles.mjs', 'cli'], { cwd: copy });
  // A mark only the compiled file prints: it shows which of the two programs ran.
  fs.appendFileSync(
    path.join(copy, '.next', 'firstkey-cli.mjs'),
    '\nprocess.stdout.write("(compiled)\\n");\n',
  );
  assert.match(await help(copy), /\(compiled\)\n$/);

  const source = path.join(copy, 'cli', 'firstkey.ts');
  const original = fs.readFileSync(source, 'utf8');
  fs.writeFileSync(source, original.replace('apply database migrations', 'apply every migration'));
  const edited = await help(copy);
  assert.match(edited, /apply every migration/);
  assert.doesNotMatch(edited, /\(compiled\)/);

  // A lib/ module the CLI imports counts as much as cli/ itself, and so does its removal.
  fs.writeFileSync(source, original);
  assert.match(await help(copy), /\(compiled\)\n$/);
  fs.appendFileSync(path.join(copy, 'lib', 'hires', 'status.ts'), '\n// edited\n');
  assert.doesNotMatch(await help(copy), /\(compiled\)/);
  fs.rmSync(path.join(copy, 'lib', 'hires', 'status.ts'));
  await assert.rejects(help(copy), /ERR_MODULE_NOT_FOUND/);
});
