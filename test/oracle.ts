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

/** Runs a binary with the unit search path emptied, so the host's units and drop-ins stay out. */
export function runOracle(bin: string, args: readonly string[], cwd?: string): OracleRun {
  const r = spawnSync(bin, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, SYSTEMD_UNIT_PATH: '', LC_ALL: 'C.UTF-8', SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
