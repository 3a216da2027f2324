/** Running the built CLI and writing input files for the CLI tests. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers';
import { oraclePath, runOracle } from '../oracle';

/** The built CLI; SH_TEST_CLI runs the tests against another build (e.g. an older one, to see a test fail). */
export const CLI = process.env.SH_TEST_CLI ?? join(ROOT, 'dist', 'cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the run was killed at its timeout. */
  timedOut: boolean;
}

export function cli(...args: string[]): CliRun {
  return cliIn(undefined, args);
}

/**
 * Runs the CLI in `cwd`, killed after `timeoutMs` (a generous bound: a test for "no longer hangs"
 * checks the run ended with the documented code, not how fast).
 */
export function cliIn(cwd: string | undefined, args: readonly string[], timeoutMs = 60_000): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.signal === 'SIGKILL' };
}

/** Writes `text` to `root/rel`, creating folders; returns the path. */
export function writeUnder(root: string, rel: string, text: string | Buffer): string {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/**
 * The overall exposure the real systemd-analyze 252 prints (its table form) for these arguments,
 * or null when it is not installed (callers ask need(t, 'systemd-analyze 252') first, test/requirements.ts).
 */
export function oracleExposure(args: readonly string[], cwd: string): string | null {
  const bin = oraclePath(252);
  if (!bin) return null;
  const r = runOracle(bin, ['security', '--offline=yes', '--no-pager', ...args], cwd);
  return /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout)?.[1] ?? null;
}

/** The unit name the real systemd-analyze 252 reports, or null when it is not installed. */
export function oracleUnit(args: readonly string[], cwd: string): string | null {
  const bin = oraclePath(252);
  if (!bin) return null;
  const r = runOracle(bin, ['security', '--offline=yes', '--no-pager', ...args], cwd);
  return /Overall exposure level for (\S+):/.exec(r.stdout)?.[1] ?? null;
}
