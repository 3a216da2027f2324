/**
 * The lines a suggestion adds, per check: linesFor() (which line brings a check to its best), kept as
 * plans shared between units (the lines cut for the breakage checker, the drop-in text, whether the
 * target version knows them), and the safe set's combined plan.
 */
import { lineAvailable } from '../knowledge/word-availability';
import { type CutLine, cutLines } from './breakage';
import type { SecurityInputs } from '../model/security-inputs';
import type { UnitModel } from '../model/unit-model';
import { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX } from '../model/values/address-families';
import type { Assessor } from './assessors';
import type { Suggestion } from './suggest';

/** Path of the synthetic drop-in (sorts after any real one). */
export const SUGGESTION_DROPIN = 'zzzz-systemd-hardening-suggestions.conf';

const BOOL_LINES: Record<string, string[]> = {
  private_devices: ['PrivateDevices=yes'],
  private_mounts: ['PrivateMounts=yes'],
  private_network: ['PrivateNetwork=yes'],
  private_tmp: ['PrivateTmp=yes'],
  private_users: ['PrivateUsers=yes'],
  protect_control_groups: ['ProtectControlGroups=yes'],
  protect_kernel_modules: ['ProtectKernelModules=yes'],
  protect_kernel_tunables: ['ProtectKernelTunables=yes'],
  protect_kernel_logs: ['ProtectKernelLogs=yes'],
  protect_clock: ['ProtectClock=yes'],
  protect_hostname: ['ProtectHostname=yes'],
  lock_personality: ['LockPersonality=yes'],
  memory_deny_write_execute: ['MemoryDenyWriteExecute=yes'],
  no_new_privileges: ['NoNewPrivileges=yes'],
  delegate: ['Delegate=no'],
  restrict_realtime: ['RestrictRealtime=yes'],
  restrict_suid_sgid: ['RestrictSUIDSGID=yes'],
  restrict_address_family_inet: ['RestrictAddressFamilies=~AF_INET AF_INET6'],
  restrict_address_family_unix: ['RestrictAddressFamilies=~AF_UNIX'],
  restrict_address_family_netlink: ['RestrictAddressFamilies=~AF_NETLINK'],
  restrict_address_family_packet: ['RestrictAddressFamilies=~AF_PACKET'],
};

/** json_fields in the safe set: settings that rarely change what a well-behaved daemon can do. */
export const SAFE_CHECKS: ReadonlySet<string> = new Set([
  'NoNewPrivileges',
  'PrivateTmp',
  'ProtectKernelTunables',
  'ProtectKernelModules',
  'ProtectKernelLogs',
  'ProtectControlGroups',
  'ProtectClock',
  'ProtectHostname',
  'LockPersonality',
  'RestrictRealtime',
  'RestrictSUIDSGID',
  'KeyringMode',
  'SystemCallArchitectures',
  'RemoveIPC',
  'RestrictNamespaces_user',
  'RestrictNamespaces_mnt',
  'RestrictNamespaces_ipc',
  'RestrictNamespaces_pid',
  'RestrictNamespaces_cgroup',
  'RestrictNamespaces_net',
  'RestrictNamespaces_uts',
]);

const FAMILY_NAMES: Array<[number, string]> = [
  [AF_UNIX, 'AF_UNIX'],
  [AF_INET, 'AF_INET'],
  [AF_INET6, 'AF_INET6'],
  [AF_NETLINK, 'AF_NETLINK'],
  [AF_PACKET, 'AF_PACKET'],
];

const safeByTable = new WeakMap<readonly Assessor[], readonly boolean[]>();

/** Per assessor index, whether its check is in SAFE_CHECKS. */
export function safeFlags(assessors: readonly Assessor[]): readonly boolean[] {
  let flags = safeByTable.get(assessors);
  if (!flags) safeByTable.set(assessors, (flags = assessors.map((a) => SAFE_CHECKS.has(a.json_field))));
  return flags;
}

