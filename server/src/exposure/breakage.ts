/**
 * Suggestions that would break the service, judged from what the unit itself shows: a service that
 * talks to the network is not offered PrivateNetwork=; one that puts a socket for other processes in
 * /tmp is not offered PrivateTmp=; a known process monitoring agent is not offered ProtectProc=invisible;
 * one that lists devices is not offered PrivateDevices=; one that writes kernel settings is not offered
 * ProtectKernelTunables=; a JIT runtime is not offered MemoryDenyWriteExecute=; a capability the unit grants
 * is not taken away; an explicit "no" is taken as a requirement. What a known service needs
 * (server/data/service-needs.json, the same facts as the breaks-* rules in rules/breakage.ts) holds back
 * ProtectSystem=strict and DynamicUser=yes when a folder it writes would become read-only, the loss of
 * CAP_SETUID/CAP_SETGID or of the calls of its user switch, and the address families and system calls it uses;
 * a Type=notify or D-Bus service keeps AF_UNIX. A unit whose non-root user runs sudo is not offered
 * NoNewPrivileges= nor the settings that imply it (features/no-new-privileges.ts, as breaks-no-new-privileges).
 */
import { effectiveListAssignments, lastAssignment } from '../model/build';
import type { UnitModel } from '../model/types';
import { parseBoolean } from '../model/values/booleans';
import { syscallGroupMembers } from '../model/values/name-lookups';
import { writableByConfig } from '../evidence/write-paths';
import { deviceUses } from '../evidence/device-use';
import { kernelWrites } from '../evidence/kernel-writes';
import { typedValues } from '../model/security-inputs';
import { serviceNeedsFor, type ServiceNeeds } from '../knowledge/service-needs';
import { CONTAINER, namespaceProgram } from '../knowledge/namespace-creators';
import { alwaysStaticUser } from '../knowledge/static-users';
import { homeFolderAbove } from '../knowledge/home-folders';
import { isJitRuntime } from '../knowledge/runtimes';
import { IMPLIES_NO_NEW_PRIVILEGES, SETS_NO_NEW_PRIVILEGES, runsUnprivileged, setuidHelperUses } from '../evidence/no-new-privileges';
import { ipUse } from '../evidence/network-use';
import { sharedTmp } from '../evidence/shared-tmp';
import { lowPort } from '../evidence/low-port';
import { timeDaemon } from '../knowledge/time-daemons';

const NETWORK_TARGETS = /(^|\s)network(-online)?\.target(\s|$)/;
const URL_OR_PORT = /(\b[a-z][a-z0-9+.-]*:\/\/)|(\s--?(listen|port|bind|host)\b)|(\b\d{1,3}(\.\d{1,3}){3}:\d+\b)|(\[[0-9a-f:]+\]:\d+)|(\blocalhost:\d+\b)|(\s:\d{2,5}\b)/i;
const FALSY = new Set(['0', 'no', 'n', 'false', 'f', 'off']);

function values(model: UnitModel, section: string, key: string): string[] {
  return (model.settings.get(`${section}.${key}`) ?? []).map((a) => a.value);
}

const EXEC_KEYS = ['Service.ExecStart', 'Service.ExecStartPre', 'Service.ExecStartPost'];
/** Every command line RestrictNamespaces= applies to. */
const ALL_EXEC_KEYS = [...EXEC_KEYS, 'Service.ExecCondition', 'Service.ExecReload', 'Service.ExecStop', 'Service.ExecStopPost'];

/** The first word of each command line, after its prefix characters (- @ : + ! |). */
function execBinaries(model: UnitModel, keys: readonly string[] = EXEC_KEYS): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const list = model.settings.get(k);
    if (list === undefined) continue;
    for (const a of list) {
      const v = a.value;
      let i = 0;
      while (i < v.length && '-@:+!|'.includes(v[i]!)) i++;
      while (i < v.length && /\s/.test(v[i]!)) i++;
      let j = i;
      while (j < v.length && !/\s/.test(v[j]!)) j++;
      if (j > i) out.push(v.slice(i, j));
    }
  }
  return out;
}

