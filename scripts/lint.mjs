#!/usr/bin/env node
// Architecture lint: keeps the invariants of ARCHITECTURE.md true.
//   node scripts/lint.mjs [root]     root: the repository to check (default: this one)
//   node scripts/lint.mjs --table    prints the layer table as ARCHITECTURE.md shows it
//
// Rules (each error names its rule):
//  - layers: a file imports only its own folder and the folders its row of LAYERS lists. The core's
//    layers form one line (syntax → knowledge → model → evidence → exposure → rules → features →
//    service.ts): a layer imports only layers below it. A folder missing from the table is an error,
//    both for the file that lives there and for a file that imports it. Type-only imports count.
//  - door: lsp/ and cli/ reach the core only through service.ts (or service/index.ts), beside
//    protocol/, io/ and their own folder (their rows of LAYERS); and from the door they take only the
//    service object (DOOR_OBJECTS) and types, not the functions it also exports for the core's tests.
//  - packages: a file imports only the packages its row of PACKAGES allows: the core none (no I/O:
//    no node:fs, child_process, process, …), only lsp/ imports vscode-languageserver*, only client/
//    imports vscode and vscode-languageclient, protocol/ imports nothing;
//  - io: lsp/ and cli/ open, read and write files only through io/ (read-file.ts: bounded, regular
//    files only; write-file.ts): they import node:fs by name only, without its open/read/write
//    functions, and node:fs/promises not at all;
//  - process: the core does not use process (env, argv, exit, stdout, stderr, cwd);
//  - console: no console output in server code outside the CLI, and no process.stdout outside the CLI
//    and lsp/transport.ts (the language server's stdout is the protocol);
//  - docs: ARCHITECTURE.md (when the root has one) shows the layer table exactly as LAYERS says it;
//  - no-codegen: no code generated at run time (eval, new Function) anywhere in server/src, client/src
//    or protocol/: the bundles must run where a content security policy or
//    --disallow-code-generation-from-strings forbids it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SYNTAX = 'server/src/syntax';
const KNOWLEDGE = 'server/src/knowledge';
const MODEL = 'server/src/model';
const EVIDENCE = 'server/src/evidence';
const EXPOSURE = 'server/src/exposure';
const RULES = 'server/src/rules';
const FEATURES = 'server/src/features';
const DATA = 'server/data';
const DOOR = ['server/src/service.ts', 'server/src/service/index.ts'];
/**
 * The values an adapter may import from the door: the one service object, or the factory that makes one, and the
 * same without the editor's requests (the CLI's, so that its bundle carries no completion or hover).
 */
export const DOOR_OBJECTS = ['hardeningService', 'createHardeningService', 'batchService', 'createBatchService'];

// The layer table. A row: a folder (or a single file), and the folders and files it may import besides
// its own folder. A path belongs to the row with the longest key that contains it.
export const LAYERS = {
  // The core, bottom to top: each layer imports only layers before it.
  [SYNTAX]: [],
  [KNOWLEDGE]: [DATA],
  [MODEL]: [SYNTAX, KNOWLEDGE, DATA],
  [EVIDENCE]: [SYNTAX, KNOWLEDGE, MODEL],
  [EXPOSURE]: [SYNTAX, KNOWLEDGE, MODEL, EVIDENCE, DATA],
  [RULES]: [SYNTAX, KNOWLEDGE, MODEL, EVIDENCE, EXPOSURE, DATA],
  [FEATURES]: [SYNTAX, KNOWLEDGE, MODEL, EVIDENCE, EXPOSURE, RULES, DATA],
  // The door: the facade, one file or one folder.
  'server/src/service.ts': [SYNTAX, KNOWLEDGE, MODEL, EVIDENCE, EXPOSURE, RULES, FEATURES, 'server/src/service'],
  'server/src/service': [SYNTAX, KNOWLEDGE, MODEL, EVIDENCE, EXPOSURE, RULES, FEATURES],
  // The adapters, through the door, and what they share.
  'server/src/io': [],
  'server/src/wire': [...DOOR, 'protocol'],
  'server/src/lsp': [...DOOR, 'server/src/io', 'server/src/wire', 'protocol', 'package.json'],
  'server/src/cli': [...DOOR, 'server/src/io', 'server/src/wire', 'protocol'],
  'client/src': ['protocol'],
  protocol: [],
  // Imported, never checked: JSON.
  [DATA]: [],
  'package.json': [],
};

