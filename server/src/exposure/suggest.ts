/**
 * Predicted deltas: for every check that is not at its best, the [Service] lines that bring it
 * there, and the exposure after adding them — computed by appending a synthetic drop-in holding
 * those lines to the unit and scoring it again, so every interaction systemd has (DynamicUser=
 * turning on other settings, ProtectClock= opening char-rtc under a device policy, merge rules of
 * list settings, ...) is accounted for. Lines are only offered when the target version parses
 * them without a warning. Also the "safe set": the suggestions that are unlikely to break a
 * typical daemon, applied together.
 */
import { isKnown } from '../knowledge/directives';
import { buildUnit } from '../model/build';
import { modelForAnalysis, type SecurityInputs, securityInputs, execSectionOf } from '../model/security-inputs';
import type { UnitModel } from '../model/types';
import { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX } from '../model/values/address-families';
import { targetVersion } from '../model/values/types';
import type { Assessor } from './assessors';
import { assessorsFor } from './assessors';
import { type CheckResult, type ScoreOptions, type ScoreResult, scoreInputs } from './score';

export interface Suggestion {
  json_field: string;
  name: string;
  /** Badness now and after applying `lines` (0 unless systemd adds something back, e.g. char-rtc). */
  badness: number;
  badnessAfter: number | null;
  /** Lines to add under [Service], in order. */
  lines: string[];
  /** Overall exposure after adding the lines (tenths and as printed). */
  exposure: { tenths: number; text: string };
  /** Change of the overall exposure in tenths (negative = better). */
  delta: number;
  /** Part of the safe set (unlikely to break a typical daemon). */
  safe: boolean;
}

export interface SuggestResult {
  base: ScoreResult;
  /** Best improvement first. */
  suggestions: Suggestion[];
  /** All safe suggestions at once; null when there is none or the unit is refused. */
  safeSet: { lines: string[]; exposure: { tenths: number; text: string }; delta: number; result: ScoreResult } | null;
}

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
        return keep.length ? ['RestrictAddressFamilies=', `RestrictAddressFamilies=${keep.join(' ')}`] : ['RestrictAddressFamilies=none'];
      }
      return BOOL_LINES[p.field ?? ''] ?? null;
    }
    case 'user': {
      const u = info.user;
      return u === null || u === '' || u === '0' || u === 'root' || u === 'nobody' ? ['User=', 'DynamicUser=yes'] : ['DynamicUser=yes'];
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
      const name = { CLONE_NEWUSER: 'user', CLONE_NEWNS: 'mnt', CLONE_NEWIPC: 'ipc', CLONE_NEWPID: 'pid', CLONE_NEWCGROUP: 'cgroup', CLONE_NEWNET: 'net', CLONE_NEWUTS: 'uts' }[p.namespace ?? ''];
      return name ? [`RestrictNamespaces=~${name}`] : null;
    }
    case 'system_call_architectures':
      return info.systemCallArchitectures.length ? ['SystemCallArchitectures=', 'SystemCallArchitectures=native'] : ['SystemCallArchitectures=native'];
    case 'system_call_filter':
      return p.syscallGroup ? [`SystemCallFilter=~${p.syscallGroup}`] : null;
    case 'ip_address_allow':
      return ['IPAddressAllow=', 'IPAddressDeny=any'];
    case 'device_allow':
      return ['DevicePolicy=closed', 'DeviceAllow='];
  }
}

function withLines(model: UnitModel, lines: readonly string[]): UnitModel {
  const files = model.files.map((f) => ({ path: f.path, text: f.tree.text }));
  const dir = `${model.files[0]?.path ?? `/etc/systemd/system/${model.name}`}.d`;
  const section = execSectionOf(model.type) ?? 'Service';
  files.push({ path: `${dir}/${SUGGESTION_DROPIN}`, text: `[${section}]\n${lines.map((l) => l + '\n').join('')}` });
  return buildUnit(model.name, files, { version: model.version, trees: new Map(model.files.map((f) => [f.path, f.tree])) });
}

function scoreWith(model: UnitModel, lines: readonly string[], options: ScoreOptions): { result: ScoreResult; clean: boolean } {
  const m = withLines(model, lines);
  const info = securityInputs(m, options);
  const synthetic = m.files[m.files.length - 1]!;
  const clean =
    !info.problems.some((p) => p.assignment.file === synthetic) &&
    !m.ignored.some((i) => i.file === synthetic) &&
    lines.every((l) => isKnown(execSectionOf(m.type) ?? 'Service', l.slice(0, l.indexOf('=')), m.version));
  return { result: scoreInputs(info, options), clean };
}

export function suggest(model: UnitModel, options: ScoreOptions = {}): SuggestResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  const info = securityInputs(m, options);
  const base = scoreInputs(info, options);
  if (!base.exposure) return { base, suggestions: [], safeSet: null };
  const byField = new Map<string, CheckResult>(base.checks.map((c) => [c.json_field, c]));
  const suggestions: Suggestion[] = [];
  for (const a of assessorsFor(version)) {
    const c = byField.get(a.json_field);
    if (!c || c.badness === null || c.badness === 0) continue;
    const lines = linesFor(a, info);
    if (!lines) continue;
    const { result, clean } = scoreWith(m, lines, options);
    if (!clean || !result.exposure) continue;
    const after = result.checks.find((k) => k.json_field === a.json_field);
    if (after && after.badness !== null && after.badness >= c.badness) continue;
    suggestions.push({
      json_field: a.json_field,
      name: a.name,
      badness: c.badness,
      badnessAfter: after?.badness ?? null,
      lines,
      exposure: result.exposure,
      delta: result.exposure.tenths - base.exposure.tenths,
      safe: SAFE_CHECKS.has(a.json_field),
    });
  }
  suggestions.sort((x, y) => x.delta - y.delta || (x.badnessAfter ?? 0) - (y.badnessAfter ?? 0));

  let safeSet: SuggestResult['safeSet'] = null;
  const safeLines: string[] = [];
  for (const s of suggestions) if (s.safe) for (const l of s.lines) if (!safeLines.includes(l)) safeLines.push(l);
  if (safeLines.length) {
    const { result } = scoreWith(m, safeLines, options);
    if (result.exposure) safeSet = { lines: safeLines, exposure: result.exposure, delta: result.exposure.tenths - base.exposure.tenths, result };
  }
  return { base, suggestions, safeSet };
}
