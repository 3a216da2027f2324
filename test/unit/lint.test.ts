/**
 * scripts/lint.mjs can fail: on a small tree laid out by the layer table it passes, and each planted
 * import or call that breaks a rule (a layer skipped upward, an adapter going around the door, I/O in
 * the core, …) makes it exit with 1 and name the file, the rule and the row of the table. The three
 * plants issue 13 asks for are also planted in a copy of the real tree, where each adds exactly its
 * own problem to whatever the tree already reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers';

const LINT = join(ROOT, 'scripts', 'lint.mjs');

function runLint(root: string): { status: number | null; problems: string[]; out: string } {
  const r = spawnSync(process.execPath, [LINT, root], { encoding: 'utf8', timeout: 60_000 });
  const problems = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('lint: '));
  return { status: r.status, problems, out: r.stdout + r.stderr };
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** The smallest tree that follows every row of the layer table: one file per folder, each importing what it may. */
const CLEAN: Record<string, string> = {
  'server/data/facts.json': '{}\n',
  'package.json': '{ "version": "0.0.0" }\n',
  'server/src/syntax/parser.ts': 'export const parse = (s: string) => s;\n',
  'server/src/knowledge/facts.ts': "import facts from '../../data/facts.json';\nexport const known = facts;\n",
  'server/src/model/build.ts':
    "import { parse } from '../syntax/parser';\nimport { known } from '../knowledge/facts';\nexport const build = (s: string) => [parse(s), known];\n",
  'server/src/evidence/use.ts':
    "import { build } from '../model/build';\nexport const uses = (s: string) => build(s);\n",
  'server/src/exposure/index.ts':
    "import type { uses } from '../evidence/use';\nexport const score = (u: typeof uses) => u;\n",
  'server/src/rules/sandbox.ts': "import { score } from '../exposure';\nexport const check = score;\n",
  'server/src/features/hover.ts':
    "import { check } from '../rules/sandbox';\nimport { build } from '../model/build';\nexport const hover = [check, build];\n",
  'server/src/service.ts':
    "import { hover } from './features/hover';\nexport type Hover = typeof hover;\nexport const hardeningService = { hover };\nexport const scoreNow = hover;\n",
  'server/src/io/read-file.ts':
    "import { readFileSync } from 'node:fs';\nexport const read = (p: string) => readFileSync(p);\n",
  'server/src/lsp/server.ts':
    "import { createConnection } from 'vscode-languageserver/node';\nimport { hardeningService as service, type Hover } from '../service';\nimport { read } from '../io/read-file';\nimport type { Report } from '../../../protocol/protocol';\nimport { version } from '../../../package.json';\nimport { convert } from './convert';\nexport const run = [createConnection, service, read, version, convert] as unknown as Report & Hover;\n",
  'server/src/lsp/convert.ts':
    "import { lstatSync, type Stats } from 'node:fs';\nexport const convert = [lstatSync] as unknown as Stats;\n",
  'server/src/lsp/transport.ts': 'export const out = process.stdout;\n',
  'server/src/cli/main.ts':
    "import { join } from 'node:path';\nimport { hardeningService } from '../service';\nimport type { Hover } from '../service';\nconsole.log(join('a', 'b'), hardeningService as Hover);\n",
  'client/src/extension.ts':
    "import * as vscode from 'vscode';\nimport { LanguageClient } from 'vscode-languageclient/node';\nimport type { Report } from '../../protocol/protocol';\nexport const x = [vscode, LanguageClient] as unknown as Report;\n",
  'protocol/protocol.ts': 'export interface Report { unit: string }\n',
};

function cleanTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'sh-lint-'));
  for (const [path, text] of Object.entries(CLEAN)) write(root, path, text);
  return root;
}

test('lint passes on a tree that follows the layer table', () => {
  const root = cleanTree();
  const r = runLint(root);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /architecture invariants hold/);
  rmSync(root, { recursive: true });
});