function firstWord(command: string): string | undefined {
  let i = 0;
  while (i < command.length && '-@:+!|'.includes(command[i]!)) i++;
  const m = /^\s*(\S+)/.exec(command.slice(i));
  return m ? m[1] : undefined;
}

function execText(model: UnitModel): string {
  return ['ExecStart', 'ExecStartPre', 'ExecStartPost'].flatMap((k) => values(model, 'Service', k)).join('\n');
}

/**
 * Why the unit looks like it talks to the network, or null. The strong evidence of the
 * breaks-private-network warning (features/network-use.ts) comes first, with the known service of
 * the unit's effective main program as the warning finds it, so this is never weaker than the warning.
 */
export function usesNetwork(model: UnitModel): string | null {
  const main = firstWord(effectiveListAssignments(model, 'Service', 'ExecStart')[0]?.value ?? '');
  const strong = ipUse(model, serviceNeedsFor(model.name, main));
  if (strong) return strong.evidence;
  for (const k of ['After', 'Wants', 'Requires', 'BindsTo']) {
    if (values(model, 'Unit', k).some((v) => NETWORK_TARGETS.test(v))) return `it orders itself after network.target or network-online.target (${k}=)`;
  }
  if (values(model, 'Service', 'Sockets').length) return 'it is activated by sockets (Sockets=)';
  if (values(model, 'Service', 'IPAddressAllow').some((v) => v.trim() !== '')) return 'it allows IP addresses (IPAddressAllow=)';
  if (URL_OR_PORT.test(' ' + execText(model))) return 'its command line names a URL, address or port';
  const families = lastAssignment(model, 'Service', 'RestrictAddressFamilies')?.value ?? '';
  if (families && !families.startsWith('~') && /AF_INET/.test(families)) return 'it allows AF_INET sockets (RestrictAddressFamilies=)';
  return null;
}

const CONTAINER_SENSITIVE = new Set([
  'RestrictNamespaces',
  'PrivateDevices',
  'ProtectControlGroups',
  'ProtectKernelModules',
  'ProtectKernelTunables',
  'PrivateUsers',
  'PrivateNetwork',
  'SystemCallFilter',
  'CapabilityBoundingSet',
  'RestrictAddressFamilies',
  'DevicePolicy',
  'DeviceAllow',
  'PrivateMounts',
  'User',
  'DynamicUser',
  'NoNewPrivileges',
]);
const TURNS_ON = /^(yes|true|on|1|strict)$/i;
/** The settings that set the no-new-privileges flag, or imply it for a service without CAP_SYS_ADMIN. */
const NO_NEW_PRIVILEGES_KEYS: ReadonlySet<string> = new Set([...SETS_NO_NEW_PRIVILEGES, ...IMPLIES_NO_NEW_PRIVILEGES]);

/** Whether the service starts as root (no User=, or root) and not under DynamicUser=yes (also for the titles of rules/sandbox-risk.ts). */
export function startsAsRoot(model: UnitModel): boolean {
  const user = lastAssignment(model, 'Service', 'User')?.value ?? '';
  return (user === '' || user === 'root' || user === '0') && parseBoolean(lastAssignment(model, 'Service', 'DynamicUser')?.value ?? '') !== true;
}

/** What the unit shows about itself, gathered once per unit (the costlier facts on first use). */
class UnitFacts {
  readonly bins: string[];
  readonly container: string | undefined;
  private network: string | null | undefined;
  private devices: boolean | undefined;
  private kernel: string | null | undefined;
  private granted: string | undefined;
  private needs: ServiceNeeds | null | undefined;
  private namespaces: string | null | undefined;
  private helper: { path: string; unprivileged: boolean } | null | undefined;
  /** The [Service] keys whose last value is a "no" (few units have any). */
  private readonly off: ReadonlySet<string>;

