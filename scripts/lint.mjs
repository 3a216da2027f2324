#!/usr/bin/env node
// Architecture lint: keeps the invariants of ARCHITECTURE.md true.
//  - the core (everything in server/src but lsp/, cli/ and io/) does no I/O: no node:fs, child_process,
//    process, console;
//  - io/ (the adapters' shared disk access) is imported by the adapters only;
//  - only server/src/lsp imports vscode-languageserver*; only client/ imports vscode;
//  - the client never imports server code;
//  - no console output in the language server (stdout is the protocol);
//  - no code generated at run time (eval, new Function) anywhere in server/src or client/src: the
//    bundles must run where a content security policy or --disallow-code-generation-from-strings forbids it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir) {
  let out = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const problems = [];
const importRe = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const file of [...walk('server/src'), ...walk('client/src')]) {
  const rel = relative('.', file);
  const text = readFileSync(file, 'utf8');
  const imports = [...text.matchAll(importRe)].map((m) => m[1] ?? m[2] ?? m[3]);
  const isClient = rel.startsWith('client/');
  const isLsp = rel.startsWith('server/src/lsp/');
  const isCli = rel.startsWith('server/src/cli/');
  const isIo = rel.startsWith('server/src/io/');
  const isCore = !isClient && !isLsp && !isCli && !isIo;
  for (const m of imports) {
    if (isCore && /^(node:)?(fs|fs\/promises|child_process|process|os|net|http|https|worker_threads)$/.test(m)) problems.push(`${rel}: the core must not import ${m}`);
    if (!isLsp && /^vscode-languageserver/.test(m)) problems.push(`${rel}: only server/src/lsp may import ${m}`);
    if (!isClient && m === 'vscode') problems.push(`${rel}: only client/ may import vscode`);
    if (isClient && m.includes('server/src')) problems.push(`${rel}: the client must not import server code (${m})`);
    if (isCore && /(^|\/)io\//.test(m)) problems.push(`${rel}: only the adapters (cli/, lsp/) may import io/ (${m})`);
  }
  if (isCore && /\bprocess\.(env|argv|exit|stdout|stderr|cwd)\b/.test(text)) problems.push(`${rel}: the core must not use process`);
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  if (/\bnew\s+Function\b|(?<![.\w])eval\s*\(|\bFunction\s*\(\s*['"`]/.test(code)) problems.push(`${rel}: no code generated at run time (eval, new Function)`);
  if (!isCli && !isClient && /(?<![.\w])console\.(log|info|debug|warn|error)\b/.test(text)) problems.push(`${rel}: no console output in server code (stdout is the protocol)`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: architecture invariants hold');
