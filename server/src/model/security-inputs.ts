/**
 * Everything `systemd-analyze security --offline=yes` reads about a unit (get_security_info() in
 * src/analyze/analyze-security.c), computed from the unit's files the way systemd loads them:
 * each setting folded by its config_parse_* rules (./values), then unit_patch_contexts() applied
 * (DynamicUser= implications, capabilities dropped by PrivateDevices=/ProtectKernelModules=/
 * ProtectKernelLogs=/ProtectClock=, DevicePolicy= and the device entries systemd adds), then the
 * per-version conversion of the exec settings to the analyser's booleans/strings.
 *
 * Whether systemd would refuse to load the unit at all is refusal.ts; the shapes of the values are
 * in security-types.ts.
 */
import { isKnown } from '../knowledge/directives';
import { parseUnitFile } from '../syntax/parser';
import type { UnitFileTree } from '../syntax/types';
import { buildUnit } from './build';
import type { Assignment, LoadedFile, SourceFile, UnitModel, ValueProblem } from './types';
import { parseUnitName } from './unit-name';
import { foldAddressFamilies } from './values/address-families';
import { foldBoolean, foldTristate } from './values/booleans';
import { type CapabilitySetting, foldCapabilities } from './values/capabilities';
import { foldDelegate } from './values/delegate';
import { foldDeviceAllow } from './values/device-allow';
import { devicePolicyTable, type EnumTable, foldEnum, foldProtectHostname, keyringModeTable, notifyAccessTable, privateTmpTable, privateUsersTable, procSubsetTable, protectControlGroupsTable, protectHomeTable, protectProcTable, protectSystemTable } from './values/enums';
import { type ExecCommand, foldExec } from './values/exec';
import { foldIpAddressList } from './values/ip-address';
import { foldRestrictNamespaces } from './values/namespaces';
import { foldFilterPaths, foldNamespacePaths, foldOptionalPath, foldRootPath, foldWorkingDirectory, type NamespacePath } from './values/paths';
import { foldServiceSettings, type ServiceSettings } from './values/service';
import type { SpecifierContext } from './values/specifiers';
import type { SeccompTable } from './values/vocab';
import { foldSyscallArchitectures, foldSyscallErrorNumber, foldSyscallFilter } from './values/syscalls';
import { type Folded, targetVersion } from './values/types';
import { foldUMask } from './values/umask';
import { foldSupplementaryGroups, foldUserOrGroup, type UserValue } from './values/user';
import { refusalOf } from './refusal';
import { deriveEnv, deriveInputs, derivationsReading, type DerivedInput, type DeriveEnv, type FieldPath, type PartialDerivation } from './derive';
import { cgroupSectionOf, execSectionOf } from './sections';
import { BOOLEAN_EXEC_KEYS, EXEC_COMMAND_KEYS, type SecurityInputOptions, type SecurityInputs, type TypedValues } from './security-types';

export { refusalOf } from './refusal';
export { execSectionOf } from './sections';
export type { Refusal, SecurityInputOptions, SecurityInputs, TypedValues } from './security-types';

const NAMESPACE_PATH_KEYS = [
  'ReadWritePaths',
  'ReadOnlyPaths',
  'InaccessiblePaths',
  'ExecPaths',
  'NoExecPaths',
  'ReadWriteDirectories',
  'ReadOnlyDirectories',
  'InaccessibleDirectories',
] as const;

/** Every "Section.Key" whose values are checked here (the generic invalid-value rule skips these). */
export const TYPED_SETTINGS: ReadonlySet<string> = (() => {
  const s = new Set<string>();
  const execKeys = [
    'User',
    'Group',
    'SupplementaryGroups',
    'DynamicUser',
    ...BOOLEAN_EXEC_KEYS,
    'PrivateTmp',
    'PrivateMounts',
    'PrivateUsers',
    'ProtectControlGroups',
    'ProtectHostname',
    'ProtectSystem',
    'ProtectHome',
    'ProtectProc',
    'ProcSubset',
    'KeyringMode',
    'CapabilityBoundingSet',
    'AmbientCapabilities',
    'SystemCallFilter',
    'SystemCallArchitectures',
    'SystemCallErrorNumber',
    'RestrictAddressFamilies',
    'RestrictNamespaces',
    'UMask',
    'RootDirectory',
    'RootImage',
    'WorkingDirectory',
    'PrivatePIDs',
    'UserNamespacePath',
    ...NAMESPACE_PATH_KEYS,
    'DevicePolicy',
    'DeviceAllow',
    'Delegate',
    'IPAddressAllow',
    'IPAddressDeny',
    'IPIngressFilterPath',
    'IPEgressFilterPath',
  ];
  for (const sec of ['Service', 'Socket', 'Mount', 'Swap']) for (const k of execKeys) s.add(`${sec}.${k}`);
  for (const k of ['DevicePolicy', 'DeviceAllow', 'Delegate', 'IPAddressAllow', 'IPAddressDeny', 'IPIngressFilterPath', 'IPEgressFilterPath']) {
    s.add(`Slice.${k}`);
    s.add(`Scope.${k}`);
  }
  for (const k of [...EXEC_COMMAND_KEYS, 'LoadCredential', 'LoadCredentialEncrypted', 'SetCredential', 'SetCredentialEncrypted', 'NotifyAccess', 'Type', 'Restart', 'RemainAfterExit', 'BusName', 'KillMode', 'PAMName', 'ExitType']) s.add(`Service.${k}`);
  s.add('Unit.DefaultDependencies');
  s.add('Unit.SuccessAction');
  return s;
})();