  constructor(private readonly model: UnitModel) {
    this.bins = execBinaries(model);
    this.container = this.bins.find((b) => CONTAINER.test(b));
    const off = new Set<string>();
    for (const [full, list] of model.settings) {
      if (!full.startsWith('Service.')) continue;
      const last = list[list.length - 1];
      if (last && last.value.length <= 5 && FALSY.has(last.value.toLowerCase())) off.add(full.slice('Service.'.length));
    }
    this.off = off;
  }

  usesNetwork(): string | null {
    return this.network === undefined ? (this.network = usesNetwork(this.model)) : this.network;
  }

  /** Broader than breaks-private-devices (any DeviceAllow=, any /dev/ but /dev/null on a start command), and never narrower: it also asks that rule's detector. */
  usesDevices(): boolean {
    return (this.devices ??=
      values(this.model, 'Service', 'DeviceAllow').some((v) => v.trim() !== '') ||
      /\s\/dev\/(?!null\b)/.test(' ' + execText(this.model)) ||
      deviceUses(this.model, typedValues(this.model).value).length > 0);
  }

  /** A command writes kernel settings (the breaks-kernel-tunables rule's detector). */
  writesKernelSettings(): string | null {
    if (this.kernel === undefined) this.kernel = kernelWrites(typedValues(this.model).value)[0]?.evidence ?? null;
    return this.kernel;
  }

  /** AmbientCapabilities= of the unit, upper case. */
  grantedCapabilities(): string {
    return (this.granted ??= values(this.model, 'Service', 'AmbientCapabilities').join(' ').toUpperCase());
  }

  /** What service-needs.json says the service needs, by unit name or the program of ExecStart=. */
  serviceNeeds(): ServiceNeeds | null {
    if (this.needs !== undefined) return this.needs;
    const main = firstWord(values(this.model, 'Service', 'ExecStart')[0] ?? '');
    return (this.needs = serviceNeedsFor(this.model.name, main) ?? null);
  }

  startsAsRoot(): boolean {
    return startsAsRoot(this.model);
  }

  /** Address families the service needs, with why: AF_UNIX for sd_notify() and D-Bus, and the known service's own. */
  neededFamilies(): Map<string, string> {
    const out = new Map<string, string>();
    const type = (lastAssignment(this.model, 'Service', 'Type')?.value ?? '').toLowerCase();
    if (type === 'notify' || type === 'notify-reload') out.set('AF_UNIX', `Type=${type} reports readiness with sd_notify() over a Unix socket`);
    else if (type === 'dbus' || lastAssignment(this.model, 'Service', 'BusName')) out.set('AF_UNIX', 'the service talks to D-Bus over a Unix socket');
    for (const f of this.serviceNeeds()?.addressFamilies ?? []) if (!out.has(f.family)) out.set(f.family, `${this.serviceNeeds()!.name} uses it: ${f.use}`);
    return out;
  }

  /** A program on any command line that may create namespaces (unshare, bwrap, a container runtime...), or null. */
  namespaceCreator(): string | null {
    if (this.namespaces !== undefined) return this.namespaces;
    const bin = execBinaries(this.model, ALL_EXEC_KEYS).find((b) => namespaceProgram(b) !== undefined);
    return (this.namespaces = bin ?? null);
  }

  /**
   * Why giving the service the no-new-privileges flag (`key`= sets or implies it) would stop a
   * set-user-ID helper it runs (sudo), or null: the same evidence as breaks-no-new-privileges, also
   * for a unit that runs as root when the line is DynamicUser=, which would make it run as another user.
   */
  setuidHelperStopped(key: string): string | null {
    if (this.helper === undefined) {
      const tv = typedValues(this.model).value;
      const use = setuidHelperUses(this.model, tv, true)[0];
      this.helper = use ? { path: use.command.path, unprivileged: runsUnprivileged(tv) } : null;
    }
    const h = this.helper;
    if (h === null || (!h.unprivileged && key !== 'DynamicUser')) return null;
    // From 255 only a system-call filter (one that denies capget(), capset() or prctl()) implies the flag.
    if (this.model.version >= 255 && !SETS_NO_NEW_PRIVILEGES.includes(key) && key !== 'SystemCallFilter') return null;
    return `the unit runs ${h.path} as a user other than root, which the no-new-privileges flag (set or implied by ${key}=) keeps from becoming root`;
  }

