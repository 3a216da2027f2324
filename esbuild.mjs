// Builds the three bundles: the VS Code client, the language server and the CLI (and the extension tests).
// Type-checking is tsc's job (npm run typecheck); esbuild only bundles.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The extension tests (test/e2e), run inside the editor's extension host; not shipped (.vscodeignore).
  esbuild.build({ ...common, entryPoints: ['test/e2e/suite/index.ts'], outfile: 'dist/test/index.js', external: ['vscode', 'mocha'] }),
]);