/** The unit name `systemd-analyze security --offline=yes` uses: templates get the fixed instance. */
export function analysedUnitName(name: string, version: number): string {
  const u = parseUnitName(name);
  if (!u || u.instance !== '') return name;
  return `${u.prefix}@${targetVersion(version) >= 257 ? 'test_instance' : 'i'}.${u.type}`;
}

const analysisModels = new WeakMap<UnitModel, Map<number, UnitModel>>();

/** Rebuilds the model for the name and version systemd-analyze would use, if they differ (cached per model). */
export function modelForAnalysis(model: UnitModel, version: number): UnitModel {
  const name = analysedUnitName(model.name, version);
  if (name === model.name && model.version === version) return model;
  let byVersion = analysisModels.get(model);
  if (!byVersion) analysisModels.set(model, (byVersion = new Map()));
  let m = byVersion.get(version);
  if (!m) {
    m = buildUnit(
      name,
      model.files.map((f) => ({ path: f.path, text: f.tree.text })),
      { version, trees: new Map(model.files.map((f) => [f.path, f.tree])) },
    );
    byVersion.set(version, m);
  }
  return m;
}

function problemOrder(a: ValueProblem, b: ValueProblem): number {
  return a.assignment.file.order - b.assignment.file.order || a.span.start - b.span.start;
}

/** The model with only the assignments `keep` accepts. */
function withAssignments(model: UnitModel, keep: (a: Assignment) => boolean): UnitModel {
  const assignments = model.assignments.filter(keep);
  const settings = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const k = `${a.section}.${a.key}`;
    const l = settings.get(k);
    if (l) l.push(a);
    else settings.set(k, [a]);
  }
  return { ...model, assignments, settings };
}

// ---------------------------------------------------------------------------------------------
// The folds, as a table of groups. Each group reads the assignments of a few settings (in the
// section the unit type keeps them in) and produces one part of TypedValues. Because systemd folds
// each setting on its own, appending assignments only changes the groups that read those settings:
// appendedInputs() folds just those again.

/** Where a group finds a setting: the exec section of the type, its cgroup section, [Service] of services only, [Unit], or [Service] whatever the type. */
type SectionRef = 'exec' | 'cgroup' | 'service' | 'unit' | 'Service';

interface FoldEnv {
  model: UnitModel;
  version: number;
  ctx: SpecifierContext;
  options: SecurityInputOptions;
}

type Lists = ReadonlyArray<readonly Assignment[]>;

/** A group's fold result; `state` when the fold's state is not its value (see foldCapabilities()). */
type GroupResult = Folded<unknown> & { state?: unknown };

interface Group {
  keys: ReadonlyArray<readonly [SectionRef, string]>;
  fold: (lists: Lists, env: FoldEnv) => GroupResult;
  /**
   * Continues the fold from an earlier result with more assignments (`lists`: only the new ones),
   * as if they had come after the earlier ones. Only used when the earlier fold had no fatal error.
   */
  resume?: (earlier: GroupResult, lists: Lists, env: FoldEnv) => GroupResult;
  /** refusalOf() reads this group's value. */
  refusal?: true;
  put: (tv: TypedValues, value: unknown) => void;
  /** The nested record of TypedValues `put` writes into (copied before a refold writes). */
  nested?: 'booleans' | 'namespacePaths' | 'exec';
  /** Reads the model itself rather than only its lists: appendedInputs() cannot refold it. */
  whole?: true;
  /** The TypedValues fields `put` writes (derive.ts's FieldPath); derive.test.ts checks them. */
  fields: readonly FieldPath[];
}

const SERVICE_SETTING_KEYS = [
  'Type',
  'Restart',
  'RemainAfterExit',
  'BusName',
  'KillMode',
  'PAMName',
  'ExitType',
  'RestartForceExitStatus',
  'LoadCredential',
  'LoadCredentialEncrypted',
  'SetCredential',
  'SetCredentialEncrypted',
  'ImportCredential',
] as const;

/** Settings refusalOf() reads from the model directly. */
const REFUSAL_KEYS = ['ManagedOOMSwap', 'ManagedOOMMemoryPressure', 'OOMRules'] as const;

const perVersion = <T>(make: (version: number) => T): ((version: number) => T) => {
  const cache = new Map<number, T>();
  return (version) => {
    let t = cache.get(version);
    if (t === undefined) cache.set(version, (t = make(version)));
    return t;
  };
};
const PRIVATE_TMP = perVersion(privateTmpTable);
const PRIVATE_USERS = perVersion(privateUsersTable);
const PROTECT_CONTROL_GROUPS = perVersion(protectControlGroupsTable);
const PROTECT_SYSTEM = protectSystemTable();
const PROTECT_HOME = protectHomeTable();
const PROTECT_PROC = protectProcTable();
const PROC_SUBSET = procSubsetTable();
const NOTIFY_ACCESS = notifyAccessTable();
const DEVICE_POLICY = devicePolicyTable();
const PRIVATE_PIDS: EnumTable = { words: ['no', 'yes'], booleanTrue: 'yes', empty: 'error', initial: 'no' };
const KEYRING_SERVICE = keyringModeTable('service');
const KEYRING_OTHER = keyringModeTable('socket');

function enumOrBool(l: readonly Assignment[], table: EnumTable | null, from?: string): Folded<string> {
  if (table) return foldEnum(l, table, from);
  const r = foldBoolean(l, from === undefined ? false : from === 'yes');
  return { value: r.value ? 'yes' : 'no', problems: r.problems };
}