  explicitlyOff(key: string): boolean {
    return this.off.size !== 0 && this.off.has(key);
  }
}

/** A line to add, cut once (suggestions keep theirs with their plan). */
export interface CutLine {
  key: string;
  value: string;
  /** The value turns the setting on (yes, true, on, 1, strict). */
  on: boolean;
  /** Containers and machines need what the setting takes away. */
  containerSensitive: boolean;
  /** The setting's own rule (most have none). */
  rule: Rule | null;
}

export function cutLines(lines: readonly string[]): CutLine[] {
  return lines.map((line) => {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    return { key, value, on: TURNS_ON.test(value), containerSensitive: CONTAINER_SENSITIVE.has(key), rule: RULES.get(key) ?? null };
  });
}

/**
 * A checker for one unit: why adding the lines would probably break the service, or null when nothing
 * in the unit says so. The unit's facts are gathered once, so checking many suggestions stays cheap.
 */
export function breakageChecker(model: UnitModel): (lines: readonly CutLine[]) => string | null {
  const facts = new UnitFacts(model);
  return (lines) => {
    for (const line of lines) {
      const why = lineBreakage(model, facts, line);
      if (why) return why;
    }
    return null;
  };
}

/** Why adding `lines` would probably break this service, or null when nothing in the unit says so. */
export function breakageOf(model: UnitModel, lines: readonly string[]): string | null {
  return breakageChecker(model)(cutLines(lines));
}

function lineBreakage(model: UnitModel, facts: UnitFacts, { key, value, on, containerSensitive, rule }: CutLine): string | null {
  if (containerSensitive && facts.container) {
    return `${facts.container} runs containers or machines, which need what ${key}= takes away`;
  }
  if (on && facts.explicitlyOff(key)) return `the unit sets ${key}=no on purpose`;
  if (value !== '' && !FALSY.has(value.toLowerCase()) && NO_NEW_PRIVILEGES_KEYS.has(key)) {
    const why = facts.setuidHelperStopped(key);
    if (why) return why;
  }
  // sudo, become root, still needs CAP_SETUID and CAP_SETGID in the bounding set (tried: with
  // CapabilityBoundingSet= empty, sudo-app's sudo fails with "unable to change to root gid").
  if (key === 'CapabilityBoundingSet' && dropsSetuid(value)) {
    const why = facts.setuidHelperStopped(key);
    if (why) return why.replace(/, which the no-new-privileges flag .*$/, ', which needs CAP_SETUID and CAP_SETGID to become root');
  }
  return rule === null ? null : rule(model, facts, value);
}

/** Whether a CapabilityBoundingSet= line leaves CAP_SETUID or CAP_SETGID out. */
function dropsSetuid(value: string): boolean {
  const words = value.replace(/^~/, '').toUpperCase().split(/\s+/);
  const named = words.includes('CAP_SETUID') || words.includes('CAP_SETGID');
  return value.startsWith('~') ? named : !(words.includes('CAP_SETUID') && words.includes('CAP_SETGID'));
}

/** Why a line of one setting would probably break the service (settings without a rule of their own: none). */
type Rule = (model: UnitModel, facts: UnitFacts, value: string) => string | null;

/** A time daemon's job is the clock (knowledge/time-daemons.ts): no ProtectClock=, no bounding set without CAP_SYS_TIME. */
function timeClockRule(facts: UnitFacts): string | null {
  const daemon = facts.bins.map(timeDaemon).find((d) => d !== null);
  return daemon ? `${daemon} sets the system clock, which ProtectClock=yes and a bounding set without CAP_SYS_TIME forbid` : null;
}

const usesNetworkRule: Rule = (_model, facts) => {
  const why = facts.usesNetwork();
  return why ? `the service uses the network: ${why}` : null;
};