/** The lines that should bring one check to badness 0, given the unit's current inputs; null when none can. */
export function linesFor(a: Assessor, info: SecurityInputs): string[] | null {
  const p = a.parameters ?? {};
  switch (a.kind) {
    case 'bool': {
      if (p.field === 'restrict_address_family_other') {
        // Keep the five common families as they are now, restrict everything else (an allow-list).
        const af = info.values.restrictAddressFamilies;
        const keep = FAMILY_NAMES.filter(([n]) => {
          if (af.families === null) return !af.allowList;
          return af.allowList ? af.families.has(n) : !af.families.has(n);
        }).map(([, name]) => name);
        return keep.length
          ? ['RestrictAddressFamilies=', `RestrictAddressFamilies=${keep.join(' ')}`]
          : ['RestrictAddressFamilies=none'];
      }
      return BOOL_LINES[p.field ?? ''] ?? null;
    }
    case 'user': {
      const u = info.user;
      return u === null || u === '' || u === '0' || u === 'root' || u === 'nobody'
        ? ['User=', 'DynamicUser=yes']
        : ['DynamicUser=yes'];
    }
    case 'supplementary_groups':
      return ['SupplementaryGroups='];
    case 'remove_ipc':
      return ['RemoveIPC=yes'];
    case 'capability_bounding_set':
      return [`CapabilityBoundingSet=~${(p.capabilities ?? []).join(' ')}`];
    case 'ambient_capabilities':
      return ['AmbientCapabilities='];
    case 'umask':
      return ['UMask=0077'];
    case 'protect_home':
      return ['ProtectHome=yes'];
    case 'protect_system':
      return ['ProtectSystem=strict'];
    case 'root_directory':
      return null; // needs a real directory or image of the service's own
    case 'keyring_mode':
      return ['KeyringMode=private'];
    case 'protect_proc':
      return ['ProtectProc=invisible'];
    case 'proc_subset':
      return ['ProcSubset=pid'];
    case 'notify_access':
      return ['NotifyAccess=main'];
    case 'restrict_namespaces': {
      const name = {
        CLONE_NEWUSER: 'user',
        CLONE_NEWNS: 'mnt',
        CLONE_NEWIPC: 'ipc',
        CLONE_NEWPID: 'pid',
        CLONE_NEWCGROUP: 'cgroup',
        CLONE_NEWNET: 'net',
        CLONE_NEWUTS: 'uts',
      }[p.namespace ?? ''];
      return name ? [`RestrictNamespaces=~${name}`] : null;
    }
    case 'system_call_architectures':
      return info.systemCallArchitectures.length
        ? ['SystemCallArchitectures=', 'SystemCallArchitectures=native']
        : ['SystemCallArchitectures=native'];
    case 'system_call_filter':
      return p.syscallGroup ? [`SystemCallFilter=~${p.syscallGroup}`] : null;
    case 'ip_address_allow':
      return ['IPAddressAllow=', 'IPAddressDeny=any'];
    case 'device_allow':
      return ['DevicePolicy=closed', 'DeviceAllow='];
  }
}

/** Path of the synthetic drop-in for a model (beside its unit file). */
export function dropinPath(model: UnitModel): string {
  return `${model.files[0]?.path ?? `/etc/systemd/system/${model.name}`}.d/${SUGGESTION_DROPIN}`;
}

export function dropinText(section: string, lines: readonly string[]): string {
  let text = `[${section}]\n`;
  for (const l of lines) text += l + '\n';
  return text;
}

/** A suggestion's lines, the drop-in text holding them and whether the version knows them, kept per check. */
export interface LinePlan {
  lines: readonly string[];
  cut: readonly CutLine[];
  text: string;
  known: boolean;
}

/** Per version and section, per assessor index: the plan of checks whose lines do not depend on the unit. */
const plans = new Map<string, PlanList>();
export type PlanList = Array<LinePlan | null | undefined>;
/** Each plan's lines (arrays of their own) numbered, to name a combination of plans (the safe set). */
const planIds = new WeakMap<readonly string[], number>();
let nextPlanId = 0;
/** Plans of the checks whose lines depend on the unit, by section and lines. */
const unitPlans = new WeakMap<Assessor, Map<string, LinePlan | null>>();

