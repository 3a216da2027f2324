#!/usr/bin/env node
// Runs the test tiers with Node's own test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs            every tier
//   node scripts/run-tests.mjs unit fuzz  only those tiers (folders under test/)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TIERS = ['unit', 'fuzz', 'conformance', 'cli', 'lsp', 'e2e'];
const wanted = process.argv.slice(2);
const tiers = wanted.length ? wanted : TIERS;
for (const t of tiers) if (!TIERS.includes(t)) {
  console.error(`unknown test tier '${t}'; tiers: ${TIERS.join(', ')}`);
  process.exit(2);
}

function find(dir) {
  let out = [];
  let names;
  try { names = readdirSync(dir).sort(); } catch { return out; }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = tiers.flatMap((t) => find(join('test', t)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