const NO_PROBLEMS: ValueProblem[] = [];

/**
 * A group of one setting that fills one field. `fold(l, env, from)` folds the assignments `l`
 * starting from `from` (a value folded so far) or from the default when `from` is undefined.
 */
function simple<K extends keyof TypedValues>(
  sec: SectionRef,
  key: string,
  field: K,
  fold: (l: readonly Assignment[], env: FoldEnv, from?: TypedValues[K]) => Folded<TypedValues[K]>,
): Group {
  return {
    keys: [[sec, key]],
    fields: [field],
    fold: (lists, env) => fold(lists[0]!, env),
    resume: (earlier, lists, env) => fold(lists[0]!, env, earlier.value as TypedValues[K]),
    put: (tv, x) => {
      tv[field] = x as TypedValues[K];
    },
  };
}

/** simple() without resume (folds that stop at a fatal value, rarely repeated settings). */
function noResume<K extends keyof TypedValues>(sec: SectionRef, key: string, field: K, fold: (l: readonly Assignment[], env: FoldEnv) => Folded<TypedValues[K]>): Group {
  const g = simple(sec, key, field, fold);
  delete g.resume;
  return g;
}

/** CapabilityBoundingSet= / AmbientCapabilities=: the fold's state is not always its value (258+). */
function capabilities(key: CapabilitySetting, field: 'capabilityBoundingSet' | 'ambientCapabilities'): Group {
  return {
    keys: [['exec', key]],
    fields: [field],
    fold: (lists, env) => foldCapabilities(lists[0]!, key, env.version),
    resume: (earlier, lists, env) => foldCapabilities(lists[0]!, key, env.version, earlier.state as bigint),
    put: (tv, x) => {
      tv[field] = x as bigint;
    },
  };
}

