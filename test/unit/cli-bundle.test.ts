/**
 * What the CLI's bundle carries: the CLI asks the core through `batchService`, which names neither completion
 * nor hover, so esbuild leaves their code and data out (less for V8 to scan each time the CLI starts). Built
 * here as esbuild.mjs builds dist/cli.js, with its plugin for the data files.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { ROOT } from '../helpers';

/** The source and data files that put code into a bundle of this entry, relative to the repository. */
async function inputsOf(entry: string): Promise<string[]> {
  const { jsonModulePlugin } = (await import(pathToFileURL(join(ROOT, 'scripts', 'json-module.mjs')).href)) as {
    jsonModulePlugin: Plugin;
  };
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    outfile: join(ROOT, 'dist', 'inputs-of.js'),
    metafile: true,
    logLevel: 'silent',
    plugins: [jsonModulePlugin],
  });
  // metafile.inputs lists every file esbuild loaded; the output's own list says how much of each it kept.
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  assert.ok(output, 'no output for the entry');
  return Object.entries(output.inputs)
    .filter(([, i]) => i.bytesInOutput > 0)
    .map(([path]) => path);
}

const EDITOR_ONLY = [
  'server/src/features/completion.ts',
  'server/src/features/completion-values.ts',
  'server/src/features/hover.ts',
  'server/src/features/cursor-context.ts',
  'server/src/features/directive-markdown.ts',
  'server/src/features/vocabulary-markdown.ts',
  'server/data/directive-docs.json',
];

test('the CLI bundle holds no completion or hover code, nor their data', async () => {
  const cli = await inputsOf('server/src/cli/main.ts');
  assert.ok(cli.includes('server/src/cli/main.ts') && cli.includes('server/src/features/harden.ts'), cli.join('\n'));
  assert.deepEqual(
    EDITOR_ONLY.filter((f) => cli.includes(f)),
    [],
  );
});

test('the language server bundle holds them', async () => {
  const server = await inputsOf('server/src/lsp/main.ts');
  for (const f of EDITOR_ONLY) assert.ok(server.includes(f), f);
});
