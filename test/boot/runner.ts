/**
 * Boots a guest's root tree (Debian 12, 13, ...: guests.json) with systemd-nspawn (systemd as the container's PID 1), with an
 * optional hardening drop-in for one unit, and reports how that unit fared.
 *
 * One boot:
 *  - the tree is mounted read-only under a throw-away tmpfs overlay (--volatile=overlay), so every
 *    boot starts from the same clean tree and nothing is written back;
 *  - the service's own files (services.json `files`: an administrator's unit, its program, ...)
 *    are bound read-only at their places;
 *  - the drop-in is bound to /etc/systemd/system/UNIT.d/50-hardening.conf, and a test-only
 *    90-boot-test.conf gives the unit a short TimeoutStartSec= so a never-ready service fails fast;
 *  - the guest probe (scripts/boot/guest/probe.sh) runs as boot-probe.service, which wants the
 *    unit and is ordered after it; it runs the service's own check, reads the unit's state,
 *    exposure and journal into a bound output folder, then powers the guest off;
 *  - every other service of the tree is masked on the guest's command line (systemd.mask=), so a
 *    boot starts only what it tests;
 *  - nspawn runs with its own network namespace (--private-network) and machine name, from a
 *    throw-away cgroup that is emptied and removed afterwards, under a bounded timeout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const PROBE = join(REPO, 'scripts', 'boot', 'guest', 'probe.sh');
export const BUILDER = join(REPO, 'scripts', 'boot', 'build-tree.sh');

export interface BootSpec {
  /** The root tree (from scripts/boot/build-tree.sh). */
  tree: string;
  /** The unit under test, e.g. nginx.service. */
  unit: string;
  /** The service's health check, a shell command line run in the guest. */
  check: string;
  /** The drop-in text for UNIT.d/50-hardening.conf, or null for none (the baseline). */
  dropin: string | null;
  /** Units to mask in this boot (the services not under test). */
  mask: string[];
  /** Log files of the service in the guest, copied out (some services do not log to the journal). */
  logs?: string[];
  /** The whole boot's bound, in seconds (default 120). */
  timeoutS?: number;
  /** The test-only TimeoutStartSec= of the unit under test, in seconds (default 30). */
  startTimeoutS?: number;
  /** Give the guest a pure cgroup2 hierarchy even on a hybrid host (systemd 256 and later need it). */
  unifiedCgroup?: boolean;
  /** Files bound read-only into the guest (a service's own unit, its program, ...): host path to guest path. */
  files?: { guest: string; host: string }[];
}

export interface BootResult {
  /** True when the probe ran to its end; false means the guest hung or nspawn failed. */
  probed: boolean;
  activeState: string;
  subState: string;
  result: string;
  nRestarts: number;
  execMainCode: number;
  execMainStatus: number;
  checkRc: number;
  checkOutput: string;
  /** How many times the probe ran the check (it retries while the unit is active and unrestarted). */
  checkTries: number;
  /** `systemd-analyze security UNIT` in the booted guest (the running unit). */
  exposure: number | null;
  /** `systemd-analyze security --offline=yes UNIT` in the same guest. */
  offlineExposure: number | null;
  /** The guest's systemd version (`systemctl --version`), NaN when the probe did not say. */
  systemd: number;
  /** `journalctl -b -u UNIT -o cat` in the guest. */
  journal: string;
  /** The tails of the service's own log files (BootSpec.logs). */
  logs: string;
  /** Seconds from starting nspawn to its exit. */
  wallS: number;
  /** nspawn's exit code (null when killed by a signal). */
  nspawnStatus: number | null;
  /** The container's console (nspawn's output), for diagnosing a boot that did not probe. */
  console: string;
}

/** Why boots cannot run on this machine, or null when they can. */
export function bootUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (systemd-nspawn and debootstrap need root)';
  for (const tool of ['systemd-nspawn', 'debootstrap', 'timeout', 'flock', 'sha256sum']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status !== 0) {
      return `${tool} is not installed (apt-get install debootstrap systemd-container)`;
    }
  }
  if (cgroupRoots().length === 0) return 'no writable cgroup hierarchy under /sys/fs/cgroup';
  return null;
}