/** The setting groups, each folded on its own (exported for derive.test.ts, which checks `fields`). */
export const GROUPS: readonly Group[] = [
  ...BOOLEAN_EXEC_KEYS.map(
    (k): Group => ({
      keys: [['exec', k]],
      fields: [`booleans.${k}`],
      fold: (lists) => foldBoolean(lists[0]!, false),
      resume: (earlier, lists) => foldBoolean(lists[0]!, earlier.value as boolean),
      put: (tv, x) => {
        tv.booleans[k] = x as boolean;
      },
      nested: 'booleans',
    }),
  ),
  ...NAMESPACE_PATH_KEYS.map(
    (k): Group => ({
      keys: [['exec', k]],
      fields: [`namespacePaths.${k}`],
      fold: (lists, env) => foldNamespacePaths(lists[0]!, env.ctx),
      put: (tv, x) => {
        tv.namespacePaths[k] = x as NamespacePath[];
      },
      nested: 'namespacePaths',
    }),
  ),
  ...EXEC_COMMAND_KEYS.map(
    (k): Group => ({
      keys: [['service', k]],
      fields: [`exec.${k}`],
      fold: (lists, env) => {
        const r = foldExec(lists[0]!, env.ctx);
        return { value: r.value, problems: r.problems };
      },
      put: (tv, x) => {
        tv.exec[k] = x as ExecCommand[];
      },
      nested: 'exec',
      refusal: true,
    }),
  ),
  {
    keys: [['exec', 'MountImages']],
    fields: ['mountImages'],
    fold: (lists) => {
      let mountImages = false;
      for (const a of lists[0]!) mountImages = a.value !== '';
      return { value: mountImages, problems: NO_PROBLEMS };
    },
    put: (tv, x) => {
      tv.mountImages = x as boolean;
    },
  },
  {
    keys: [['exec', 'User']],
    fields: ['user', 'userHostDependent'],
    refusal: true,
    fold: (lists, env) => foldUserOrGroup(lists[0]!, env.ctx),
    resume: (earlier, lists, env) => foldUserOrGroup(lists[0]!, env.ctx, earlier.value as UserValue),
    put: (tv, x) => {
      const u = x as ReturnType<typeof foldUserOrGroup>['value'];
      tv.user = u.name;
      tv.userHostDependent = u.hostDependent;
    },
  },
  {
    keys: [['exec', 'Group']],
    fields: ['group'],
    refusal: true,
    fold: (lists, env) => foldUserOrGroup(lists[0]!, env.ctx),
    put: (tv, x) => {
      tv.group = (x as ReturnType<typeof foldUserOrGroup>['value']).name;
    },
  },
  simple('exec', 'SupplementaryGroups', 'supplementaryGroups', (l, env, from) => foldSupplementaryGroups(l, env.ctx, from)),
  { ...simple('exec', 'DynamicUser', 'dynamicUser', (l, _env, from) => foldBoolean(l, from ?? false, { fatal: true })), refusal: true },
  simple('exec', 'PrivateTmp', 'privateTmp', (l, env, from) => enumOrBool(l, PRIVATE_TMP(env.version), from)),
  simple('exec', 'PrivateMounts', 'privateMounts', (l, env, from) => (targetVersion(env.version) >= 254 ? foldTristate(l, from) : foldBoolean(l, from ?? false))),
  { ...simple('exec', 'PrivateUsers', 'privateUsers', (l, env, from) => enumOrBool(l, PRIVATE_USERS(env.version), from)), refusal: true },
  simple('exec', 'ProtectControlGroups', 'protectControlGroups', (l, env, from) => enumOrBool(l, PROTECT_CONTROL_GROUPS(env.version), from)),
  simple('exec', 'ProtectHostname', 'protectHostname', (l, env, from) => foldProtectHostname(l, env.ctx, from)),
  simple('exec', 'ProtectSystem', 'protectSystem', (l, _env, from) => foldEnum(l, PROTECT_SYSTEM, from)),
  simple('exec', 'ProtectHome', 'protectHome', (l, _env, from) => foldEnum(l, PROTECT_HOME, from)),
  simple('exec', 'ProtectProc', 'protectProc', (l, _env, from) => foldEnum(l, PROTECT_PROC, from)),
  simple('exec', 'ProcSubset', 'procSubset', (l, _env, from) => foldEnum(l, PROC_SUBSET, from)),
  simple('exec', 'KeyringMode', 'keyringMode', (l, env, from) => foldEnum(l, env.model.type === 'service' || env.model.type === null ? KEYRING_SERVICE : KEYRING_OTHER, from)),
  capabilities('CapabilityBoundingSet', 'capabilityBoundingSet'),
  capabilities('AmbientCapabilities', 'ambientCapabilities'),
  simple('exec', 'SystemCallFilter', 'systemCallFilter', (l, env, from) => foldSyscallFilter(l, env.version, env.options.seccompTable, from)),
  simple('exec', 'SystemCallArchitectures', 'systemCallArchitectures', (l, env, from) => foldSyscallArchitectures(l, env.version, from)),
  noResume('exec', 'SystemCallErrorNumber', 'systemCallErrorNumber', (l, env) => foldSyscallErrorNumber(l, env.version)),
  simple('exec', 'RestrictAddressFamilies', 'restrictAddressFamilies', (l, env, from) => foldAddressFamilies(l, env.version, from)),
  simple('exec', 'RestrictNamespaces', 'restrictNamespaces', (l, env, from) => foldRestrictNamespaces(l, env.version, from)),
  simple('exec', 'UMask', 'umask', (l, _env, from) => foldUMask(l, from)),
  noResume('exec', 'RootDirectory', 'rootDirectory', (l, env) => foldRootPath(l, env.ctx)),
  noResume('exec', 'RootImage', 'rootImage', (l, env) => foldRootPath(l, env.ctx)),
  simple('cgroup', 'DevicePolicy', 'devicePolicy', (l, _env, from) => foldEnum(l, DEVICE_POLICY, from)),
  simple('cgroup', 'DeviceAllow', 'deviceAllow', (l, env, from) => foldDeviceAllow(l, env.ctx, from)),
  simple('cgroup', 'Delegate', 'delegate', (l, env, from) => foldDelegate(l, env.version, env.model.type, from)),
  simple('cgroup', 'IPAddressAllow', 'ipAddressAllow', (l, _env, from) => foldIpAddressList(l, from)),
  simple('cgroup', 'IPAddressDeny', 'ipAddressDeny', (l, _env, from) => foldIpAddressList(l, from)),
  noResume('cgroup', 'IPIngressFilterPath', 'ipIngressFilterPath', (l, env) => foldFilterPaths(l, env.ctx)),
  noResume('cgroup', 'IPEgressFilterPath', 'ipEgressFilterPath', (l, env) => foldFilterPaths(l, env.ctx)),
  simple('service', 'NotifyAccess', 'notifyAccess', (l, _env, from) => foldEnum(l, NOTIFY_ACCESS, from)),
  { ...simple('unit', 'DefaultDependencies', 'defaultDependencies', (l, _env, from) => foldBoolean(l, from ?? true)), refusal: true },
  { ...simple('exec', 'WorkingDirectory', 'workingDirectoryHome', (l, env, from) => foldWorkingDirectory(l, env.ctx, from)), refusal: true },
  {
    ...simple('exec', 'PrivatePIDs', 'privatePIDs', (l, _env, from) => {
      const r = foldEnum(l, PRIVATE_PIDS, from === undefined ? undefined : from ? 'yes' : 'no');
      return { value: r.value === 'yes', problems: r.problems };
    }),
    refusal: true,
  },
  { ...simple('exec', 'UserNamespacePath', 'userNamespacePath', (l, env, from) => foldOptionalPath(l, env.ctx, from)), refusal: true },
  {
    keys: [...SERVICE_SETTING_KEYS.map((k) => ['Service', k] as const), ['unit', 'SuccessAction']],
    fields: ['service'],
    fold: (_lists, env) => foldServiceSettings(env.model, env.ctx),
    put: (tv, x) => {
      tv.service = x as ServiceSettings;
    },
    whole: true,
    refusal: true,
  },
];

interface TypeKeys {
  /** Per group, the `Section.Key` of each of its settings (null: the unit type has no such section). */
  perGroup: ReadonlyArray<ReadonlyArray<string | null>>;
  /** `Section.Key` → the groups reading it. */
  groupsOf: ReadonlyMap<string, readonly number[]>;
  /** `Section.Key`s refusalOf() reads from the model. */
  refusalKeys: ReadonlySet<string>;
}

const typeKeys = new Map<string | null, TypeKeys>();

