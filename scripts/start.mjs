#!/usr/bin/env node
// `npm start`: builds the bundles and the VSIX (npm run package), then prints the exposure ranking and
// the diagnostics of the units in examples/, each under a heading, and ends with where the VSIX is and
// how to install it. Stops at the first step that fails, with its exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `systemd-hardening-${version}.vsix`);

function run(what, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.error(`\nnpm start: ${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    process.exit(r.status || 1);
  }
}

console.log('== Building the bundles and the VSIX ==');
run('npm run package', 'npm', ['run', '--silent', 'package']);
console.log('\n== Exposure ranking of examples/ ==');
run('the exposure ranking', process.execPath, ['dist/cli.js', 'score', 'examples']);
console.log('\n== Diagnostics ==');
run('the diagnostics', process.execPath, ['dist/cli.js', 'check', 'examples']);
if (!existsSync(vsix)) {
  console.error(`\nnpm start: ${relative(process.cwd(), vsix)} was not written`);
  process.exit(1);
}
const kb = (statSync(vsix).size / 1024).toFixed(0);
console.log(`\n== The VS Code extension ==\nVSIX: ${vsix} (${kb} KB)`);
console.log(`Install it with: code --install-extension ${relative(process.cwd(), vsix) || vsix}`);