/** The builder's command line, bounded: `timeout` signals its whole process group, so debootstrap ends with the builder. */
function builderCommand(suite: string, packages: string[], timeoutS: number): string[] {
  return ['-k', '30', String(timeoutS), 'sh', BUILDER, suite, ...packages];
}

/** The tree the builder printed last, or an error with the end of its log. */
function builtTree(status: number | null, signal: string | null, stdout: string, stderr: string): string {
  const lines = stdout.trim().split('\n');
  const tree = lines[lines.length - 1];
  if (status !== 0 || !tree || !existsSync(join(tree, 'lib', 'systemd', 'systemd'))) {
    throw new Error(`build-tree failed (status ${status}, ${signal ?? 'no signal'}):\n${stderr.slice(-4000)}`);
  }
  return tree;
}

/**
 * Builds the tree of a Debian suite with these packages, or reuses the cached one; returns its
 * path. The build is bounded, generously: about ten minutes alone, but a trixie build under a load
 * average of 20 ran past 20 minutes.
 */
export function buildTree(suite: string, packages: string[], timeoutS = 2700): string {
  const r = spawnSync('timeout', builderCommand(suite, packages, timeoutS), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return builtTree(r.status, r.signal, r.stdout ?? '', r.stderr ?? '');
}

/** buildTree without blocking, so the trees of several guests build at the same time. */
export function buildTreeAsync(suite: string, packages: string[], timeoutS = 2700): Promise<string> {
  return new Promise((resolveTree, reject) => {
    const child = spawn('timeout', builderCommand(suite, packages, timeoutS), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-20_000);
    });
    child.on('close', (code, signal) => {
      try {
        resolveTree(builtTree(code, signal, stdout, stderr));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** The cgroup hierarchies nspawn uses: the hybrid layout's name=systemd and unified, or pure cgroup2. */
function cgroupRoots(): string[] {
  const hybrid = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((d) => existsSync(join(d, 'cgroup.procs')));
  if (hybrid.length) return hybrid;
  return existsSync('/sys/fs/cgroup/cgroup.controllers') ? ['/sys/fs/cgroup'] : [];
}

/** Quotes a value for a POSIX shell, for test.env (sourced by the probe). */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Parses the probe's KEY=value lines. */
function parseEnv(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Kills whatever is still in a cgroup subtree and removes its folders, deepest first. */
function removeCgroup(dir: string): void {
  if (!existsSync(dir)) return;
  const dirs: string[] = [];
  const walk = (d: string): void => {
    dirs.push(d);
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
  };
  walk(dir);
  dirs.reverse();
  for (let attempt = 0; attempt < 50; attempt++) {
    let left = 0;
    for (const d of dirs) {
      const pids = readOr(join(d, 'cgroup.procs')).split('\n').filter(Boolean);
      for (const pid of pids) {
        left++;
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (left === 0) break;
    spawnSync('sleep', ['0.1']);
  }
  for (const d of dirs) {
    try {
      rmdirSync(d);
    } catch {
      // a folder that is not empty yet stays; the next attempt of the caller's cleanup gets it
    }
  }
}

let serial = 0;

/** Clean-ups of the boots under way, run if this process is interrupted (Ctrl-C, a test timeout's SIGTERM). */
const active = new Set<() => void>();
let trapped = false;
function trapSignals(): void {
  if (trapped) return;
  trapped = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const clean of active) clean();
      process.kill(process.pid, sig);
    });
  }
}

interface NspawnRun {
  status: number | null;
  console: string;
  wallS: number;
}

/**
 * Runs systemd-nspawn on the tree (read-only under a throw-away overlay, own network namespace and
 * machine name) with these arguments, from a throw-away cgroup that is emptied and removed
 * afterwards, bounded by `timeout -k 10 timeoutS` and, beyond that, by emptying the cgroup.
 * `onInterrupt` runs too if this process is interrupted meanwhile.
 */
async function nspawn(name: string, tree: string, args: string[], timeoutS: number, unifiedCgroup: boolean, onInterrupt: () => void): Promise<NspawnRun> {
  const command = [
    'timeout', '-k', '10', String(timeoutS),
    'systemd-nspawn', '--quiet', '--keep-unit', '--register=no', '--volatile=overlay', '--pipe',
    '--private-network', `--machine=${name}`, '-D', tree, ...args,
  ];

  // nspawn without a scope unit makes payload/ and supervisor/ cgroups beside itself: give it a
  // cgroup of its own (in every hierarchy it uses) so they never land in the host's root.
  const cgroups = cgroupRoots().map((root) => join(root, `systemd-hardening-${name}`));
  for (const cg of cgroups) mkdirSync(cg);
  const enter = cgroups.map((_, i) => `echo $$ > "$${i + 1}/cgroup.procs"`).join('; ');
  const script = `${enter}; shift ${cgroups.length}; exec "$@"`;

  const cleanup = (): void => {
    for (const cg of cgroups) removeCgroup(cg);
    // nspawn cannot remove this when the host's /run is not a tmpfs ("Attempted to remove disk file system").
    rmSync(join('/run/systemd/nspawn/propagate', name), { recursive: true, force: true });
  };
  const interrupted = (): void => {
    cleanup();
    onInterrupt();
  };
  trapSignals();
  active.add(interrupted);

  // nspawn gives a guest the host's cgroup layout (hybrid here) unless told otherwise; systemd 256
  // and later refuse to boot on a cgroup v1 (hybrid) layout.
  const env = unifiedCgroup ? { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' } : process.env;
  const started = performance.now();
  let consoleText = '';
  let status: number | null = null;
  try {
    status = await new Promise<number | null>((resolveExit) => {
      const child = spawn('sh', ['-c', script, 'sh', ...cgroups, ...command], { stdio: ['ignore', 'pipe', 'pipe'], env });
      const keep = (chunk: Buffer): void => {
        if (consoleText.length < 200_000) consoleText += chunk.toString();
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      // A last resort beyond `timeout -k`: empty the cgroups, which ends nspawn and the guest.
      const guard = setTimeout(() => cgroups.forEach(removeCgroup), (timeoutS + 30) * 1000);
      child.on('close', (code) => {
        clearTimeout(guard);
        resolveExit(code);
      });
    });
  } finally {
    cleanup();
    active.delete(interrupted);
  }
  return { status, console: consoleText, wallS: (performance.now() - started) / 1000 };
}

/**
 * Runs one command in the tree without booting it (nspawn's own minimal PID 1 setup), e.g. the
 * guest's systemd-analyze; returns its exit status and output (stdout and stderr together).
 */
export async function inTree(tree: string, command: string[], options: { timeoutS?: number; unifiedCgroup?: boolean; binds?: string[] } = {}): Promise<NspawnRun> {
  const name = `bt-${process.pid}-${++serial}`;
  return nspawn(name, tree, [...(options.binds ?? []), '--', ...command], options.timeoutS ?? 300, options.unifiedCgroup ?? false, () => {});
}

/** Boots the tree once as described by `spec`. Never leaves processes, cgroups or temp folders. */
export async function boot(spec: BootSpec): Promise<BootResult> {
  const timeoutS = spec.timeoutS ?? 120;
  const name = `bt-${process.pid}-${++serial}`;
  const work = mkdtempSync(join(tmpdir(), 'boot-test-'));
  const inDir = join(work, 'in');
  const outDir = join(work, 'out');
  mkdirSync(inDir);
  mkdirSync(outDir);
  writeFileSync(join(inDir, 'probe.sh'), readFileSync(PROBE));
  writeFileSync(join(inDir, 'test.env'), [
    `UNIT=${spec.unit}`,
    `CHECK=${shellQuote(spec.check)}`,
    `LOGS=${shellQuote((spec.logs ?? []).join(' '))}`,
    'SETTLE_S=10',
    'CHECK_TIMEOUT_S=10',
    'CHECK_RETRY_S=5',
    '',
  ].join('\n'));
  const probeUnit = join(work, 'boot-probe.service');
  writeFileSync(probeUnit, [
    '[Unit]',
    'Description=Boot test probe',
    `Wants=${spec.unit}`,
    `After=${spec.unit}`,
    '',
    '[Service]',
    'Type=oneshot',
    'ExecStart=/bin/sh /boot-test/in/probe.sh',
    'StandardOutput=journal+console',
    '',
  ].join('\n'));
  const timeoutDropin = join(work, '90-boot-test.conf');
  writeFileSync(timeoutDropin, `# test only: a service that never gets ready fails fast\n[Service]\nTimeoutStartSec=${spec.startTimeoutS ?? 30}s\n`);
  const unitDir = `/etc/systemd/system/${spec.unit}.d`;
  const binds = [
    `--bind-ro=${inDir}:/boot-test/in`,
    `--bind=${outDir}:/boot-test/out`,
    `--bind-ro=${probeUnit}:/etc/systemd/system/boot-probe.service`,
    `--bind-ro=${timeoutDropin}:${unitDir}/90-boot-test.conf`,
  ];
  // Bound before boot, so systemd loads a service's own unit file like any other in /etc.
  for (const f of spec.files ?? []) binds.push(`--bind-ro=${f.host}:${f.guest}`);
  if (spec.dropin !== null) {
    const dropin = join(work, '50-hardening.conf');
    writeFileSync(dropin, spec.dropin);
    binds.push(`--bind-ro=${dropin}:${unitDir}/50-hardening.conf`);
  }
  const guestArgs = ['systemd.wants=boot-probe.service', ...spec.mask.map((u) => `systemd.mask=${u}`)];
  const run = await nspawn(name, spec.tree, [...binds, '--boot', '--', ...guestArgs], timeoutS, spec.unifiedCgroup ?? false, () => rmSync(work, { recursive: true, force: true }));
  const status = run.status;
  const consoleText = run.console;
  const wallS = run.wallS;

  const probed = existsSync(join(outDir, 'DONE'));
  const env = parseEnv(readOr(join(outDir, 'result.env')));
  const num = (k: string): number => (env.has(k) && env.get(k) !== '' ? Number(env.get(k)) : NaN);
  const expo = (k: string): number | null => (env.get(k) ? Number(env.get(k)) : null);
  const result: BootResult = {
    probed,
    activeState: env.get('ActiveState') ?? '',
    subState: env.get('SubState') ?? '',
    result: env.get('Result') ?? '',
    nRestarts: num('NRestarts'),
    execMainCode: num('ExecMainCode'),
    execMainStatus: num('ExecMainStatus'),
    checkRc: num('CHECK_RC'),
    checkOutput: readOr(join(outDir, 'check.txt')),
    checkTries: num('CHECK_TRIES'),
    exposure: expo('EXPOSURE'),
    offlineExposure: expo('OFFLINE_EXPOSURE'),
    systemd: num('SYSTEMD_VERSION'),
    journal: readOr(join(outDir, 'journal.txt')),
    logs: readOr(join(outDir, 'logs.txt')),
    wallS,
    nspawnStatus: status,
    console: consoleText,
  };
  if (process.env.BOOT_KEEP_OUTPUT) {
    // For debugging a case: keep the guest's files (journal-all.txt, security.txt, ...).
    const keep = join(process.env.BOOT_KEEP_OUTPUT, name);
    mkdirSync(keep, { recursive: true });
    spawnSync('cp', ['-r', `${outDir}/.`, keep]);
    writeFileSync(join(keep, 'console.txt'), consoleText);
  }
  rmSync(work, { recursive: true, force: true });
  return result;
}