function keysOf(type: string | null): TypeKeys {
  let t = typeKeys.get(type);
  if (t) return t;
  const sections: Record<SectionRef, string | null> = {
    exec: execSectionOf(type),
    cgroup: cgroupSectionOf(type),
    service: type === 'service' || type === null ? 'Service' : null,
    unit: 'Unit',
    Service: 'Service',
  };
  const groupsOf = new Map<string, number[]>();
  const perGroup = GROUPS.map((g, i) =>
    g.keys.map(([sec, key]) => {
      const s = sections[sec];
      if (s === null) return null;
      const full = `${s}.${key}`;
      const l = groupsOf.get(full);
      if (l) l.push(i);
      else groupsOf.set(full, [i]);
      return full;
    }),
  );
  const cg = cgroupSectionOf(type);
  const refusalKeys = new Set(cg ? REFUSAL_KEYS.map((k) => `${cg}.${k}`) : []);
  t = { perGroup, groupsOf, refusalKeys };
  typeKeys.set(type, t);
  return t;
}

const NO_ASSIGNMENTS: readonly Assignment[] = [];

function emptyTypedValues(): TypedValues {
  return {
    user: null,
    userHostDependent: [],
    group: null,
    supplementaryGroups: [],
    dynamicUser: false,
    booleans: {} as TypedValues['booleans'],
    privateTmp: 'no',
    privateMounts: null,
    privateUsers: 'no',
    protectControlGroups: 'no',
    protectHostname: { mode: 'no', hostname: null },
    protectSystem: 'no',
    protectHome: 'no',
    protectProc: 'default',
    procSubset: 'all',
    keyringMode: 'private',
    capabilityBoundingSet: 0n,
    ambientCapabilities: 0n,
    systemCallFilter: { mode: null, entries: new Map() },
    systemCallArchitectures: [],
    systemCallErrorNumber: 0,
    restrictAddressFamilies: { allowList: false, families: null },
    restrictNamespaces: 0n,
    umask: 0,
    rootDirectory: null,
    rootImage: null,
    mountImages: false,
    namespacePaths: {},
    devicePolicy: 'auto',
    deviceAllow: [],
    delegate: { enabled: false, controllers: [] },
    ipAddressAllow: [],
    ipAddressDeny: [],
    ipIngressFilterPath: [],
    ipEgressFilterPath: [],
    exec: {} as TypedValues['exec'],
    notifyAccess: 'none',
    defaultDependencies: true,
    service: undefined as unknown as ServiceSettings,
    workingDirectoryHome: false,
    privatePIDs: false,
    userNamespacePath: null,
  };
}

/**
 * What each group folds to when the unit sets none of its settings, per version, unit type and
 * libseccomp table: shared by all such units (the values are never changed in place: later folds
 * start from copies).
 */
const defaultResults = new Map<string, Array<GroupResult | undefined>>();

function foldGroups(model: UnitModel, options: SecurityInputOptions): GroupResult[] {
  const env: FoldEnv = { model, version: model.version, ctx: specifierContext(model, options), options };
  const keys = keysOf(model.type).perGroup;
  const dkey = `${model.version} ${model.type} ${options.seccompTable ?? 'distribution'}`;
  let defaults = defaultResults.get(dkey);
  if (!defaults) defaultResults.set(dkey, (defaults = []));
  const out: GroupResult[] = new Array(GROUPS.length);
  for (let i = 0; i < GROUPS.length; i++) {
    const ks = keys[i]!;
    let set = false;
    const lists: Array<readonly Assignment[]> = [];
    for (const k of ks) {
      const l = k === null ? undefined : model.settings.get(k);
      if (l) set = true;
      lists.push(l ?? NO_ASSIGNMENTS);
    }
    if (set) out[i] = GROUPS[i]!.fold(lists, env);
    else out[i] = defaults[i] ??= freezeResult(GROUPS[i]!.fold(lists, env));
  }
  return out;
}

function freezeResult(r: GroupResult): GroupResult {
  const v = r.value;
  if (Array.isArray(v) || (typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Set))) Object.freeze(v);
  Object.freeze(r.problems);
  return Object.freeze(r);
}

function specifierContext(model: UnitModel, options: SecurityInputOptions): SpecifierContext {
  return { unitName: model.name, fragmentPath: model.files[0]?.path, version: model.version, host: options.host };
}

function assemble(results: readonly Folded<unknown>[]): TypedValues {
  const tv = emptyTypedValues();
  for (let i = 0; i < GROUPS.length; i++) GROUPS[i]!.put(tv, results[i]!.value);
  return tv;
}

function sortedProblems(results: readonly Folded<unknown>[], dropped: readonly ValueProblem[]): ValueProblem[] {
  const all: ValueProblem[] = [];
  for (const r of results) for (const p of r.problems) all.push(p);
  all.sort(problemOrder);
  if (dropped.length === 0) return all;
  const problems = [...all, ...dropped];
  problems.sort(problemOrder);
  return problems;
}

/** Everything folded for a model: kept per model so that callers asking again, and appendedInputs(), reuse it. */
interface FoldState {
  /** The model the lists were read from (drop-ins cut at their first fatal error). */
  cut: UnitModel;
  env: FoldEnv;
  results: Folded<unknown>[];
  dropped: ValueProblem[];
  value: TypedValues;
  problems: ValueProblem[];
  /** Per group: the unit assigns one of its settings. */
  groupIsSet: boolean[];
}

const foldStates = new WeakMap<UnitModel, Array<{ host: unknown; seccompTable: SeccompTable | undefined; state: FoldState }>>();

/**
 * Folds every handled setting of the unit.
 *
 * A fatal error in the unit file makes systemd refuse the unit (see refusalOf()). In a drop-in it
 * does not: systemd stops reading that drop-in at the failing line (unit_load_dropin() ignores
 * config_parse()'s error) and loads the unit with what it read so far. So drop-ins are cut at their
 * first fatal syntax error or fatal setting, and the failure is reported as ignoring the rest.
 */
