/**
 * Device nodes a unit shows it uses, other than the pseudo devices PrivateDevices=yes keeps, read from
 * the unit itself: device paths on its command lines (`--device=/dev/ttyUSB0`) and in Environment=,
 * and commands known to open one (`ip tuntap add` opens /dev/net/tun).
 *
 * DeviceAllow= is no such evidence: it grants a device the service may use, not one it cannot start
 * without (systemd-timedated lists `char-rtc` and hostnamed `/dev/vsock`, both optional; booted,
 * test/boot/cases.json timedated-private-devices runs healthy). The suggestions still hold
 * PrivateDevices=yes back from a unit with DeviceAllow= (exposure/breakage.ts).
 *
 * What PrivateDevices=yes keeps (systemd 252 to 262, mount_private_dev() in src/core/namespace.c and
 * dev_setup()): /dev/null, zero, full, random, urandom, tty, ptmx, the folders pts/, shm/, mqueue/ and
 * hugepages/, the link /dev/log, and /dev/fd, stdin, stdout, stderr and core. Everything else, from
 * /dev/sda to /dev/net/tun, /dev/kmsg and /dev/console, is missing from the service's /dev.
 *
 * The breaks-private-devices rule warns on these; the suggestions hold PrivateDevices=yes back from such
 * a unit (exposure/breakage.ts, with a broader test of its own).
 */
import { effectiveListAssignments } from '../model/build';
import type { TypedValues } from '../model/security-types';
import type { Assignment, UnitModel } from '../model/unit-model';
import { EXEC_COMMAND_KEYS } from '../model/security-types';
import type { ExecKey } from './kernel-writes';
import { fatalStatements, shellScript } from './shell-script';

const KEPT_NODES = new Set([
  'null',
  'zero',
  'full',
  'random',
  'urandom',
  'tty',
  'ptmx',
  'log',
  'fd',
  'stdin',
  'stdout',
  'stderr',
  'core',
]);
const KEPT_FOLDERS = ['pts', 'shm', 'mqueue', 'hugepages', 'fd'];
/** A path under /dev/ in a word, not preceded by a path character (so /var/dev/x is none). */
const DEV_PATH = /(?:^|[^\w./-])(\/dev\/[\w.+@:-]+(?:\/[\w.+@:-]+)*)/g;

export interface DeviceUse {
  /** The device path. */
  device: string;
  /** Where the unit names it. */
  where: Assignment;
  /** The command line's key when it is on one. */
  key?: ExecKey;
  /** How the unit names it, for a message: `ExecStartPre=/usr/sbin/ip …`, `Environment=…`. */
  evidence: string;
}

/** Whether PrivateDevices=yes keeps the device at this path. */
export function keptByPrivateDevices(path: string): boolean {
  const rest = path.slice('/dev/'.length).replace(/\/+$/, '');
  if (rest === '') return true;
  const first = rest.split('/')[0]!;
  if (!rest.includes('/')) return KEPT_NODES.has(rest) || KEPT_FOLDERS.includes(rest);
  return KEPT_FOLDERS.includes(first);
}

/** The device paths a text names that PrivateDevices=yes takes away. */
export function devicePathsIn(text: string): string[] {
  const out: string[] = [];
  DEV_PATH.lastIndex = 0;
  for (let m = DEV_PATH.exec(text); m !== null; m = DEV_PATH.exec(text)) {
    const path = m[1]!.replace(/[.:]+$/, '');
    if (!keptByPrivateDevices(path) && !out.includes(path)) out.push(path);
  }
  return out;
}

/** Paths the unit binds into its namespace (BindPaths=, BindReadOnlyPaths=): a device bound there stays. */
function boundPaths(model: UnitModel): string[] {
  const out: string[] = [];
  for (const key of ['BindPaths', 'BindReadOnlyPaths']) {
    for (const a of effectiveListAssignments(model, 'Service', key)) {
      for (const word of a.value.split(/\s+/)) {
        const parts = word.replace(/^-/, '').split(':');
        const dest = parts.length > 1 && parts[1] !== '' ? parts[1]! : parts[0]!;
        if (dest.startsWith('/dev/')) out.push(dest.replace(/\/+$/, ''));
      }
    }
  }
  return out;
}

/** Devices a command opens without naming them: `ip tuntap add|del` and tunctl open /dev/net/tun (booted: "open: No such file or directory"). */
export function impliedDevices(path: string, argv: readonly string[]): string[] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'tunctl') return ['/dev/net/tun'];
  if (name !== 'ip') return [];
  const words = argv.slice(1).filter((w) => !w.startsWith('-'));
  const at = words.indexOf('tuntap');
  const verb = at >= 0 ? (words[at + 1] ?? '') : '';
  return at >= 0 && at <= 1 && verb !== '' && ('add'.startsWith(verb) || 'delete'.startsWith(verb))
    ? ['/dev/net/tun']
    : [];
}

function shorten(text: string): string {
  return text.length > 90 ? text.slice(0, 87) + '…' : text;
}

/**
 * The devices the unit uses that PrivateDevices=yes takes away: on command lines that run in the
 * sandbox and whose failure counts (not `+`, not `-`), and in Environment=.
 */
export function deviceUses(model: UnitModel, tv: TypedValues): DeviceUse[] {
  const bound = boundPaths(model);
  const out: DeviceUse[] = [];
  const add = (device: string, where: Assignment, evidence: string, key?: ExecKey) => {
    if (bound.some((b) => device === b || device.startsWith(b + '/'))) return;
    if (!out.some((u) => u.device === device)) out.push({ device, where, evidence, ...(key ? { key } : {}) });
  };
  for (const key of EXEC_COMMAND_KEYS) {
    for (const c of tv.exec[key]) {
      if (c.fullyPrivileged || c.ignoreFailure) continue;
      const line = `${key}=${shorten(c.argv.join(' '))}`;
      for (const d of impliedDevices(c.path, c.argv)) add(d, c.from, line, key);
      // A shell script counts only in the statements whose failure fails it (evidence/shell-script.ts).
      const sh = shellScript(c);
      const texts = sh ? fatalStatements(sh.script, sh.errexit) : [c.path, ...c.argv.slice(1)];
      for (const text of texts) for (const d of devicePathsIn(text)) add(d, c.from, line, key);
    }
  }
  for (const a of effectiveListAssignments(model, 'Service', 'Environment')) {
    for (const d of devicePathsIn(a.value)) add(d, a, `Environment=${shorten(a.value)}`);
  }
  return out;
}
