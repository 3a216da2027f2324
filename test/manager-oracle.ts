/**
 * The running figure of a systemd version from tests: that version's own manager, started once per test
 * file through ../shared/oracles/manager-oracle.sh (PID 1 of new namespaces, root needed), asked about a
 * whole batch of units with one daemon-reload, and stopped in the file's after() hook (and, should the
 * process end without it, on exit), with a check that no `sa-oracle-V` cgroup or manager process is left.
 *
 *   const m = managerOracle(239);          // registers the after() hook of this file
 *   const rows = await m.answer(items);    // starts the manager the first time
 *
 * A template is asked as the instance the engine names it (analysedUnitName(): `foo@i.service`, 257 on
 * `foo@test_instance.service`, as --offline=yes names it), so ours and the manager's scored_unit compare.
 * (`systemd-analyze security foo@.service` asked of a manager would pick `foo@test-instance.service`.)
 *
 * One manager per version per machine: manager-oracle.sh names its cgroup and state by version only, so
 * two test files (or a test and a person) must not use the same version at once. answer() refuses to
 * take over a manager it did not start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { analysedUnitName } from '../server/src/model/security-inputs';
import { encodeText } from '../server/src/syntax/bytes';
import { MANAGER_SCRIPT, type ManagerVersion, oraclesDir } from './oracle';

/** The instance a template is analysed as: the one the engine names it for the version. */
export function managerInstance(version: number): string {
  return /@(.*)\.service$/.exec(analysedUnitName('x@.service', version))![1]!;
}

/** One unit to analyse: its files relative to a folder of its own, and the name to analyse. */
export interface ManagerItem {
  /** The unit to analyse (a template is analysed as instance managerInstance(version), like --offline=yes). */
  name: string;
  /** The fragment file (the template for an instance), relative to the item's folder. */
  fragment: string;
  /** Files relative to the item's folder: the fragment and `NAME.d/x.conf` drop-ins. */
  files: ReadonlyArray<{ name: string; text: string }>;
}

/** A check row as manager-oracle.sh parses it from the table (pre-250 output has no json_field of its own). */
export interface ManagerCheck {
  set: boolean | null;
  name: string;
  json_field?: string;
  description: string;
  exposure: string | null;
}

/** manager-oracle.sh's answer for one item (`--json-rows`). */
export interface ManagerRow {
  item: string;
  unit: string;
  scored_unit: string | null;
  exit_code: number;
  exposure: number | null;
  band: string | null;
  checks: ManagerCheck[] | null;
  stderr: string;
  /** The manager's LoadState/LoadError when analyze failed. */
  load: string | null;
}

export interface ManagerOracle {
  readonly version: ManagerVersion;
  /** Starts the manager (if this handle has not yet); resolves to the milliseconds the start took, 0 if it was up. */
  start(): Promise<number>;
  /** Answers the items in order, with as few daemon-reloads as their names allow (one when names are unique). */
  answer(items: readonly ManagerItem[]): Promise<ManagerRow[]>;
  /** Stops the manager; returns what is left of it (cgroup, processes), empty when all is gone. */
  stop(): string[];
}