function foldState(model: UnitModel, options: SecurityInputOptions): FoldState {
  let cached = foldStates.get(model);
  if (cached) {
    for (const c of cached) if (c.host === options.host && c.seccompTable === options.seccompTable) return c.state;
  } else foldStates.set(model, (cached = []));
  const cuts = new Map<number, number>();
  for (const f of model.files) {
    if (f.order === 0) continue;
    const issue = f.tree.issues.find((i) => i.fatal);
    if (issue) cuts.set(f.order, issue.span.start);
  }
  const dropped: ValueProblem[] = [];
  let state: FoldState;
  for (let round = 0; ; round++) {
    const m = cuts.size ? withAssignments(model, (a) => a.file.order === 0 || a.entry.span.end <= (cuts.get(a.file.order) ?? Infinity)) : model;
    const results = foldGroups(m, options);
    const fatalInDropin: ValueProblem[] = [];
    for (const r of results) for (const p of r.problems) if (p.effect === 'fatal' && p.assignment.file.order > 0) fatalInDropin.push(p);
    fatalInDropin.sort(problemOrder);
    if (fatalInDropin.length === 0 || round > model.files.length) {
      state = {
        cut: m,
        env: { model: m, version: m.version, ctx: specifierContext(m, options), options },
        results,
        dropped,
        value: assemble(results),
        problems: sortedProblems(results, dropped),
        groupIsSet: keysOf(m.type).perGroup.map((ks) => ks.some((k) => k !== null && m.settings.has(k))),
      };
      break;
    }
    for (const p of fatalInDropin) {
      const at = p.assignment.entry.span.start;
      const cur = cuts.get(p.assignment.file.order);
      if (cur === undefined || at < cur) cuts.set(p.assignment.file.order, at);
    }
    for (const p of fatalInDropin) {
      if (cuts.get(p.assignment.file.order) === p.assignment.entry.span.start) {
        dropped.push({ ...p, effect: 'ignored', message: p.message.replace(/; systemd refuses to load the unit$/, '') + '; systemd ignores the rest of this drop-in' });
      }
    }
  }
  cached.push({ host: options.host, seccompTable: options.seccompTable, state });
  return state;
}

/** Folds every handled setting of the unit (see foldState()); the result is shared, do not change it. */
export function typedValues(model: UnitModel, options: SecurityInputOptions = {}): Folded<TypedValues> {
  const s = foldState(model, options);
  return { value: s.value, problems: s.problems };
}

/** Every value problem of the unit (what systemd warns about or refuses), in file order. */
export function valueProblems(model: UnitModel, options: SecurityInputOptions = {}): ValueProblem[] {
  return typedValues(model, options).problems;
}

/**
 * The analyser's view of the unit for the model's version. Build the model with
 * `modelForAnalysis()` first to get systemd-analyze's name for templates.
 */
export function securityInputs(model: UnitModel, options: SecurityInputOptions = {}): SecurityInputs {
  const { value: tv, problems } = foldState(model, options);
  const refused = refusalOf(model, tv, problems, options);
  return deriveInputs(deriveEnv(model), tv, problems, refused, null);
}

/** What appendedInputs() returns. */
export interface AppendedInputs {
  inputs: SecurityInputs;
  /** Problems systemd would report for lines of the appended file (warnings, ignored values, ...). */
  dropinProblems: number;
  /** Entries of the appended file systemd would not apply (unknown keys, sections, ...). */
  dropinIgnored: number;
}

interface SyntheticFile {
  version: number;
  type: string | null;
  tree: UnitFileTree;
  /** Entries systemd would apply, with their section and `Section.Key`. */
  entries: Array<{ entry: UnitFileTree['entries'][number]; section: string; full: string }>;
  ignored: number;
  /** The groups its settings belong to. */
  touched: number[];
  /** It sets something only a full fold handles (a setting read from the model itself). */
  needsFullFold: boolean;
  /** No value holds a `%` specifier: folding it from a setting's default does not depend on the unit. */
  plain: boolean;
  /**
   * Per group (and libseccomp table): the clean result of folding this file's lines from the
   * group's defaults, shared by every unit that does not set the group's settings itself.
   */
  fromDefaults: Map<number, GroupResult>;
  /** The derivations that read what the touched groups write, and the inputs they can change. */
  derive: PartialDerivation;
}

/** By text, then version and type. */
const syntheticFiles = new Map<string, SyntheticFile[]>();

/** Parses a small appended file and sorts its entries as buildUnit() would (cached by text, type and version). */
function syntheticFile(text: string, model: UnitModel): SyntheticFile {
  let list = syntheticFiles.get(text);
  if (list) {
    for (const s of list) if (s.version === model.version && s.type === model.type) return s;
  } else {
    if (syntheticFiles.size >= 4096) syntheticFiles.clear();
    syntheticFiles.set(text, (list = []));
  }
  const tree = parseUnitFile(text);
  const entries: SyntheticFile['entries'] = [];
  let ignored = 0;
  const keys = keysOf(model.type);
  const touched: number[] = [];
  let needsFullFold = false;
  for (const entry of tree.entries) {
    const section = entry.section?.name;
    if (section === undefined || !model.validSections.includes(section) || entry.key.startsWith('X-') || !isKnown(section, entry.key, model.version)) {
      ignored++;
      continue;
    }
    const full = `${section}.${entry.key}`;
    entries.push({ entry, section, full });
    if (keys.refusalKeys.has(full)) needsFullFold = true;
    for (const g of keys.groupsOf.get(full) ?? []) {
      if (GROUPS[g]!.whole) needsFullFold = true;
      if (!touched.includes(g)) touched.push(g);
    }
  }
  const plain = entries.every((e) => !e.entry.value.includes('%'));
  const derive = derivationsReading(touched.flatMap((g) => GROUPS[g]!.fields));
  const s: SyntheticFile = { version: model.version, type: model.type, tree, entries, ignored, touched, needsFullFold, plain, fromDefaults: new Map(), derive };
  list.push(s);
  return s;
}

