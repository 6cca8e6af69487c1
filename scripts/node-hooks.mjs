// Preloaded (`node --import`) by the server, the CLI and the unit tests, after tsx.
// `import 'server-only'` guards lib/ modules against being bundled into browser code by Next.js.
// A plain Node process is a server by definition, so there the import resolves to an empty module.
import { register } from 'node:module';

register('./server-only-hook.mjs', import.meta.url);
