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
import { AppendedVariants, appendedInputs, type SyntheticSlot } from '../model/appended';
import { modelForAnalysis, type SecurityInputs, securityInputs, execSectionOf } from '../model/security-inputs';
import { type InputAccess, sameList, sameSet } from '../model/property-access';
import type { UnitModel } from '../model/types';
import { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX } from '../model/values/address-families';
import { targetVersion } from '../model/values/types';
import { type Exposure, exposureOf, overallExposureN, weightedBadnessN } from './arithmetic';
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
  exposure: Exposure;
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
  safeSet: { lines: string[]; exposure: Exposure; delta: number; result: ScoreResult } | null;
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

const safeByTable = new WeakMap<readonly Assessor[], readonly boolean[]>();

/** Per assessor index, whether its check is in SAFE_CHECKS. */
function safeFlags(assessors: readonly Assessor[]): readonly boolean[] {
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
interface LinePlan extends SyntheticSlot {
  lines: readonly string[];
  cut: readonly CutLine[];
  text: string;
  known: boolean;
}

/** Per version and section, per assessor index: the plan of checks whose lines do not depend on the unit. */
const plans = new Map<string, PlanList>();
/** In a PlanList: the check's lines depend on the unit (see unitPlans). */
const PER_UNIT = Symbol('per unit');
type PlanList = Array<LinePlan | null | undefined | typeof PER_UNIT>;
/** Each plan's lines (arrays of their own) numbered, to name a combination of plans (the safe set). */
const planIds = new WeakMap<readonly string[], number>();
let nextPlanId = 0;
/** Plans of the checks whose lines depend on the unit, by section and lines. */
const unitPlans = new WeakMap<Assessor, Map<string, LinePlan | null>>();

function dependsOnUnit(a: Assessor): boolean {
  return a.kind === 'user' || a.kind === 'system_call_architectures' || a.parameters?.field === 'restrict_address_family_other';
}

function makePlan(lines: readonly string[] | null, section: string, version: number): LinePlan | null {
  if (!lines) return null;
  const own = [...lines];
  planIds.set(own, nextPlanId++);
  return {
    // Typed readonly, not frozen: V8 iterates frozen arrays slowly.
    lines: own,
    cut: cutLines(lines),
    text: dropinText(section, lines),
    known: lines.every((l) => isKnown(section, l.slice(0, l.indexOf('=')), version)),
    synthetic: null,
  };
}

/** The plans of one version and section, indexed like assessorsFor(version); filled in as checks need them. */
function plansOf(section: string, version: number): PlanList {
  const key = `${version}\n${section}`;
  let list = plans.get(key);
  if (!list) plans.set(key, (list = []));
  return list;
}

/** The lines for check `index` (linesFor()), with the text of their drop-in; shared between units. */
function planFor(list: PlanList, index: number, a: Assessor, info: SecurityInputs, section: string, version: number): LinePlan | null {
  const known = list[index];
  if (known !== undefined && known !== PER_UNIT) return known;
  if (known === undefined) {
    if (!dependsOnUnit(a)) return (list[index] = makePlan(linesFor(a, info), section, version));
    list[index] = PER_UNIT;
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

/**
 * Scratch of Baseline.variant(), shared (variants are scored one at a time, never nested): per check,
 * the stamp of the variant that last re-assessed it; the indices of a variant's changed inputs.
 */
let SEEN = new Uint32Array(128);
let STAMP = 0;
let CHANGED_AT = new Int32Array(64);

function nextStamp(): number {
  STAMP = (STAMP + 1) >>> 0;
  if (STAMP === 0) {
    SEEN.fill(0);
    STAMP = 1;
  }
  return STAMP;
}

/**
 * The base unit scored check by check, so that a variant only re-assesses the checks whose inputs
 * changed and adjusts the sums.
 */
class Baseline {
  private readonly badness: Array<number | null>;
  private readonly badnessSum: number;
  private readonly weightSum: number;
  /** The current variant's mark in SEEN. */
  private stamp = 0;
  private readonly changed: Array<keyof SecurityInputs> = [];
  private readonly routes: Map<InputAccess, readonly Route[]>;
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
    if (SEEN.length < table.checks.length) SEEN = new Uint32Array(table.checks.length);
    this.ctx = { seccompTable: options.seccompTable ?? 'distribution' };
    let routes = tableRoutes.get(table);
    if (!routes) tableRoutes.set(table, (routes = new Map()));
    this.routes = routes;
  }

  /** Re-assesses check i for the current variant and adjusts the sums; false when systemd would abort. */
  private visit(i: number): boolean {
    if (SEEN[i] === this.stamp) return true;
    SEEN[i] = this.stamp;
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

  /** The checks that read one input: per bit for the masks. */
  private visitInput(prop: keyof SecurityInputs, route: Route): boolean {
    if (route.bits) {
      // A mask: only the checks of the flipped bits can change.
      const flipped = maskOf(this.info, prop) ^ maskOf(this.v!, prop);
      let word = Number(flipped & 0xffffffffn);
      while (word !== 0) {
        const bit = 31 - Math.clz32(word);
        word = (word ^ (1 << bit)) >>> 0;
        for (const i of route.bits.byBit[bit]!) if (!this.visit(i)) return false;
      }
      word = Number(flipped >> 32n);
      while (word !== 0) {
        const bit = 31 - Math.clz32(word);
        word = (word ^ (1 << bit)) >>> 0;
        for (const i of route.bits.byBit[32 + bit]!) if (!this.visit(i)) return false;
      }
      for (const i of route.bits.others) if (!this.visit(i)) return false;
      return true;
    }
    if (route.readers) for (const i of route.readers) if (!this.visit(i)) return false;
    return true;
  }

  private routesOf(access: InputAccess): readonly Route[] {
    let routes = this.routes.get(access);
    if (!routes) this.routes.set(access, (routes = access.names.map((n) => routeOf(this.table, n))));
    return routes;
  }

  /**
   * Scores the variant `v` (its `candidates`: the inputs that may differ, null for any): true with
   * `tenths` and `own` (the badness of check `index`) set, false when systemd would not score it.
   */
  variant(v: SecurityInputs, index: number, candidates: InputAccess | null): boolean {
    if (v.refused) return false;
    this.v = v;
    this.index = index;
    this.sumB = this.badnessSum;
    this.sumW = this.weightSum;
    this.own = this.badness[index]!;
    this.stamp = nextStamp();
    if (candidates) {
      if (CHANGED_AT.length < candidates.names.length) CHANGED_AT = new Int32Array(candidates.names.length);
      const changed = CHANGED_AT;
      const n = candidates.changed(this.info, v, changed);
      if (n) {
        const routes = this.routesOf(candidates);
        for (let k = 0; k < n; k++) {
          const j = changed[k]!;
          if (!this.visitInput(candidates.names[j]!, routes[j]!)) return false;
        }
      }
    } else {
      const changed = this.changed;
      changed.length = 0;
      changedInputs(this.info, v, changed);
      for (const prop of changed) if (!this.visitInput(prop, routeOf(this.table, prop))) return false;
    }
    if (this.sumW === 0) return false;
    this.tenths = overallExposureN(this.sumB, this.sumW);
    return true;
  }
}

/** Where a changed input leads in a check table. */
interface Route {
  readers: readonly number[] | undefined;
  bits: { byBit: ReadonlyArray<readonly number[]>; others: readonly number[] } | undefined;
}

const tableRoutes = new WeakMap<CheckTable, Map<InputAccess, readonly Route[]>>();

function routeOf(table: CheckTable, prop: keyof SecurityInputs): Route {
  return { readers: table.readers.get(prop), bits: table.bitReaders.get(prop) };
}

function maskOf(info: SecurityInputs, prop: keyof SecurityInputs): bigint {
  switch (prop) {
    case 'capabilityBoundingSet':
      return info.capabilityBoundingSet;
    case 'ambientCapabilities':
      return info.ambientCapabilities;
    case 'restrictNamespaces':
      return info.restrictNamespaces;
    default:
      return info[prop] as unknown as bigint;
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
  const safe = safeFlags(assessors);
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
    const v: { inputs: SecurityInputs | null; dropinProblems: number; dropinIgnored: number; candidates?: InputAccess } =
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
      exposure: exposureOf(tenths),
      delta: tenths - base.exposure.tenths,
      safe: safe[index]!,
    });
  }
  sortSuggestions(suggestions);

  let safeSet: SuggestResult['safeSet'] = null;
  const plan = safePlan(suggestions, section, m.version);
  if (plan) {
    const safeLines = plan.lines.slice();
    const dropin = { path, text: plan.text };
    const full = (): ScoreResult => scoreInputs(appendedInputs(m, dropin, options, info).inputs, options);
    const v = fast ? variants.try(dropin.path, dropin.text, plan) : null;
    if (fast && v?.inputs) {
      // The exposure from the changed checks; the full result only when someone asks for it.
      const after = fast.variant(v.inputs, 0, v.candidates) ? { tenths: fast.tenths } : null;
      if (after) safeSet = lazyResult({ lines: safeLines, exposure: exposureOf(after.tenths), delta: after.tenths - base.exposure.tenths }, full);
    } else {
      const result = full();
      if (result.exposure) safeSet = { lines: safeLines, exposure: result.exposure, delta: result.exposure.tenths - base.exposure.tenths, result };
    }
  }
  return { base, suggestions, safeSet, avoided };
}

type SafeSet = NonNullable<SuggestResult['safeSet']>;

/** The safe set's lines as a plan: every line of the safe suggestions, in their order, once; kept per combination. */
const safePlans = new Map<string, LinePlan | null>();

function safePlan(suggestions: readonly Suggestion[], section: string, version: number): LinePlan | null {
  let key = `${version}\n${section}\n`;
  for (const s of suggestions) if (s.safe) key += `${planIds.get(s.lines) ?? s.lines.join('\n')},`;
  let plan = safePlans.get(key);
  if (plan === undefined) {
    const lines: string[] = [];
    for (const s of suggestions) if (s.safe) for (const l of s.lines) if (!lines.includes(l)) lines.push(l);
    plan = lines.length ? makePlan(lines, section, version) : null;
    if (safePlans.size >= 4096) safePlans.clear();
    safePlans.set(key, plan);
  }
  return plan;
}

/** The safe set with `result` computed on first use (and kept). */
function lazyResult(s: Omit<SafeSet, 'result'>, compute: () => ScoreResult): SafeSet {
  return new LazySafeSet(s.lines, s.exposure, s.delta, compute);
}

/**
 * A class getter, not an accessor defined on each object: V8 gives an object with an accessor of its
 * own a hidden class of its own, which holds the getter's closure (and through it the unit scored) from
 * the old generation, so every scored unit survived young-generation collections.
 */
class LazySafeSet implements SafeSet {
  #compute: (() => ScoreResult) | null;
  #result: ScoreResult | null = null;

  constructor(
    readonly lines: string[],
    readonly exposure: Exposure,
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
  // A counting sort (stable) on (delta, badness after): both are small integers.
  let lo = Infinity;
  let hi = -Infinity;
  let width = 1;
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    if (s.delta < lo) lo = s.delta;
    if (s.delta > hi) hi = s.delta;
    if ((s.badnessAfter ?? 0) >= width) width = (s.badnessAfter ?? 0) + 1;
  }
  const buckets = (hi - lo + 1) * width;
  if (buckets >= SORT_COUNTS.length) {
    list.sort((x, y) => x.delta - y.delta || (x.badnessAfter ?? 0) - (y.badnessAfter ?? 0));
    return;
  }
  const counts = SORT_COUNTS;
  counts.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) counts[(list[i]!.delta - lo) * width + (list[i]!.badnessAfter ?? 0) + 1]!++;
  for (let k = 1; k <= buckets; k++) counts[k]! += counts[k - 1]!;
  const copy = list.slice();
  for (let i = 0; i < n; i++) {
    const s = copy[i]!;
    list[counts[(s.delta - lo) * width + (s.badnessAfter ?? 0)]!++] = s;
  }
}

/** Scratch counts of sortSuggestions() (suggest() does not re-enter itself). */
const SORT_COUNTS = new Int32Array(4096);

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
