#!/usr/bin/env node
// Runs the test tiers with Node's own test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs            every tier
//   node scripts/run-tests.mjs unit fuzz  only those tiers (folders under test/)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TIERS = ['unit', 'fuzz', 'conformance', 'cli', 'lsp', 'e2e', 'boot'];
const wanted = process.argv.slice(2);
const tiers = wanted.length ? wanted : TIERS;
for (const t of tiers)
  if (!TIERS.includes(t)) {
    console.error(`unknown test tier '${t}'; tiers: ${TIERS.join(', ')}`);
    process.exit(2);
  }

function find(dir) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// The editor tier drives a real workbench: it runs alone, after the others, so CPU-heavy conformance
// tests running beside it cannot slow the workbench into a timeout. The boot tier (real systemd in
// systemd-nspawn, test/boot/README.md) runs alone too, last.
const SOLO = new Set(['e2e', 'boot']);
const groups = [tiers.filter((t) => !SOLO.has(t)), ...tiers.filter((t) => SOLO.has(t)).map((t) => [t])].filter(
  (g) => g.length,
);
let passed = 0;
let failed = 0;
let skipped = 0;
let todo = 0;
/** Tests marked todo (they run, but do not fail the run): the work each waits for, by test. */
const todos = [];
/** Skips for want of something (test/requirements.ts: "# SKIP needs WHAT: ..."), counted by WHAT. */
const wants = new Map();
let status = 0;
let ran = 0;
for (const group of groups) {
  const files = group.flatMap((t) => find(join('test', t)));
  if (files.length === 0) continue;
  ran += files.length;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${group.some((t) => SOLO.has(t)) ? 1 : 2}`, ...files],
    { stdio: ['inherit', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    out += chunk.toString();
  });
  const r = await new Promise((resolve) => child.on('close', (code) => resolve({ status: code })));
  passed += Number(/^# pass (\d+)$/m.exec(out)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)$/m.exec(out)?.[1] ?? 0);
  skipped += Number(/^# skipped (\d+)$/m.exec(out)?.[1] ?? 0);
  todo += Number(/^# todo (\d+)$/m.exec(out)?.[1] ?? 0);
  for (const m of out.matchAll(/^\s*(not ok|ok) \d+ - (.*?) # TODO (.*)$/gm))
    todos.push(`${m[1] === 'ok' ? 'passes' : 'fails'}: ${m[2]} (${m[3]})`);
  for (const m of out.matchAll(/^\s*ok \d+ .*? # SKIP needs (.+?):/gm)) wants.set(m[1], (wants.get(m[1]) ?? 0) + 1);
  if (r.status !== 0) status = r.status ?? 1;
}
if (ran === 0) {
  console.error('no test files found');
  process.exit(1);
}
// One closing line over every group, and one for the tests skipped because something they need is missing.
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped, ${todo} todo`);
if (todos.length) console.log(`todo (run, not counted as passes or failures):\n  ${todos.join('\n  ')}`);
if (wants.size) {
  const list = [...wants].map(([what, n]) => `${what} (${n})`).join(', ');
  console.log(`skipped for want of: ${list}; the SKIP lines above say how to get each (CONTRIBUTING.md, "Set-up")`);
}
process.exit(status || (failed ? 1 : 0));