const usesDevicesRule: Rule = (_model, facts) => (facts.usesDevices() ? 'the unit uses device nodes (DeviceAllow= or /dev/ on its command line)' : null);

const rootOnPurposeRule: Rule = (model) => (/^(root|0)$/.test(lastAssignment(model, 'Service', 'User')?.value ?? '') ? 'the unit sets User=root on purpose' : null);

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** A folder the known service writes that the unit does not keep writable, or undefined. */
function readOnlyWrite(model: UnitModel, facts: UnitFacts): string | undefined {
  const writes = facts.serviceNeeds()?.writes ?? [];
  if (writes.length === 0) return undefined;
  const writable = writableByConfig(model);
  return writes.find((w) => !writable.some((d) => under(w.path, d) || under(d, w.path)))?.path;
}

const readOnlyRule: Rule = (model, facts) => {
  const path = readOnlyWrite(model, facts);
  return path ? `${facts.serviceNeeds()!.name} writes ${path}, which would become read-only` : null;
};

function wordMatches(version: number, word: string, call: string, seen: Set<string>): boolean {
  const name = word.split(':')[0]!;
  if (name === call) return true;
  if (!name.startsWith('@') || seen.has(name)) return false;
  seen.add(name);
  return (syscallGroupMembers(version, name) ?? []).some((m) => wordMatches(version, m, call, seen));
}

/** The calls a `~` list of SystemCallFilter= would deny that the known service makes. */
const syscallFilterRule: Rule = (model, facts, value) => {
  const needs = facts.serviceNeeds();
  if (!needs || !value.startsWith('~')) return null;
  const calls = [...(facts.startsAsRoot() ? (needs.switchesUser?.calls ?? []) : []), ...(needs.syscalls ?? []).map((c) => c.name)];
  const words = value.slice(1).split(/\s+/).filter((w) => w !== '');
  const denied = calls.filter((c) => words.some((w) => wordMatches(model.version, w, c, new Set())));
  return denied.length ? `${needs.name} calls ${denied.join(', ')}, which the filter would deny` : null;
};