const syntheticByKey = new WeakMap<object, SyntheticFile[]>();

function syntheticFileByKey(key: object, text: string, model: UnitModel): SyntheticFile {
  let list = syntheticByKey.get(key);
  if (list) {
    for (const s of list) if (s.version === model.version && s.type === model.type) return s;
  } else syntheticByKey.set(key, (list = []));
  const s = syntheticFile(text, model);
  list.push(s);
  return s;
}

/**
 * securityInputs() of the model with one more drop-in applied after all of its files (what a
 * suggestion adds), plus how many of that drop-in's lines systemd would complain about or ignore.
 * Computed from the model's folds: only the settings the drop-in names are folded again (each
 * continues from the model's own assignments), and the inputs derived from those. Falls back to
 * rebuilding the unit when the drop-in touches a setting that cannot be folded on its own or is
 * cut by a fatal error, so the result is always the rebuilt unit's.
 */
export function appendedInputs(model: UnitModel, dropin: SourceFile, options: SecurityInputOptions = {}, base?: SecurityInputs): AppendedInputs {
  const state = foldState(model, options);
  const syn = syntheticFile(dropin.text, model);
  const fast = syn.tree.issues.length === 0 && !syn.needsFullFold ? appendFast(model, state, syn, dropin.path, options, base) : null;
  if (fast) return fast;
  // Rebuild the unit with the drop-in.
  const m = buildUnit(model.name, [...model.files.map((f) => ({ path: f.path, text: f.tree.text })), dropin], {
    version: model.version,
    trees: new Map(model.files.map((f) => [f.path, f.tree])),
  });
  const inputs = securityInputs(m, options);
  const file = m.files[m.files.length - 1]!;
  return {
    inputs,
    dropinProblems: inputs.problems.filter((p) => p.assignment.file === file).length,
    dropinIgnored: m.ignored.filter((i) => i.file === file).length,
  };
}

function appendFast(model: UnitModel, state: FoldState, syn: SyntheticFile, path: string, options: SecurityInputOptions, base: SecurityInputs | undefined): AppendedInputs | null {
  const keys = keysOf(model.type);
  const file: LoadedFile = { path, tree: syn.tree, order: model.files.length };
  const extra = new Map<string, Assignment[]>();
  const touched = syn.touched;
  for (const { entry, section, full } of syn.entries) {
    const a: Assignment = { file, entry, section, key: entry.key, value: entry.value };
    const l = extra.get(full);
    if (l) l.push(a);
    else extra.set(full, [a]);
  }
  let results = state.results;
  let dropinProblems = 0;
  let problemsChanged = false;
  let refusalInputsChanged = false;
  if (touched.length) {
    results = results.slice();
    for (const g of touched) {
      const group = GROUPS[g]!;
      const earlier = results[g]!;
      const ks = keys.perGroup[g]!;
      let r: GroupResult;
      if (group.resume && !earlier.problems.some((p) => p.effect === 'fatal')) {
        const more = ks.map((k) => (k === null ? NO_ASSIGNMENTS : (extra.get(k) ?? NO_ASSIGNMENTS)));
        const next = group.resume(earlier, more, state.env);
        r = next.problems.length ? { ...next, problems: [...earlier.problems, ...next.problems] } : { ...next, problems: earlier.problems };
      } else {
        const lists = ks.map((k) => {
          if (k === null) return NO_ASSIGNMENTS;
          const own = state.cut.settings.get(k);
          const more = extra.get(k);
          if (!more) return own ?? NO_ASSIGNMENTS;
          return own ? [...own, ...more] : more;
        });
        r = group.fold(lists, state.env);
      }
      for (const p of r.problems) {
        // A fatal error in a drop-in cuts it: leave that to the full fold.
        if (p.effect === 'fatal' && p.assignment.file.order > 0) return null;
        if (p.assignment.file === file) dropinProblems++;
      }
      if (r.problems !== earlier.problems) problemsChanged = true;
      if (group.refusal) refusalInputsChanged = true;
      results[g] = r;
    }
  }
  const tv: TypedValues = { ...state.value };
  let copied = '';
  for (const g of touched) {
    const group = GROUPS[g]!;
    if (group.nested && !copied.includes(group.nested)) {
      copied += group.nested;
      (tv as unknown as Record<string, object>)[group.nested] = { ...tv[group.nested] };
    }
    group.put(tv, results[g]!.value);
  }
  const problems = problemsChanged ? sortedProblems(results, state.dropped) : state.problems;
  // refusalOf() reads the problems (for a fatal one) and the values of the groups marked `refusal`.
  const refused = base && !refusalInputsChanged && !problemsChanged ? base.refused : refusalOf(model, tv, problems, options);
  return { inputs: deriveInputs(deriveEnv(model), tv, problems, refused, base ?? null), dropinProblems, dropinIgnored: syn.ignored };
}

