/**
 * Predicted deltas: for every check that is not at its best, the [Service] lines that bring it
 * there, and the exposure after adding them — computed by appending a synthetic drop-in holding
 * those lines to the unit and scoring it again, so every interaction systemd has (DynamicUser=
 * turning on other settings, ProtectClock= opening char-rtc under a device policy, merge rules of
 * list settings, ...) is accounted for. Lines are only offered when the target version parses
 * them without a warning. Also the "safe set": the suggestions that are unlikely to break a
 * typical daemon, applied together.
 *
 * Scoring "again" is incremental (the result is the same as rebuilding the unit with the drop-in and
 * scoring it from scratch: suggestByRebuilding(), which the tests hold suggest() to): the drop-in's
 * lines come after every file, so only the settings they name change; their folds continue from the
 * unit's folded state (AppendedVariants in model/security-inputs.ts), the analyser's inputs are
 * derived again into a scratch object, and only the checks that read a changed input (for the
 * capability and namespace masks: the checks of the flipped bits) are assessed again, adjusting the
 * sums of the unit's own score. Row order and full check tables are not built for variants.
 */
import { isKnown } from '../knowledge/directives';
import { breakageChecker, type CutLine, cutLines } from './breakage';
import { buildUnit } from '../model/build';
import { AppendedVariants, appendedInputs } from '../model/appended';
import { modelForAnalysis, type SecurityInputs, securityInputs, execSectionOf } from '../model/security-inputs';
import type { DerivedInput } from '../model/derive';
import type { UnitModel } from '../model/types';
import { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX } from '../model/values/address-families';
import { targetVersion } from '../model/values/types';
import { formatTenths, overallExposureN, weightedBadnessN } from './arithmetic';
import type { Assessor } from './assessors';
import { assessorsFor } from './assessors';
import type { CheckContext } from './checks';
import { assessCheck, type CheckTable, checkTable } from './engine';
import { type CheckResult, policyAbort, type ScoreOptions, type ScoreResult, scoreInputs } from './score';

export interface Suggestion {
  json_field: string;
  name: string;
  /** Badness now and after applying `lines` (0 unless systemd adds something back, e.g. char-rtc). */
  badness: number;
  badnessAfter: number | null;
  /** Lines to add under [Service], in order (shared between units: do not change). */
  lines: readonly string[];
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
  /** Fixes not suggested because the unit shows they would break it (see breakage.ts). */
  avoided?: AvoidedSuggestion[];
}

