// Compiles server.ts — the HTTPS front — and the lib/ modules it imports outside Next's build into
// one ES module, .next/firstkey-server.mjs, that plain `node` runs (`npm start`, the e2e web server,
// the bench). Packages stay external: Node loads them from node_modules as it would for server.ts.
// Run by scripts/start.mjs after `next build`; also `node scripts/build-server.mjs` by itself.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

export async function buildServer() {
  await build({
    absWorkingDir: root,
    entryPoints: ['server.ts'],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: 'tsconfig.json',
    plugins: [serverOnly, deepImports],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer();
}
