/** Finding and running the real systemd-analyze binaries (the judges) from tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const ORACLE_VERSIONS = [252, 254, 257, 262] as const;
export type OracleVersion = (typeof ORACLE_VERSIONS)[number];

/** Path of the real systemd-analyze of a version, or null when it is not installed. */
export function oraclePath(version: OracleVersion): string | null {
  if (version === 252) return existsSync('/usr/bin/systemd-analyze') ? '/usr/bin/systemd-analyze' : null;
  const dir = process.env.SYSTEMD_ORACLES_DIR ?? join(homedir(), '.cache', 'systemd-oracles');
  const p = join(dir, String(version), 'systemd-analyze');
  return existsSync(p) ? p : null;
}

export interface OracleRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a binary so that the host's units and drop-ins stay out: with the unit search path emptied
 * (file arguments), or, when `args` has `--root=`, with the search path left to systemd under that root.
 */
export function runOracle(bin: string, args: readonly string[], cwd?: string): OracleRun {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C.UTF-8', SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' };
  if (args.some((a) => a.startsWith('--root='))) delete env.SYSTEMD_UNIT_PATH;
  else env.SYSTEMD_UNIT_PATH = '';
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