export interface AvoidedSuggestion {
  json_field: string;
  name: string;
  lines: string[];
  reason: string;
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

/** Path of the synthetic drop-in for a model (beside its unit file). */
function dropinPath(model: UnitModel): string {
  return `${model.files[0]?.path ?? `/etc/systemd/system/${model.name}`}.d/${SUGGESTION_DROPIN}`;
}

function dropinText(section: string, lines: readonly string[]): string {
  let text = `[${section}]\n`;
  for (const l of lines) text += l + '\n';
  return text;
}

/** A suggestion's lines, the drop-in text holding them and whether the version knows them, kept per check. */
interface LinePlan {
  lines: readonly string[];
  cut: readonly CutLine[];
  text: string;
  known: boolean;
}

/** Per version and section, per assessor index: the plan of checks whose lines do not depend on the unit. */
const plans = new Map<string, Array<LinePlan | null | undefined>>();
/** Plans of the checks whose lines depend on the unit, by section and lines. */
const unitPlans = new WeakMap<Assessor, Map<string, LinePlan | null>>();

function dependsOnUnit(a: Assessor): boolean {
  return a.kind === 'user' || a.kind === 'system_call_architectures' || a.parameters?.field === 'restrict_address_family_other';
}

function makePlan(lines: readonly string[] | null, section: string, version: number): LinePlan | null {
  if (!lines) return null;
  return {
    lines: Object.freeze([...lines]),
    cut: Object.freeze(cutLines(lines)),
    text: dropinText(section, lines),
    known: lines.every((l) => isKnown(section, l.slice(0, l.indexOf('=')), version)),
  };
}

/** The plans of one version and section, indexed like assessorsFor(version); filled in as checks need them. */
function plansOf(section: string, version: number): Array<LinePlan | null | undefined> {
  const key = `${version}\n${section}`;
  let list = plans.get(key);
  if (!list) plans.set(key, (list = []));
  return list;
}

/** The lines for check `index` (linesFor()), with the text of their drop-in; shared between units. */
function planFor(list: Array<LinePlan | null | undefined>, index: number, a: Assessor, info: SecurityInputs, section: string, version: number): LinePlan | null {
  if (!dependsOnUnit(a)) {
    let plan = list[index];
    if (plan === undefined) list[index] = plan = makePlan(linesFor(a, info), section, version);
    return plan;
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

/**
 * The SecurityInputs properties that differ between two inputs (lists and sets by content): every
 * property an assess function may read. suggestions.test.ts holds this list to the check tables.
 */
export function changedInputs(a: SecurityInputs, b: SecurityInputs, out: Array<keyof SecurityInputs>): void {
  if (a.version !== b.version) out.push('version');
  if (a.defaultDependencies !== b.defaultDependencies) out.push('defaultDependencies');
  if (a.ambientCapabilities !== b.ambientCapabilities) out.push('ambientCapabilities');
  if (a.capabilityBoundingSet !== b.capabilityBoundingSet) out.push('capabilityBoundingSet');
  if (a.user !== b.user) out.push('user');
  if (!sameList(a.supplementaryGroups, b.supplementaryGroups)) out.push('supplementaryGroups');
  if (a.dynamicUser !== b.dynamicUser) out.push('dynamicUser');
  if (a.ipAddressDenyAll !== b.ipAddressDenyAll) out.push('ipAddressDenyAll');
  if (a.ipAddressAllowLocalhost !== b.ipAddressAllowLocalhost) out.push('ipAddressAllowLocalhost');
  if (a.ipAddressAllowOther !== b.ipAddressAllowOther) out.push('ipAddressAllowOther');
  if (a.ipFiltersCustomIngress !== b.ipFiltersCustomIngress) out.push('ipFiltersCustomIngress');
  if (a.ipFiltersCustomEgress !== b.ipFiltersCustomEgress) out.push('ipFiltersCustomEgress');
  if (a.keyringMode !== b.keyringMode) out.push('keyringMode');
  if (a.protectProc !== b.protectProc) out.push('protectProc');
  if (a.procSubset !== b.procSubset) out.push('procSubset');
  if (a.lockPersonality !== b.lockPersonality) out.push('lockPersonality');
  if (a.memoryDenyWriteExecute !== b.memoryDenyWriteExecute) out.push('memoryDenyWriteExecute');
  if (a.noNewPrivileges !== b.noNewPrivileges) out.push('noNewPrivileges');
  if (a.notifyAccess !== b.notifyAccess) out.push('notifyAccess');
  if (a.protectHostname !== b.protectHostname) out.push('protectHostname');
  if (a.privateDevices !== b.privateDevices) out.push('privateDevices');
  if (a.privateMounts !== b.privateMounts) out.push('privateMounts');
  if (a.privateNetwork !== b.privateNetwork) out.push('privateNetwork');
  if (a.privateTmp !== b.privateTmp) out.push('privateTmp');
  if (a.privateUsers !== b.privateUsers) out.push('privateUsers');
  if (a.protectControlGroups !== b.protectControlGroups) out.push('protectControlGroups');
  if (a.protectKernelModules !== b.protectKernelModules) out.push('protectKernelModules');
  if (a.protectKernelTunables !== b.protectKernelTunables) out.push('protectKernelTunables');
  if (a.protectKernelLogs !== b.protectKernelLogs) out.push('protectKernelLogs');
  if (a.protectClock !== b.protectClock) out.push('protectClock');
  if (a.protectHome !== b.protectHome) out.push('protectHome');
  if (a.protectSystem !== b.protectSystem) out.push('protectSystem');
  if (a.removeIPC !== b.removeIPC) out.push('removeIPC');
  if (a.restrictAddressFamilyInet !== b.restrictAddressFamilyInet) out.push('restrictAddressFamilyInet');
  if (a.restrictAddressFamilyUnix !== b.restrictAddressFamilyUnix) out.push('restrictAddressFamilyUnix');
  if (a.restrictAddressFamilyNetlink !== b.restrictAddressFamilyNetlink) out.push('restrictAddressFamilyNetlink');
  if (a.restrictAddressFamilyPacket !== b.restrictAddressFamilyPacket) out.push('restrictAddressFamilyPacket');
  if (a.restrictAddressFamilyOther !== b.restrictAddressFamilyOther) out.push('restrictAddressFamilyOther');
  if (a.restrictNamespaces !== b.restrictNamespaces) out.push('restrictNamespaces');
  if (a.restrictRealtime !== b.restrictRealtime) out.push('restrictRealtime');
  if (a.restrictSUIDSGID !== b.restrictSUIDSGID) out.push('restrictSUIDSGID');
  if (a.rootDirectory !== b.rootDirectory) out.push('rootDirectory');
  if (a.rootImage !== b.rootImage) out.push('rootImage');
  if (a.delegate !== b.delegate) out.push('delegate');
  if (a.devicePolicy !== b.devicePolicy) out.push('devicePolicy');
  if (!sameList(a.deviceAllow, b.deviceAllow)) out.push('deviceAllow');
  if (!sameList(a.systemCallArchitectures, b.systemCallArchitectures)) out.push('systemCallArchitectures');
  if (a.systemCallFilterAllowList !== b.systemCallFilterAllowList) out.push('systemCallFilterAllowList');
  if (!sameSet(a.systemCallFilter, b.systemCallFilter)) out.push('systemCallFilter');
  if (a.umask !== b.umask) out.push('umask');
}

/** changedInputs() among `props` only (a variant's candidates: every other input is known equal). */
export function changedAmong(a: SecurityInputs, b: SecurityInputs, props: readonly DerivedInput[], out: Array<keyof SecurityInputs>): void {
  for (const p of props) {
    const x = a[p];
    const y = b[p];
    if (x === y) continue;
    if (Array.isArray(x) ? !sameList(x, y as unknown[]) : x instanceof Set ? !sameSet(x, y as Set<unknown>) : true) out.push(p);
  }
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSet(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * The base unit scored check by check, so that a variant only re-assesses the checks whose inputs
 * changed and adjusts the sums.
 */
class Baseline {
  private readonly badness: Array<number | null>;
  private readonly badnessSum: number;
  private readonly weightSum: number;
  /** Marks of the checks re-assessed for the current variant. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  private readonly changed: Array<keyof SecurityInputs> = [];
  private readonly ctx: CheckContext;
  /** After variant() answered true: the overall exposure (tenths) and the badness of the check asked about. */
  tenths = 0;
  own: number | null = null;
  /** Running sums of the current variant. */
  private sumB = 0;
  private sumW = 0;
  private v: SecurityInputs | null = null;
  private index = -1;

  static of(info: SecurityInputs, base: ScoreResult, options: ScoreOptions): Baseline | null {
    const table = checkTable(info.version, options.policy);
    return table.doubles ? new Baseline(info, table, base, options) : null;
  }

  private constructor(
    private readonly info: SecurityInputs,
    private readonly table: CheckTable,
    base: ScoreResult,
    options: ScoreOptions,
  ) {
    this.badness = new Array(table.checks.length).fill(null);
    let badnessSum = 0;
    let weightSum = 0;
    for (const c of base.checks) {
      this.badness[c.index] = c.badness;
      if (c.badness !== null) {
        badnessSum += weightedBadnessN(c.badness, c.weight, c.range);
        weightSum += c.weight;
      }
    }
    this.badnessSum = badnessSum;
    this.weightSum = weightSum;
    this.seen = new Uint32Array(table.checks.length);
    this.ctx = { seccompTable: options.seccompTable ?? 'distribution' };
  }

  /** Re-assesses check i for the current variant and adjusts the sums; false when systemd would abort. */
  private visit(i: number): boolean {
    if (this.seen[i] === this.stamp) return true;
    this.seen[i] = this.stamp;
    const c = this.table.checks[i]!;
    const after = assessCheck(c, this.v!, this.ctx).badness;
    const before = this.badness[i]!;
    if (i === this.index) this.own = after;
    if (after === before) return true;
    if (policyAbort(c, after, this.table)) return false;
    if (before !== null) {
      this.sumB -= weightedBadnessN(before, c.eff.weight, c.eff.range);
      this.sumW -= c.eff.weight;
    }
    if (after !== null) {
      this.sumB += weightedBadnessN(after, c.eff.weight, c.eff.range);
      this.sumW += c.eff.weight;
    }
    return true;
  }

  /**
   * Scores the variant `v` (its `candidates`: the inputs that may differ, null for any): true with
   * `tenths` and `own` (the badness of check `index`) set, false when systemd would not score it.
   */
  variant(v: SecurityInputs, index: number, candidates: readonly DerivedInput[] | null): boolean {
    if (v.refused) return false;
    const { table, info, changed } = this;
    this.v = v;
    this.index = index;
    this.sumB = this.badnessSum;
    this.sumW = this.weightSum;
    this.own = this.badness[index]!;
    this.stamp++;
    changed.length = 0;
    if (candidates) changedAmong(info, v, candidates, changed);
    else changedInputs(info, v, changed);
    for (const prop of changed) {
      const bits = table.bitReaders.get(prop);
      if (bits) {
        // A mask: only the checks of the flipped bits can change.
        const flipped = (info[prop] as bigint) ^ (v[prop] as bigint);
        let word = Number(flipped & 0xffffffffn);
        while (word !== 0) {
          const bit = 31 - Math.clz32(word);
          word = (word ^ (1 << bit)) >>> 0;
          for (const i of bits.byBit[bit]!) if (!this.visit(i)) return false;
        }
        word = Number(flipped >> 32n);
        while (word !== 0) {
          const bit = 31 - Math.clz32(word);
          word = (word ^ (1 << bit)) >>> 0;
          for (const i of bits.byBit[32 + bit]!) if (!this.visit(i)) return false;
        }
        for (const i of bits.others) if (!this.visit(i)) return false;
        continue;
      }
      const readers = table.readers.get(prop);
      if (readers === undefined) continue;
      for (const i of readers) if (!this.visit(i)) return false;
    }
    if (this.sumW === 0) return false;
    this.tenths = overallExposureN(this.sumB, this.sumW);
    return true;
  }
}

export function suggest(model: UnitModel, options: ScoreOptions = {}): SuggestResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  const info = securityInputs(m, options);
  const base = scoreInputs(info, options);
  if (!base.exposure) return { base, suggestions: [], safeSet: null };
  const section = execSectionOf(m.type) ?? 'Service';
  const path = dropinPath(m);
  const fast = Baseline.of(info, base, options);
  const variants = new AppendedVariants(m, options, info);
  const byIndex: CheckResult[] = [];
  for (const c of base.checks) byIndex[c.index] = c;
  const suggestions: Suggestion[] = [];
  const avoided: AvoidedSuggestion[] = [];
  const breaks = options.avoidBreakage === false ? null : breakageChecker(m);
  const assessors = assessorsFor(version);
  const sectionPlans = plansOf(section, m.version);
  for (let index = 0; index < assessors.length; index++) {
    const a = assessors[index]!;
    const c = byIndex[index];
    if (!c || c.badness === null || c.badness === 0) continue;
    const plan = planFor(sectionPlans, index, a, info, section, m.version);
    if (!plan || !plan.known) continue;
    const risk = breaks?.(plan.cut) ?? null;
    if (risk) {
      avoided.push({ json_field: a.json_field, name: a.name, lines: [...plan.lines], reason: risk });
      continue;
    }
    const v: { inputs: SecurityInputs | null; dropinProblems: number; dropinIgnored: number; candidates?: readonly DerivedInput[] } =
      variants.try(path, plan.text, plan) ?? appendedInputs(m, { path, text: plan.text }, options, info);
    if (v.dropinProblems || v.dropinIgnored || !v.inputs) continue;
    let tenths: number;
    let badnessAfter: number | null;
    if (fast) {
      if (!fast.variant(v.inputs, index, v.candidates ?? null)) continue;
      tenths = fast.tenths;
      badnessAfter = fast.own;
    } else {
      const r = scoreInputs(v.inputs, options);
      if (!r.exposure) continue;
      tenths = r.exposure.tenths;
      badnessAfter = r.checks.find((k) => k.json_field === a.json_field)?.badness ?? null;
    }
    if (badnessAfter !== null && badnessAfter >= c.badness) continue;
    suggestions.push({
      json_field: a.json_field,
      name: a.name,
      badness: c.badness,
      badnessAfter,
      lines: plan.lines,
      exposure: { tenths, text: formatTenths(tenths) },
      delta: tenths - base.exposure.tenths,
      safe: SAFE_CHECKS.has(a.json_field),
    });
  }
  sortSuggestions(suggestions);

  let safeSet: SuggestResult['safeSet'] = null;
  const safeLines: string[] = [];
  for (const s of suggestions) if (s.safe) for (const l of s.lines) if (!safeLines.includes(l)) safeLines.push(l);
  if (safeLines.length) {
    const dropin = { path, text: dropinText(section, safeLines) };
    const full = (): ScoreResult => scoreInputs(appendedInputs(m, dropin, options, info).inputs, options);
    const v = fast ? variants.try(dropin.path, dropin.text) : null;
    if (fast && v?.inputs) {
      // The exposure from the changed checks; the full result only when someone asks for it.
      const after = fast.variant(v.inputs, 0, v.candidates) ? { tenths: fast.tenths } : null;
      if (after) safeSet = lazyResult({ lines: safeLines, exposure: { tenths: after.tenths, text: formatTenths(after.tenths) }, delta: after.tenths - base.exposure.tenths }, full);
    } else {
      const result = full();
      if (result.exposure) safeSet = { lines: safeLines, exposure: result.exposure, delta: result.exposure.tenths - base.exposure.tenths, result };
    }
  }
  return { base, suggestions, safeSet, avoided };
}

type SafeSet = NonNullable<SuggestResult['safeSet']>;

/** The safe set with `result` computed on first use (and kept). */
function lazyResult(s: Omit<SafeSet, 'result'>, compute: () => ScoreResult): SafeSet {
  return new LazySafeSet(s.lines, s.exposure, s.delta, compute);
}

/**
 * A class getter, not an accessor defined on each object: V8 gives an object with its own accessor a
 * hidden class of its own that holds the getter's closure (and through it the unit being scored), and
 * keeps it through young-generation collections.
 */
class LazySafeSet implements SafeSet {
  #compute: (() => ScoreResult) | null;
  #result: ScoreResult | undefined;

  constructor(
    readonly lines: string[],
    readonly exposure: { tenths: number; text: string },
    readonly delta: number,
    compute: () => ScoreResult,
  ) {
    this.#compute = compute;
  }

  get result(): ScoreResult {
    if (this.#compute) {
      this.#result = this.#compute();
      this.#compute = null;
    }
    return this.#result!;
  }
}

/** Best improvement first, then the lower badness after; otherwise in check order (a stable sort). */
function sortSuggestions(list: Suggestion[]): void {
  const n = list.length;
  if (n < 2) return;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    keys[i] = ((s.delta + 4096) * 65536 + (s.badnessAfter ?? 0)) * 4096 + i;
  }
  keys.sort();
  const copy = list.slice();
  for (let i = 0; i < n; i++) list[i] = copy[keys[i]! % 4096]!;
}

/**
 * The slow reference for suggest(): every suggestion's lines appended as a drop-in, the unit
 * rebuilt from its files and scored from scratch. Tests hold suggest() to it.
 */
export function suggestByRebuilding(model: UnitModel, options: ScoreOptions = {}): SuggestResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  const info = securityInputs(m, options);
  const base = scoreInputs(info, options);
  if (!base.exposure) return { base, suggestions: [], safeSet: null };
  const rebuilt = (lines: readonly string[]): { result: ScoreResult; clean: boolean } => {
    const files = m.files.map((f) => ({ path: f.path, text: f.tree.text }));
    const section = execSectionOf(m.type) ?? 'Service';
    files.push({ path: dropinPath(m), text: dropinText(section, lines) });
    // Fresh trees and a fresh model: nothing cached is reused.
    const um = buildUnit(m.name, files, { version: m.version });
    const synthetic = um.files[um.files.length - 1]!;
    const vi = securityInputs(um, options);
    const clean =
      !vi.problems.some((p) => p.assignment.file === synthetic) &&
      !um.ignored.some((i) => i.file === synthetic) &&
      lines.every((l) => isKnown(section, l.slice(0, l.indexOf('=')), um.version));
    return { result: scoreInputs(vi, options), clean };
  };
  const byField = new Map<string, CheckResult>(base.checks.map((c) => [c.json_field, c]));
  const suggestions: Suggestion[] = [];
  const avoided: AvoidedSuggestion[] = [];
  const breaks = options.avoidBreakage === false ? null : breakageChecker(m);
  for (const a of assessorsFor(version)) {
    const c = byField.get(a.json_field);
    if (!c || c.badness === null || c.badness === 0) continue;
    const lines = linesFor(a, info);
    if (!lines) continue;
    const risk = breaks?.(cutLines(lines)) ?? null;
    if (risk) {
      avoided.push({ json_field: a.json_field, name: a.name, lines, reason: risk });
      continue;
    }
    const { result, clean } = rebuilt(lines);
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
    const { result } = rebuilt(safeLines);
    if (result.exposure) safeSet = { lines: safeLines, exposure: result.exposure, delta: result.exposure.tenths - base.exposure.tenths, result };
  }
  return { base, suggestions, safeSet, avoided };
}