function runScript(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('bash', [MANAGER_SCRIPT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) =>
      resolveRun({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/**
 * The folder (under SYSTEMD_ORACLES_DIR) and name manager-oracle.sh knows a manager by: the version for its
 * system manager, `<V>u` for its user manager (scripts/user-manager-oracle-layout.sh writes that folder).
 */
export function managerFolder(version: number, user = false): string {
  return user ? `${version}u` : String(version);
}

/** The cgroup folders manager-oracle.sh may have made for a manager folder (cgroup2, hybrid, legacy). */
function cgroupsOf(folder: string): string[] {
  return [
    `/sys/fs/cgroup/sa-oracle-${folder}`,
    `/sys/fs/cgroup/unified/sa-oracle-${folder}`,
    `/sys/fs/cgroup/systemd/sa-oracle-${folder}`,
  ];
}

/** What is left of a manager: its cgroup folders, and its PID 1 if that process still exists. */
export function managerLeftovers(folder: string | number, pid: number | null): string[] {
  const left = cgroupsOf(String(folder)).filter((p) => existsSync(p));
  if (pid !== null && existsSync(`/proc/${pid}`)) left.push(`process ${pid}`);
  return left;
}

function pidFile(folder: string): string {
  return join(oraclesDir(), folder, 'manager-state', 'pid1');
}

function readPid(folder: string): number | null {
  try {
    const n = Number(readFileSync(pidFile(folder), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

const handles = new Map<string, ManagerOracle>();

/**
 * The manager oracle of a version for this test file: made once, stopped in the file's after() hook.
 * Call it at the top level of the test file (not inside a test), so the hook belongs to the file.
 * `user`: the version's user manager (`systemd --user`, folder `<V>u`) instead of its system manager.
 */
export function managerOracle(version: ManagerVersion, user = false): ManagerOracle {
  const folder = managerFolder(version, user);
  const known = handles.get(folder);
  if (known) return known;
  const handle = createManagerOracle(version, user);
  handles.set(folder, handle);
  after(() => {
    const left = handle.stop();
    if (left.length) throw new Error(`systemd ${folder} manager oracle not fully stopped: ${left.join(', ')}`);
  });
  return handle;
}

/**
 * A manager oracle outside the test runner (scripts): stopped by stop(), or when the process exits or
 * is interrupted (SIGINT, SIGTERM, SIGHUP) before that.
 */
export function createManagerOracle(version: ManagerVersion, user = false): ManagerOracle {
  const folder = managerFolder(version, user);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ORACLE_INSTANCE: managerInstance(version),
    SYSTEMD_ORACLES_DIR: oraclesDir(),
  };
  let started = false;
  let pid: number | null = null;
  const stop = (): string[] => {
    if (!started) return [];
    started = false;
    const r = spawnSync('bash', [MANAGER_SCRIPT, folder, 'stop'], { env, encoding: 'utf8' });
    const left = managerLeftovers(folder, pid);
    if (r.status !== 0) left.push(`manager-oracle.sh ${folder} stop: exit ${r.status} ${r.stderr.trim()}`);
    return left;
  };
  const handle: ManagerOracle = {
    version,
    async start() {
      if (started) return 0;
      if (spawnSync('bash', [MANAGER_SCRIPT, folder, 'status'], { env }).status === 0)
        throw new Error(
          `a systemd ${folder} manager oracle is already running (pid ${readPid(folder)}), started by someone else; ` +
            `stop it with ${MANAGER_SCRIPT} ${folder} stop when it is not in use`,
        );
      const t0 = Date.now();
      started = true;
      const r = await runScript([folder, 'start'], env);
      pid = readPid(folder);
      if (r.status !== 0) throw new Error(`manager-oracle.sh ${folder} start: exit ${r.status}: ${r.stderr.trim()}`);
      return Date.now() - t0;
    },
    async answer(items) {
      if (items.length === 0) return [];
      await handle.start();
      const dir = mkdtempSync(join(tmpdir(), `sh-manager-${version}-`));
      try {
        const args = items.map((it, i) => {
          const sub = join(dir, String(i).padStart(5, '0'));
          for (const f of it.files) {
            const p = join(sub, f.name);
            mkdirSync(dirname(p), { recursive: true });
            writeFileSync(p, encodeText(f.text));
          }
          return `${it.name}=${join(sub, it.fragment)}`;
        });
        const r = await runScript([folder, 'security', '--json-rows', ...args], env);
        const rows = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as ManagerRow);
        if (r.status !== 0 || rows.length !== items.length || rows.some((row, i) => row.item !== args[i]))
          throw new Error(
            `manager-oracle.sh ${folder} security: exit ${r.status}, ${rows.length} rows for ${items.length} items: ${r.stderr.slice(-2000)}`,
          );
        return rows;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    stop,
  };
  process.on('exit', () => {
    stop();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      stop();
      process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15));
    });
  return handle;
}