function dependsOnUnit(a: Assessor): boolean {
  return (
    a.kind === 'user' ||
    a.kind === 'system_call_architectures' ||
    a.parameters?.field === 'restrict_address_family_other'
  );
}

function makePlan(lines: readonly string[] | null, section: string, version: number): LinePlan | null {
  if (!lines) return null;
  const copy = [...lines];
  planIds.set(copy, nextPlanId++);
  return {
    lines: copy,
    cut: cutLines(lines),
    text: dropinText(section, lines),
    // the key and, for a word the data dates (PrivateTmp=disconnected), the word
    known: lines.every((l) => lineAvailable(section, l, version)),
  };
}

/** The plans of one version and section, indexed like assessorsFor(version); filled in as checks need them. */
export function plansOf(section: string, version: number): PlanList {
  const key = `${version}\n${section}`;
  let list = plans.get(key);
  if (!list) plans.set(key, (list = []));
  return list;
}

/** The lines for check `index` (linesFor()), with the text of their drop-in; shared between units. */
export function planFor(
  list: PlanList,
  index: number,
  a: Assessor,
  info: SecurityInputs,
  section: string,
  version: number,
): LinePlan | null {
  if (!dependsOnUnit(a)) {
    const known = list[index];
    return known !== undefined ? known : (list[index] = makePlan(linesFor(a, info), section, version));
  }
  let byKey = unitPlans.get(a);
  if (!byKey) unitPlans.set(a, (byKey = new Map()));
  const lines = linesFor(a, info);
  if (!lines) return null;
  const key = `${section}\n${lines.join('\n')}`;
  let plan = byKey.get(key);
  if (plan === undefined) {
    plan = makePlan(lines, section, version);
    if (byKey.size > 1000) byKey.clear();
    byKey.set(key, plan);
  }
  return plan;
}

/** The safe set's lines as a plan: every line of the safe suggestions, in their order, once; kept per combination. */
const safePlans = new Map<string, LinePlan | null>();

/** The namespace types systemd-analyze rates one by one (RestrictNamespaces_<type>). */
const RATED_NAMESPACES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'];

/**
 * The safe set's RestrictNamespaces=~TYPE lines as one line, where the first of them was: `RestrictNamespaces=yes`
 * when every rated type is there (a unit that already restricts some type has fewer suggestions), else
 * `RestrictNamespaces=~TYPE TYPE...` (inverted lines add up, so one line denies the same types).
 */
export function oneNamespaceLine(lines: readonly string[]): string[] {
  const types: string[] = [];
  const out: string[] = [];
  let at = -1;
  for (const l of lines) {
    const m = /^RestrictNamespaces=~(\S+)$/.exec(l);
    if (!m) {
      out.push(l);
      continue;
    }
    if (at < 0) at = out.push('') - 1;
    types.push(m[1]!);
  }
  if (types.length < 2) return lines.slice();
  out[at] = RATED_NAMESPACES.every((t) => types.includes(t))
    ? 'RestrictNamespaces=yes'
    : `RestrictNamespaces=~${types.join(' ')}`;
  return out;
}

export function safePlan(suggestions: readonly Suggestion[], section: string, version: number): LinePlan | null {
  let key = `${version}\n${section}\n`;
  for (const s of suggestions) if (s.safe) key += `${planIds.get(s.lines) ?? s.lines.join('\n')},`;
  let plan = safePlans.get(key);
  if (plan === undefined) {
    const lines: string[] = [];
    for (const s of suggestions) if (s.safe) for (const l of s.lines) if (!lines.includes(l)) lines.push(l);
    plan = lines.length ? makePlan(oneNamespaceLine(lines), section, version) : null;
    if (safePlans.size >= 4096) safePlans.clear();
    safePlans.set(key, plan);
  }
  return plan;
}