// Which packages (imports by name, not by path) each row may use.
const NODE = /^node:/;
export const PACKAGES = {
  'server/src/io': [NODE],
  'server/src/lsp': [NODE, /^vscode-languageserver(-textdocument)?(\/node)?$/],
  'server/src/cli': [NODE],
  'client/src': [NODE, /^vscode$/, /^vscode-languageclient(\/node)?$/],
};

const ADAPTERS = new Set(['server/src/lsp', 'server/src/cli', 'server/src/wire']);
const CORE_ROWS = new Set([
  SYNTAX,
  KNOWLEDGE,
  MODEL,
  EVIDENCE,
  EXPOSURE,
  RULES,
  FEATURES,
  'server/src/service.ts',
  'server/src/service',
]);
const SCANNED = ['server/src', 'client/src', 'protocol'];

/** The row of LAYERS a repository path belongs to, or undefined. */
function rowOf(path) {
  let best;
  for (const key of Object.keys(LAYERS))
    if ((path === key || path.startsWith(key + '/')) && (best === undefined || key.length > best.length)) best = key;
  return best;
}

function allowedBy(list, path) {
  return list.some((entry) => path === entry || path.startsWith(entry + '/'));
}

function walk(dir) {
  let out = [];
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** A relative import as a repository path: the .ts file or folder index it names, as the bundler resolves it. */
function target(root, file, spec) {
  const abs = resolve(dirname(file), spec);
  const candidates = [abs + '.ts', join(abs, 'index.ts'), abs];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? abs;
  return relative(root, found).split(sep).join('/');
}

const namedImportRe =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(\{[^}]*\}|\*\s*as\s+\w+|\w+(?:\s*,\s*\{[^}]*\})?)\s*from\s*['"]([^'"]+)['"]/g;
const importRe =
  /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const fsImportRe = /(?:^|\n)\s*import\s+(?:type\s+)?([^'"`;]*?)\s*from\s*['"]((?:node:)?fs(?:\/promises)?)['"]/g;
const FILE_CONTENT =
  /^(open|openSync|read|readSync|readFile|readFileSync|readv|readvSync|createReadStream|write|writeSync|writeFile|writeFileSync|writev|writevSync|appendFile|appendFileSync|createWriteStream|truncate|truncateSync|copyFile|copyFileSync|cp|cpSync)$/;
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|process|os|net|http|https|worker_threads)$/;

