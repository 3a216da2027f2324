/** Finding and running the real systemd-analyze binaries (the judges) from tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SHARED } from './helpers';

/** The offline oracles the engine follows, installed everywhere (CI too) by scripts/setup-test-env.sh. */
export const ORACLE_VERSIONS = [252, 254, 257, 262] as const;
export type OracleVersion = (typeof ORACLE_VERSIONS)[number];

/** Path of the real systemd-analyze of a version, or null when it is not installed. */
export function oraclePath(version: OracleVersion): string | null {
  if (version === 252) return existsSync('/usr/bin/systemd-analyze') ? '/usr/bin/systemd-analyze' : null;
  const p = join(oraclesDir(), String(version), 'systemd-analyze');
  return existsSync(p) ? p : null;
}

/**
 * The oracles of issue 14 that CI cannot have (built from source, or a whole manager run as root), each
 * under a key: `239m` is systemd 239's running figure, asked of its own manager through
 * ../shared/oracles/manager-oracle.sh; `255` is 255's `--offline=yes` figure from a built binary.
 * test/oracle-data holds their answers for CI (README.md there says how they were made).
 */
export const STORED_ORACLE_KEYS = ['239m', '245m', '247m', '249m', '252m', '254m', '255', '257m', '262m'] as const;
export type StoredOracleKey = (typeof STORED_ORACLE_KEYS)[number];
export type Figure = 'offline' | 'running';

/**
 * The systemd versions asked through their running manager (manager-oracle.sh). 254, 257 and 262 are the
 * Debian trees install-systemd-analyze.sh unpacks; scripts/manager-oracle-layout.sh gives them the
 * `bin/` layout manager-oracle.sh runs.
 */
export const MANAGER_VERSIONS = [239, 245, 247, 249, 252, 254, 257, 262] as const;
export type ManagerVersion = (typeof MANAGER_VERSIONS)[number];

/** A key's version and figure: `239m` → 239 running (manager), `255` → 255 offline. */
export function oracleKey(key: StoredOracleKey): { version: number; figure: Figure } {
  return { version: Number.parseInt(key, 10), figure: key.endsWith('m') ? 'running' : 'offline' };
}

/** Where the oracle binaries live: SYSTEMD_ORACLES_DIR, default ~/.cache/systemd-oracles. */
export function oraclesDir(): string {
  return process.env.SYSTEMD_ORACLES_DIR ?? join(homedir(), '.cache', 'systemd-oracles');
}

/** ../shared/oracles/manager-oracle.sh (start, batch, stop a version's own manager). */
export const MANAGER_SCRIPT = join(SHARED, 'oracles', 'manager-oracle.sh');

/** The major version of the host's own systemd manager, or null. */
function hostManagerMajor(): number | null {
  const r = spawnSync('/lib/systemd/systemd', ['--version'], { encoding: 'utf8' });
  const m = /^systemd (\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * Why the manager oracle of a version cannot run here (a sentence), or null when it can: it needs root,
 * manager-oracle.sh, and a layout of that version's `systemd` and `systemd-analyze` that manager-oracle.sh
 * runs: `bin/` (build-systemd-analyze.sh, or scripts/manager-oracle-layout.sh for the Debian trees of 254,
 * 257 and 262), bullseye's tree with its own loader (install-systemd-analyze.sh 247), or the host's own.
 */
export function managerOracleMissing(version: ManagerVersion): string | null {
  if (!existsSync(MANAGER_SCRIPT)) return `${MANAGER_SCRIPT} not found`;
  if (process.getuid?.() !== 0) return 'the manager oracle runs systemd as PID 1 of new namespaces, which needs root';
  const d = join(oraclesDir(), String(version));
  if (existsSync(join(d, 'bin', 'systemd')) && existsSync(join(d, 'bin', 'systemd-analyze'))) return null;
  const root = join(d, 'root');
  if (
    existsSync(join(root, 'lib', 'systemd', 'systemd')) &&
    existsSync(join(root, 'lib', 'x86_64-linux-gnu', 'ld-linux-x86-64.so.2'))
  )
    return null;
  if (hostManagerMajor() === version) return null;
  if (existsSync(join(root, 'lib', 'systemd', 'systemd')) || existsSync(join(root, 'usr', 'lib', 'systemd', 'systemd')))
    return `${d} holds systemd ${version}'s manager in a layout manager-oracle.sh does not run: scripts/manager-oracle-layout.sh ${version} adds it`;
  return `no systemd ${version} manager in ${d} (build-systemd-analyze.sh or install-systemd-analyze.sh makes one) and the host's is not ${version}`;
}

/**
 * Why the user manager (`systemd --user`) of a version cannot be asked here, or null when it can: root,
 * manager-oracle.sh, and the folder `<V>u` that scripts/user-manager-oracle-layout.sh writes.
 */
export function userManagerMissing(version: number): string | null {
  if (!existsSync(MANAGER_SCRIPT)) return `${MANAGER_SCRIPT} not found`;
  if (process.getuid?.() !== 0) return 'the user manager oracle runs systemd in new namespaces, which needs root';
  const d = join(oraclesDir(), `${version}u`);
  if (existsSync(join(d, 'bin', 'systemd')) && existsSync(join(d, 'bin', 'systemd-analyze'))) return null;
  return `no ${d}: scripts/user-manager-oracle-layout.sh ${version} writes it`;
}

/** Why a stored key's live oracle cannot run here, or null when it can. */
export function liveOracleMissing(key: StoredOracleKey): string | null {
  const { version, figure } = oracleKey(key);
  if (figure === 'running') return managerOracleMissing(version as ManagerVersion);
  const p = join(oraclesDir(), String(version), 'systemd-analyze');
  return existsSync(p) ? null : `${p} not found (../shared/oracles/build-systemd-analyze.sh makes it)`;
}

/** The systemd-analyze of an offline key (e.g. 255), whether or not it exists. */
export function offlineOraclePath(version: number): string {
  if (version === 252) return '/usr/bin/systemd-analyze';
  return join(oraclesDir(), String(version), 'systemd-analyze');
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