test('lint passes when the facade is a folder and adapters import its index', () => {
  const root = cleanTree();
  rmSync(join(root, 'server/src/service.ts'));
  write(
    root,
    'server/src/service/index.ts',
    "import { hover } from '../features/hover';\nimport { own } from './analysis';\nexport const hardeningService = { hover, own };\n",
  );
  write(root, 'server/src/service/analysis.ts', "import { score } from '../exposure';\nexport const own = score;\n");
  const r = runLint(root);
  assert.equal(r.status, 0, r.out);
  rmSync(root, { recursive: true });
});

test('lint fails when ARCHITECTURE.md shows a layer table other than the one it enforces', () => {
  const root = cleanTree();
  const table = spawnSync(process.execPath, [LINT, '--table'], { encoding: 'utf8' }).stdout;
  assert.match(table, /^\| `server\/src\/syntax` \| nothing \|$/m);
  write(root, 'ARCHITECTURE.md', `# Architecture\n\n${table}\n`);
  assert.equal(runLint(root).status, 0);
  write(
    root,
    'ARCHITECTURE.md',
    `# Architecture\n\n${table.replace('| `server/src/syntax` | nothing |', '| `server/src/syntax` | `server/src/model` |')}\n`,
  );
  const r = runLint(root);
  assert.equal(r.status, 1, r.out);
  assert.deepEqual(r.problems, [
    'ARCHITECTURE.md: [docs] does not show the layer table of scripts/lint.mjs as it is (node scripts/lint.mjs --table prints it)',
  ]);
  rmSync(root, { recursive: true });
});

