// Compiles the two programs that run outside Next's build, each with the lib/ modules it imports,
// into one ES module that plain `node` runs:
//   server.ts        → .next/firstkey-server.mjs  the HTTPS front (`npm start`, the e2e web server,
//                                                 the bench)
//   cli/firstkey.ts  → .next/firstkey-cli.mjs     the `firstkey` command (bin/firstkey.mjs runs it
//                                                 while it is fresh: scripts/cli-bundle.mjs)
// Packages stay external: Node loads them from node_modules as it would for the sources.
// Run by scripts/start.mjs after `next build` (which empties .next/); also by itself:
// `node scripts/build-bundles.mjs [server] [cli]` (both when neither is named).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CLI_BUNDLE, CLI_INPUTS, hashInputs } from './cli-bundle.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SERVER_BUNDLE = path.join(root, '.next', 'firstkey-server.mjs');

/** `import 'server-only'` guards against bundling into browser code; a Node server is a server. */
const serverOnly = {
  name: 'server-only',
  setup(plugin) {
    plugin.onResolve({ filter: /^server-only$/ }, () => ({
      path: 'server-only',
      namespace: 'empty',
    }));
    plugin.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * A deep import into a CommonJS package without an `exports` map (`next/dist/…/file`) resolves under
 * tsx and bundlers, not under Node's ES module loader: name the file it resolves to.
 */
const deepImports = {
  name: 'deep-imports',
  setup(plugin) {
    const require = createRequire(path.join(root, 'package.json'));
    plugin.onResolve({ filter: /^(@[^/]+\/)?[^./@][^/]*\/.+/ }, (args) => {
      if (/\.[cm]?js$/.test(args.path)) return undefined;
      const name = args.path
        .split('/')
        .slice(0, args.path.startsWith('@') ? 2 : 1)
        .join('/');
      try {
        if (require(`${name}/package.json`).exports) return undefined;
        return require.resolve(args.path).endsWith(`${args.path}.js`)
          ? { path: `${args.path}.js`, external: true }
          : undefined;
      } catch {
        return undefined;
      }
    });
  },
};

/** Files besides the bundle's own inputs whose change changes the bundle. */
const BUILD_SETTINGS = ['tsconfig.json', 'scripts/build-bundles.mjs'];

/**
 * One entry point into one ES module; returns the source files compiled into it. With `lazyChunks`,
 * what the entry point loads by `import()` goes into files of their own next to it (…-chunks/),
 * loaded when the import runs: one ES module cannot defer the packages such a chunk imports.
 */
async function bundle(entryPoint, outfile, { lazyChunks = false } = {}) {
  const started = Date.now();
  const name = path.basename(outfile, '.mjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entryPoint],
    ...(lazyChunks
      ? {
          splitting: true,
          outdir: path.dirname(outfile),
          entryNames: name,
          chunkNames: `${name}-chunks/[name]-[hash]`,
          outExtension: { '.js': '.mjs' },
        }
      : { outfile }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: 'tsconfig.json',
    plugins: [serverOnly, deepImports],
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  // Each file whole or not at all: a CLI started meanwhile runs the old bundle or the new one (chunks
  // are named by their content, so the new files never replace one the old bundle loads).
  for (const output of result.outputFiles) {
    fs.mkdirSync(path.dirname(output.path), { recursive: true });
    fs.writeFileSync(`${output.path}.tmp`, output.contents);
    fs.renameSync(`${output.path}.tmp`, output.path);
  }
  const inputs = [
    ...BUILD_SETTINGS,
    ...Object.keys(result.metafile.inputs).filter((input) => !input.includes(':')),
  ].sort();
  // Hashed first, then checked: a file saved while esbuild read the sources may be in the bundle in
  // its older version, and its time says so; one saved after the hash is only stale, as it should be.
  const sha256 = hashInputs(inputs);
  const changed = inputs.filter((input) => fs.statSync(path.join(root, input)).mtimeMs >= started);
  return { inputs, sha256, changed };
}

export async function buildServer() {
  await bundle('server.ts', SERVER_BUNDLE);
}

/** The CLI, and the list of its inputs that says whether it is still fresh (scripts/cli-bundle.mjs). */
export async function buildCli() {
  fs.rmSync(CLI_INPUTS, { force: true });
  const { inputs, sha256, changed } = await bundle('cli/firstkey.ts', CLI_BUNDLE, {
    lazyChunks: true,
  });
  if (changed.length > 0) {
    console.warn(
      `Not marking the compiled CLI fresh: ${changed.join(', ')} changed while it was compiled; bin/firstkey.mjs runs the sources until the next build.`,
    );
    return;
  }
  const list = { files: inputs, sha256 };
  fs.writeFileSync(`${CLI_INPUTS}.tmp`, `${JSON.stringify(list, null, 2)}\n`);
  fs.renameSync(`${CLI_INPUTS}.tmp`, CLI_INPUTS);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  for (const name of wanted) {
    if (name !== 'server' && name !== 'cli') {
      console.error(`Unknown bundle "${name}", expected server or cli`);
      process.exit(2);
    }
  }
  if (wanted.length === 0 || wanted.includes('server')) await buildServer();
  if (wanted.length === 0 || wanted.includes('cli')) await buildCli();
}