/** What AppendedVariants.try() returns; `inputs` is null when the drop-in is not clean (then nothing else was computed). */
export interface ScratchInputs {
  /** Only valid until the next call of try(): do not keep it. */
  inputs: SecurityInputs | null;
  dropinProblems: number;
  dropinIgnored: number;
  /** The inputs that can differ from the unit's own (all others are equal); `refused` is compared apart. */
  candidates: readonly DerivedInput[];
}

/**
 * Many drop-ins appended to one unit, one at a time (suggest()'s variants): like appendedInputs(), but
 * the typed values and the inputs are written into scratch copies that are set back after each call,
 * so a variant allocates almost nothing. try() answers null when only appendedInputs() can (a
 * drop-in that touches a setting folded from the whole model, or that a fatal error cuts).
 */
export class AppendedVariants {
  private readonly state: FoldState;
  private readonly keys: TypeKeys;
  private readonly tv: TypedValues;
  private readonly env: DeriveEnv;
  private readonly out: SecurityInputs;
  /** The inputs of `out` the last variant wrote (set back to the unit's own before the next). */
  private dirty: readonly DerivedInput[] = [];
  private readonly result: ScratchInputs = { inputs: null, dropinProblems: 0, dropinIgnored: 0, candidates: [] };
  private readonly folded: GroupResult[] = [];

  constructor(
    private readonly model: UnitModel,
    private readonly options: SecurityInputOptions,
    private readonly base: SecurityInputs,
  ) {
    this.state = foldState(model, options);
    this.keys = keysOf(model.type);
    this.env = deriveEnv(model);
    const v = this.state.value;
    this.tv = { ...v, booleans: { ...v.booleans }, namespacePaths: { ...v.namespacePaths }, exec: { ...v.exec } };
    this.out = { ...base };
  }

  /** `key`: an object that stands for the text (the same text every time), to find its parse faster. */
  try(path: string, text: string, key?: object): ScratchInputs | null {
    const { model, state, keys, tv, base, result, out } = this;
    const syn = key ? syntheticFileByKey(key, text, model) : syntheticFile(text, model);
    if (syn.tree.issues.length || syn.needsFullFold) return null;
    result.inputs = null;
    result.dropinProblems = 0;
    result.dropinIgnored = syn.ignored;
    if (syn.ignored) return result;
    let file: LoadedFile | null = null;
    const touched = syn.touched;
    const folded = this.folded;
    folded.length = 0;
    let refusalInputs = false;
    for (const g of touched) {
      const group = GROUPS[g]!;
      const earlier = state.results[g]!;
      const ks = keys.perGroup[g]!;
      // The unit does not set the group's settings: the result is the drop-in's alone, maybe known.
      const fromDefaults = syn.plain && !state.groupIsSet[g];
      const memoKey = this.options.seccompTable === 'oracle' ? g + 0.5 : g;
      if (fromDefaults) {
        const known = syn.fromDefaults.get(memoKey);
        if (known !== undefined) {
          if (group.refusal) refusalInputs = true;
          folded.push(known);
          continue;
        }
      }
      const resume = group.resume !== undefined && !hasFatal(earlier.problems);
      const lists: Array<readonly Assignment[]> = [];
      for (const k of ks) {
        let more: Assignment[] | null = null;
        if (k !== null) {
          for (const { entry, section, full } of syn.entries) {
            if (full !== k) continue;
            file ??= { path, tree: syn.tree, order: model.files.length };
            (more ??= []).push({ file, entry, section, key: entry.key, value: entry.value });
          }
        }
        if (resume) lists.push(more ?? NO_ASSIGNMENTS);
        else {
          const own = k === null ? undefined : state.cut.settings.get(k);
          lists.push(more ? (own ? [...own, ...more] : more) : (own ?? NO_ASSIGNMENTS));
        }
      }
      const r = resume ? group.resume!(earlier, lists, state.env) : group.fold(lists, state.env);
      for (const p of r.problems) {
        if (p.effect === 'fatal' && p.assignment.file.order > 0) return null;
        if (file !== null && p.assignment.file === file) result.dropinProblems++;
      }
      if (group.refusal) refusalInputs = true;
      if (fromDefaults && r.problems.length === 0) syn.fromDefaults.set(memoKey, r);
      folded.push(r);
    }
    // Problems of the unit's own lines do not change when lines are appended (each fold reads in
    // order), so a clean drop-in leaves the problem list as it was.
    if (result.dropinProblems) return result;
    for (let i = 0; i < touched.length; i++) GROUPS[touched[i]!]!.put(tv, folded[i]!.value);
    // Only the derivations reading what changed run; what the previous variant wrote is set back.
    for (const k of this.dirty) (out as unknown as Record<string, unknown>)[k] = base[k];
    const { derivations, writes } = syn.derive;
    for (const d of derivations) d.run(out, tv, this.env, base);
    this.dirty = writes;
    out.refused = refusalInputs ? refusalOf(model, tv, state.problems, this.options) : base.refused;
    // Set the scratch values back; `out` keeps what it needs.
    for (const g of touched) GROUPS[g]!.put(tv, state.results[g]!.value);
    result.inputs = out;
    result.candidates = writes;
    return result;
  }
}

function hasFatal(problems: readonly ValueProblem[]): boolean {
  for (const p of problems) if (p.effect === 'fatal') return true;
  return false;
}