/** Each plant: a line appended to a file of the clean tree (or a new file), and the one problem it must cause. */
const PLANTS: { name: string; file: string; text: string; expect: RegExp }[] = [
  {
    name: 'a layer importing one above it (model → rules)',
    file: 'server/src/model/build.ts',
    text: "import { check } from '../rules/sandbox';\n",
    expect:
      /^server\/src\/model\/build\.ts: \[layers\] imports \.\.\/rules\/sandbox .*layer 'server\/src\/rules'.*row 'server\/src\/model' may import only/,
  },
  {
    name: 'knowledge importing the model (knowledge imports data only)',
    file: 'server/src/knowledge/facts.ts',
    text: "import { build } from '../model/build';\n",
    expect:
      /^server\/src\/knowledge\/facts\.ts: \[layers\] .*row 'server\/src\/knowledge' may import only server\/data$/,
  },
  {
    name: 'the syntax importing anything',
    file: 'server/src/syntax/parser.ts',
    text: "import facts from '../../data/facts.json';\n",
    expect: /^server\/src\/syntax\/parser\.ts: \[layers\] .*row 'server\/src\/syntax' may import only its own folder$/,
  },
  {
    name: 'the core importing protocol/',
    file: 'server/src/features/hover.ts',
    text: "import type { Report } from '../../../protocol/protocol';\n",
    expect:
      /^server\/src\/features\/hover\.ts: \[layers\] imports \.\.\/\.\.\/\.\.\/protocol\/protocol .*layer 'protocol'/,
  },
  {
    name: 'an adapter importing around the door (lsp → exposure)',
    file: 'server/src/lsp/server.ts',
    text: "import { score } from '../exposure';\n",
    expect:
      /^server\/src\/lsp\/server\.ts: \[door\] imports \.\.\/exposure .*row 'server\/src\/lsp' may import only .*adapters reach the core only through service\.ts/,
  },
  {
    name: 'a type-only import around the door (cli → syntax)',
    file: 'server/src/cli/main.ts',
    text: "import type { parse } from '../syntax/parser';\n",
    expect: /^server\/src\/cli\/main\.ts: \[door\] imports \.\.\/syntax\/parser .*row 'server\/src\/cli'/,
  },
  {
    name: 'an adapter importing a file of the facade folder other than its index',
    file: 'server/src/lsp/convert.ts',
    text: "import { own } from '../service/analysis';\n",
    expect: /^server\/src\/lsp\/convert\.ts: \[door\] imports \.\.\/service\/analysis /,
  },
  {
    name: 'an adapter taking a function of the door other than the service object',
    file: 'server/src/cli/main.ts',
    text: "import { scoreNow, type Hover as H } from '../service';\n",
    expect:
      /^server\/src\/cli\/main\.ts: \[door\] imports scoreNow from \.\.\/service; an adapter takes only hardeningService or createHardeningService or batchService or createBatchService and types from it/,
  },
  {
    name: 'an adapter importing the whole door as a namespace',
    file: 'server/src/lsp/server.ts',
    text: "import * as core from '../service';\n",
    expect: /^server\/src\/lsp\/server\.ts: \[door\] imports the door \.\.\/service as a whole/,
  },
  {
    name: 'an adapter importing the other adapter',
    file: 'server/src/cli/main.ts',
    text: "import { convert } from '../lsp/convert';\n",
    expect:
      /^server\/src\/cli\/main\.ts: \[layers\] imports \.\.\/lsp\/convert .*layer 'server\/src\/lsp'.*row 'server\/src\/cli' may import only [^(]*$/,
  },
  {
    name: 'a core file importing node:fs',
    file: 'server/src/rules/sandbox.ts',
    text: "import { readFileSync } from 'node:fs';\n",
    expect:
      /^server\/src\/rules\/sandbox\.ts: \[packages\] the core must not import node:fs \(no I\/O\); row 'server\/src\/rules'/,
  },
  {
    name: 'a core file importing a package by name',
    file: 'server/src/exposure/index.ts',
    text: "import { join } from 'node:path';\n",
    expect:
      /^server\/src\/exposure\/index\.ts: \[packages\] imports the package node:path; row 'server\/src\/exposure'/,
  },
  {
    name: 'the core importing io/',
    file: 'server/src/evidence/use.ts',
    text: "import { read } from '../io/read-file';\n",
    expect: /^server\/src\/evidence\/use\.ts: \[layers\] imports \.\.\/io\/read-file .*layer 'server\/src\/io'/,
  },
  {
    name: 'a side-effect import of a layer above',
    file: 'server/src/exposure/index.ts',
    text: "import '../features/hover';\n",
    expect: /^server\/src\/exposure\/index\.ts: \[layers\] imports \.\.\/features\/hover /,
  },
  {
    name: 'an adapter reading a file around io/',
    file: 'server/src/lsp/convert.ts',
    text: "import { existsSync, readFileSync as read } from 'node:fs';\n",
    expect: /^server\/src\/lsp\/convert\.ts: \[io\] imports readFileSync from node:fs outside io\//,
  },
  {
    name: 'an adapter importing node:fs as a whole',
    file: 'server/src/cli/main.ts',
    text: "import * as fs from 'node:fs';\n",
    expect: /^server\/src\/cli\/main\.ts: \[io\] imports node:fs as a whole outside io\//,
  },
  {
    name: 'an adapter importing fs/promises',
    file: 'server/src/lsp/convert.ts',
    text: "import { stat } from 'node:fs/promises';\n",
    expect: /^server\/src\/lsp\/convert\.ts: \[io\] imports node:fs\/promises outside io\//,
  },
  {
    name: 'the core using process',
    file: 'server/src/model/build.ts',
    text: 'export const home = process.env.HOME;\n',
    expect: /^server\/src\/model\/build\.ts: \[process\] the core must not use process$/,
  },
  {
    name: 'console output in the language server',
    file: 'server/src/lsp/convert.ts',
    text: "console.log('x');\n",
    expect: /^server\/src\/lsp\/convert\.ts: \[console\] /,
  },
  {
    name: 'a write to stdout in the language server outside its transport',
    file: 'server/src/lsp/convert.ts',
    text: "process.stdout.write('x');\n",
    expect: /^server\/src\/lsp\/convert\.ts: \[console\] process\.stdout outside the CLI and lsp\/transport\.ts/,
  },
  {
    name: 'code generated at run time',
    file: 'server/src/features/hover.ts',
    text: "export const f = new Function('return 1');\n",
    expect: /^server\/src\/features\/hover\.ts: \[no-codegen\] /,
  },
  {
    name: 'vscode-languageserver outside lsp/',
    file: 'server/src/cli/main.ts',
    text: "import { createConnection } from 'vscode-languageserver/node';\n",
    expect:
      /^server\/src\/cli\/main\.ts: \[packages\] only server\/src\/lsp may import vscode-languageserver\/node; row 'server\/src\/cli'/,
  },
  {
    name: 'vscode outside client/',
    file: 'server/src/lsp/convert.ts',
    text: "import * as vscode from 'vscode';\n",
    expect: /^server\/src\/lsp\/convert\.ts: \[packages\] only client\/ may import vscode; row 'server\/src\/lsp'/,
  },
  {
    name: 'the client importing server code',
    file: 'client/src/extension.ts',
    text: "import { service } from '../../server/src/service';\n",
    expect:
      /^client\/src\/extension\.ts: \[layers\] imports \.\.\/\.\.\/server\/src\/service .*row 'client\/src' may import only protocol$/,
  },
  {
    name: 'protocol/ importing anything',
    file: 'protocol/protocol.ts',
    text: "import type { parse } from '../server/src/syntax/parser';\n",
    expect: /^protocol\/protocol\.ts: \[layers\] .*row 'protocol' may import only its own folder$/,
  },
  {
    name: 'a folder missing from the layer table',
    file: 'server/src/cache/store.ts',
    text: 'export const store = 1;\n',
    expect: /^server\/src\/cache\/store\.ts: \[layers\] its folder is not in the layer table/,
  },
  {
    name: 'an import of a folder missing from the table',
    file: 'server/src/features/hover.ts',
    text: "import { bench } from '../../../bench/lsp';\n",
    expect:
      /^server\/src\/features\/hover\.ts: \[layers\] imports \.\.\/\.\.\/\.\.\/bench\/lsp \(bench\/lsp\), a folder not in the layer table$/,
  },
];

for (const plant of PLANTS) {
  test(`lint fails on ${plant.name}`, () => {
    const root = cleanTree();
    mkdirSync(dirname(join(root, plant.file)), { recursive: true });
    appendFileSync(join(root, plant.file), plant.text);
    const r = runLint(root);
    assert.equal(r.status, 1, r.out);
    assert.equal(r.problems.length, 1, r.out);
    assert.match(r.problems[0], plant.expect);
    rmSync(root, { recursive: true });
  });
}

// The same three plants in a copy of the real tree: each adds its own problem and nothing else.
const REAL_PLANTS = [
  {
    file: 'server/src/model/build.ts',
    text: "import type { Diagnostic } from '../rules/diagnostic';\n",
    expect: /^server\/src\/model\/build\.ts: \[layers\] imports \.\.\/rules\/diagnostic .*row 'server\/src\/model'/,
  },
  {
    file: 'server/src/lsp/units.ts',
    text: "import { scoreUnit } from '../exposure';\n",
    expect: /^server\/src\/lsp\/units\.ts: \[door\] imports \.\.\/exposure /,
  },
  {
    file: 'server/src/exposure/score.ts',
    text: "import { readFileSync } from 'node:fs';\n",
    expect: /^server\/src\/exposure\/score\.ts: \[packages\] the core must not import node:fs/,
  },
];

test('each plant in a copy of the real tree adds exactly its own problem', () => {
  const root = mkdtempSync(join(tmpdir(), 'sh-lint-real-'));
  for (const d of ['server/src', 'server/data', 'client/src', 'protocol'])
    cpSync(join(ROOT, d), join(root, d), { recursive: true });
  for (const f of ['package.json', 'ARCHITECTURE.md']) cpSync(join(ROOT, f), join(root, f));
  const before = runLint(root);
  // The copy reports what the repository reports.
  assert.deepEqual(before.problems, runLint(ROOT).problems);
  for (const plant of REAL_PLANTS) {
    appendFileSync(join(root, plant.file), plant.text);
    const after = runLint(root);
    assert.equal(after.status, 1, after.out);
    const added = after.problems.filter((p) => !before.problems.includes(p));
    assert.equal(added.length, 1, after.out);
    assert.match(added[0], plant.expect);
    cpSync(join(ROOT, plant.file), join(root, plant.file));
  }
  rmSync(root, { recursive: true });
});