const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['ProtectSystem', (model, facts, value) => (value === 'strict' ? readOnlyRule(model, facts, value) : null)],
  ['SystemCallFilter', syscallFilterRule],
  ['PrivateNetwork', usesNetworkRule],
  [
    'PrivateTmp',
    (model, _facts, value) => {
      const shared = FALSY.has(value.toLowerCase()) ? null : sharedTmp(model);
      return shared ? `${shared.where} puts ${shared.path} in /tmp for other processes, which would not see it` : null;
    },
  ],
  ['IPAddressDeny', usesNetworkRule],
  [
    'RestrictAddressFamilies',
    (model, facts, value) => {
      if (value === '' || value === 'none') return value === 'none' && facts.neededFamilies().size ? 'the service needs some address family' : null;
      const deny = value.startsWith('~');
      const words = new Set((deny ? value.slice(1) : value).split(/\s+/).map((w) => w.toUpperCase()));
      for (const [family, why] of facts.neededFamilies()) if (deny === words.has(family)) return `the service needs ${family}: ${why}`;
      return deny && value.includes('AF_INET') ? usesNetworkRule(model, facts, value) : null;
    },
  ],
  ['MemoryDenyWriteExecute', (_model, facts) => (facts.bins.some(isJitRuntime) ? 'the service is a runtime that compiles code at run time (JIT), which needs writable and executable memory' : null)],
  [
    'CapabilityBoundingSet',
    (_model, facts, value) => {
      if (!value.startsWith('~')) return null;
      const needs = facts.serviceNeeds();
      if (needs && facts.startsAsRoot()) {
        const words = value.slice(1).toUpperCase().split(/\s+/);
        const sw = needs.switchesUser;
        if (sw && (words.includes('CAP_SETUID') || words.includes('CAP_SETGID'))) return `${needs.name} starts as root and switches to ${sw.to} itself, which needs CAP_SETUID and CAP_SETGID`;
        const used = (needs.capabilities ?? []).find((c) => words.includes(c.name));
        if (used) return `${needs.name} starts as root and needs ${used.name} ${used.use}`;
      }
      if (value.slice(1).toUpperCase().split(/\s+/).includes('CAP_SYS_TIME')) {
        const clock = timeClockRule(facts);
        if (clock) return clock;
      }
      const granted = facts.grantedCapabilities();
      if (granted === '') return null;
      const dropped = value.slice(1).split(/\s+/).filter((c) => granted.includes(c.toUpperCase()));
      return dropped.length ? `the unit grants ${dropped.join(', ')} in AmbientCapabilities=` : null;
    },
  ],
  ['User', rootOnPurposeRule],
  [
    'DynamicUser',
    (model, facts, value) => {
      const root = rootOnPurposeRule(model, facts, value);
      if (root) return root;
      // dynamic-user-static-name: a UID or nobody is used as it is, no user would be allocated.
      const user = lastAssignment(model, 'Service', 'User')?.value ?? '';
      if (alwaysStaticUser(user) !== null) return `User=${user} is always found statically, so DynamicUser=yes would allocate no user`;
      const sw = facts.serviceNeeds()?.switchesUser;
      if (sw && facts.startsAsRoot()) return `${facts.serviceNeeds()!.name} starts as root and switches to ${sw.to} itself`;
      // breaks-low-port: a dynamic user binds a port below 1024 only with the ambient capability.
      const port = lowPort(model, facts.serviceNeeds() ?? undefined);
      if (port && (typedValues(model).value.ambientCapabilities & (1n << 10n)) === 0n) return `${port.evidence}, which a user other than root cannot bind without AmbientCapabilities=CAP_NET_BIND_SERVICE`;
      return readOnlyRule(model, facts, value);
    },
  ],
  ['Delegate', (model, facts) => (!facts.explicitlyOff('Delegate') && lastAssignment(model, 'Service', 'Delegate') ? 'the unit delegates a cgroup subtree on purpose (Delegate=)' : null)],
  ['NotifyAccess', (model) => (lastAssignment(model, 'Service', 'NotifyAccess')?.value === 'all' ? 'the unit sets NotifyAccess=all on purpose' : null)],
  [
    'KeyringMode',
    (model) => {
      const set = lastAssignment(model, 'Service', 'KeyringMode');
      return set ? `the unit sets KeyringMode=${set.value} on purpose` : null;
    },
  ],
  [
    'RestrictNamespaces',
    // Any line, whatever types it leaves: breaks-restrict-namespaces warns on fewer (only a type the command line asks for).
    (_model, facts) => {
      const bin = facts.namespaceCreator();
      return bin ? `${bin} creates namespaces, which RestrictNamespaces= may take away` : null;
    },
  ],
  [
    'ProtectHome',
    // Every command and the working folder, whatever their prefixes or binds: breaks-protect-home warns on fewer.
    (model, _facts, value) => {
      if (!/^(yes|true|on|1|tmpfs)$/i.test(value)) return null;
      const paths = [...execBinaries(model, ALL_EXEC_KEYS), (lastAssignment(model, 'Service', 'WorkingDirectory')?.value ?? '').replace(/^-/, '')];
      const below = paths.find((p) => homeFolderAbove(p) !== undefined);
      return below ? `${below} lies below ${homeFolderAbove(below)}, which ProtectHome=${value} hides` : null;
    },
  ],
  [
    'ProtectProc',
    (_model, facts, value) => {
      const needs = facts.serviceNeeds();
      return value === 'invisible' && needs?.processes ? `${needs.name} ${needs.processes.use}` : null;
    },
  ],
  ['PrivateDevices', usesDevicesRule],
  [
    'ProtectKernelTunables',
    (_model, facts) => {
      const w = facts.writesKernelSettings();
      return w === null ? null : `a command of the unit writes a kernel setting (${w}), which ProtectKernelTunables=yes makes read-only`;
    },
  ],
  ['DevicePolicy', usesDevicesRule],
  ['ProtectClock', (_model, facts) => timeClockRule(facts)],
]);
