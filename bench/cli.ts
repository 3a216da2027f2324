/**
 * `npm run bench`, CLI part: the built CLI on folders that once made it quadratic. Numbers, not assertions.
 *   check: folder with 10,000 drop-ins (one unit; every file reported, each read and analysed once).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio: 'ignore' });
  if (r.error) throw r.error;
  return (performance.now() - t0) / 1000;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

const lines: string[] = [];
if (!existsSync(CLI)) lines.push('check: folder with 10,000 drop-ins: skipped (run npm run build)');
else {
  const dir = mkdtempSync(join(tmpdir(), 'sh-bench-dropins-'));
  try {
    writeFileSync(join(dir, 'big.service'), '[Service]\nExecStart=/bin/true\n');
    mkdirSync(join(dir, 'big.service.d'));
    for (let i = 0; i < 10_000; i++)
      writeFileSync(
        join(dir, 'big.service.d', `${String(i).padStart(5, '0')}.conf`),
        `[Service]\nEnvironment=A${i}=1\n`,
      );
    const RUNS = 3;
    const times = Array.from({ length: RUNS }, () => wall(['check', '--format', 'json', dir]));
    lines.push(
      `check: folder with 10,000 drop-ins: ${median(times).toFixed(2)} s (median of ${RUNS} runs, whole process)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(lines.join('\n') + '\n');