/** The layer table as a markdown table, as ARCHITECTURE.md shows it. */
export function layerTableMarkdown() {
  const rows = Object.entries(LAYERS).map(
    ([row, may]) => `| \`${row}\` | ${may.length ? may.map((p) => `\`${p}\``).join(', ') : 'nothing'} |`,
  );
  return ['| folder | may import, besides its own folder |', '|---|---|', ...rows].join('\n');
}

/** Every problem found under root, as lines of text. */
export function lint(root) {
  const problems = [];
  const architecture = join(root, 'ARCHITECTURE.md');
  if (existsSync(architecture) && !readFileSync(architecture, 'utf8').includes(layerTableMarkdown())) {
    problems.push(
      'ARCHITECTURE.md: [docs] does not show the layer table of scripts/lint.mjs as it is (node scripts/lint.mjs --table prints it)',
    );
  }
  for (const file of SCANNED.flatMap((d) => walk(join(root, d)))) {
    const rel = relative(root, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    const row = rowOf(rel);
    if (row === undefined) {
      problems.push(
        `${rel}: [layers] its folder is not in the layer table of scripts/lint.mjs; add a row saying what it may import`,
      );
      continue;
    }
    const isCore = CORE_ROWS.has(row);
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('.')) {
        const to = target(root, file, spec);
        const toRow = rowOf(to);
        if (toRow === row) continue;
        const door = ADAPTERS.has(row) && CORE_ROWS.has(toRow);
        const rule = door ? 'door' : 'layers';
        const why = door ? ' (adapters reach the core only through service.ts)' : '';
        if (toRow === undefined)
          problems.push(`${rel}: [layers] imports ${spec} (${to}), a folder not in the layer table`);
        else if (!allowedBy(LAYERS[row], to))
          problems.push(
            `${rel}: [${rule}] imports ${spec} (${to}, layer '${toRow}'); row '${row}' may import only ${LAYERS[row].join(', ') || 'its own folder'}${why}`,
          );
        continue;
      }
      const allowed = PACKAGES[row] ?? [];
      if (allowed.some((re) => re.test(spec))) continue;
      if (isCore && IO_MODULES.test(spec))
        problems.push(
          `${rel}: [packages] the core must not import ${spec} (no I/O); row '${row}' of PACKAGES allows no package`,
        );
      else if (/^vscode-languageserver/.test(spec))
        problems.push(
          `${rel}: [packages] only server/src/lsp may import ${spec}; row '${row}' of PACKAGES does not allow it`,
        );
      else if (/^vscode(-languageclient)?(\/|$)/.test(spec))
        problems.push(`${rel}: [packages] only client/ may import ${spec}; row '${row}' of PACKAGES does not allow it`);
      else problems.push(`${rel}: [packages] imports the package ${spec}; row '${row}' of PACKAGES does not allow it`);
    }
    if (ADAPTERS.has(row)) {
      for (const m of text.matchAll(namedImportRe)) {
        if (!m[3].startsWith('.') || !DOOR.includes(target(root, file, m[3]))) continue;
        if (m[1]) continue; // import type { … }
        const names = /\{([^}]*)\}/.exec(m[2]);
        const values = names
          ? names[1]
              .split(',')
              .map((n) => n.trim())
              .filter((n) => n !== '' && !n.startsWith('type '))
              .map((n) => n.split(/\s+as\s+/)[0])
          : [];
        const whole = !names || /^\w+\s*,|^\*/.test(m[2].trim());
        const other = values.filter((n) => !DOOR_OBJECTS.includes(n));
        if (whole)
          problems.push(
            `${rel}: [door] imports the door ${m[3]} as a whole; an adapter takes only ${DOOR_OBJECTS.join(' or ')} and types from it`,
          );
        else if (other.length)
          problems.push(
            `${rel}: [door] imports ${other.join(', ')} from ${m[3]}; an adapter takes only ${DOOR_OBJECTS.join(' or ')} and types from it (the other exports are for the core's tests and the bench)`,
          );
      }
      for (const m of text.matchAll(fsImportRe)) {
        const names = /^\{([^}]*)\}$/.exec(m[1].trim());
        const used = names
          ? names[1]
              .split(',')
              .map(
                (n) =>
                  n
                    .trim()
                    .replace(/^type\s+/, '')
                    .split(/\s+as\s+/)[0],
              )
              .filter((n) => FILE_CONTENT.test(n))
          : [];
        if (m[2].endsWith('promises') || !names)
          problems.push(
            `${rel}: [io] imports ${m[2]} ${names ? '' : 'as a whole '}outside io/; files are opened, read and written through server/src/io/`,
          );
        else if (used.length)
          problems.push(
            `${rel}: [io] imports ${used.join(', ')} from ${m[2]} outside io/; files are opened, read and written through server/src/io/`,
          );
      }
    }
    if (isCore && /\bprocess\.(env|argv|exit|stdout|stderr|cwd)\b/.test(text))
      problems.push(`${rel}: [process] the core must not use process`);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    if (/\bnew\s+Function\b|(?<![.\w])eval\s*\(|\bFunction\s*\(\s*['"`]/.test(code))
      problems.push(`${rel}: [no-codegen] no code generated at run time (eval, new Function)`);
    if (
      rel.startsWith('server/src/') &&
      row !== 'server/src/cli' &&
      rel !== 'server/src/lsp/transport.ts' &&
      /\bprocess\.stdout\b/.test(code)
    )
      problems.push(`${rel}: [console] process.stdout outside the CLI and lsp/transport.ts (stdout is the protocol)`);
    if (
      rel.startsWith('server/src/') &&
      row !== 'server/src/cli' &&
      /(?<![.\w])console\.(log|info|debug|warn|error)\b/.test(text)
    )
      problems.push(`${rel}: [console] no console output in server code outside the CLI (stdout is the protocol)`);
  }
  return [...new Set(problems)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === '--table') {
  console.log(layerTableMarkdown());
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = lint(root);
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error(
      `lint: ${problems.length} problem${problems.length === 1 ? '' : 's'} (rules and layer table: scripts/lint.mjs; invariants: ARCHITECTURE.md)`,
    );
    process.exit(1);
  }
  console.log('lint: architecture invariants hold');
}
