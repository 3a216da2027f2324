// Builds the three bundles: the VS Code client, the language server and the CLI (and the extension tests).
// Type-checking is tsc's job (npm run typecheck); esbuild only bundles.
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { jsonModulePlugin } from './scripts/json-module.mjs';

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The knowledge tables (server/data/*.json) as ES modules that JSON.parse() strings, each repeated part
  // written once (scripts/json-module.mjs says why).
  plugins: [jsonModulePlugin],
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
  }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The extension tests (test/e2e), run inside the editor's extension host; not shipped (.vscodeignore).
  esbuild.build({
    ...common,
    entryPoints: ['test/e2e/suite/index.ts'],
    outfile: 'dist/test/index.js',
    external: ['vscode', 'mocha'],
  }),
]);

// esbuild escapes non-ASCII characters in strings but copies some comments as written. One non-ASCII
// character anywhere makes V8 keep the whole source of a bundle as UTF-16: twice its size in memory,
// for as long as the process runs.
for (const out of ['dist/server.js', 'dist/cli.js']) {
  const text = readFileSync(out, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) {
    const line = text.slice(0, at).split('\n').length;
    throw new Error(
      `${out}:${line}: non-ASCII character in the bundle (a comment esbuild kept?): ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`,
    );
  }
}
