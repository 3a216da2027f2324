/**
 * The folds, as a table of groups. Each group reads the assignments of a few settings (in the section
 * the unit type keeps them in) and produces one part of TypedValues, folded the way systemd's
 * config_parse_* functions fold repeated assignments. Because systemd folds each setting on its own,
 * appending assignments only changes the groups that read those settings: the incremental scoring of
 * suggestions (exposure/incremental/appended-variants.ts) folds just those again, which is what
 * `resume`, `fields`, `refusal`, `nested` and `whole` are for.
 */
import type { Assignment, UnitModel, ValueProblem } from './unit-model';
import { foldAddressFamilies } from './values/address-families';
import { foldBoolean, foldTristate } from './values/booleans';
import { type CapabilitySetting, foldCapabilities } from './values/capabilities';
import { foldDelegate } from './values/delegate';
import { foldDeviceAllow } from './values/device-allow';
import {
  devicePolicyTable,
  type EnumTable,
  foldEnum,
  foldProtectHostname,
  keyringModeTable,
  notifyAccessTable,
  privateTmpTable,
  privateUsersTable,
  procSubsetTable,
  protectControlGroupsTable,
  protectHomeTable,
  protectProcTable,
  protectSystemTable,
} from './values/enums';
import { foldExec } from './values/exec';
import { foldIpAddressList } from './values/ip-address';
import { foldRestrictNamespaces } from './values/namespaces';
import {
  foldFilterPaths,
  foldNamespacePaths,
  foldOptionalPath,
  foldRootPath,
  foldWorkingDirectory,
} from './values/paths';
import { foldServiceSettings, type ServiceSettings } from './values/service-settings';
import type { SpecifierContext } from './values/specifiers';
import { foldSyscallArchitectures, foldSyscallErrorNumber, foldSyscallFilter } from './values/syscalls';
import { type Folded, targetVersion } from './values/folded';
import { foldUMask } from './values/umask';
import { foldSupplementaryGroups, foldUserOrGroup, type UserValue } from './values/user';
import { type FieldPath } from './derive';
import { cgroupSectionOf, execSectionOf } from './sections';
import { BOOLEAN_EXEC_KEYS, EXEC_COMMAND_KEYS, type SecurityInputOptions, type TypedValues } from './security-types';

export const NAMESPACE_PATH_KEYS = [
  'ReadWritePaths',
  'ReadOnlyPaths',
  'InaccessiblePaths',
  'ExecPaths',
  'NoExecPaths',
  'ReadWriteDirectories',
  'ReadOnlyDirectories',
  'InaccessibleDirectories',
] as const;

/** Where a group finds a setting: the exec section of the type, its cgroup section, [Service] of services only, [Unit], or [Service] whatever the type. */
export type SectionRef = 'exec' | 'cgroup' | 'service' | 'unit' | 'Service';

export interface FoldEnv {
  model: UnitModel;
  version: number;
  ctx: SpecifierContext;
  options: SecurityInputOptions;
}

export type Lists = ReadonlyArray<readonly Assignment[]>;

/** A group's fold result; `state` when the fold's state is not its value (see foldCapabilities()). */
export type GroupResult = Folded<unknown> & { state?: unknown };

export interface Group {
  keys: ReadonlyArray<readonly [SectionRef, string]>;
  fold: (lists: Lists, env: FoldEnv) => GroupResult;
  /**
   * Continues the fold from an earlier result with more assignments (`lists`: only the new ones),
   * as if they had come after the earlier ones. Only used when the earlier fold had no fatal error.
   */
  resume?: (earlier: GroupResult, lists: Lists, env: FoldEnv) => GroupResult;
  /** refusalOf() reads this group's value. */
  refusal?: true;
  put: (values: TypedValues, value: unknown) => void;
  /** The nested record of TypedValues `put` writes into (copied before a refold writes). */
  nested?: 'booleans' | 'namespacePaths' | 'exec';
  /** Reads the model itself rather than only its lists: the incremental scoring cannot refold it. */
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
/** The user manager starts every unit at `inherit` (unit_init(): MANAGER_IS_SYSTEM ? SHARED : INHERIT; every release 239–262). */
const KEYRING_USER: EnumTable = { ...KEYRING_SERVICE, initial: 'inherit' };

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
    put: (values, value) => {
      values[field] = value as TypedValues[K];
    },
  };
}

/** simple() without resume (folds that stop at a fatal value, rarely repeated settings). */
function noResume<K extends keyof TypedValues>(
  sec: SectionRef,
  key: string,
  field: K,
  fold: (l: readonly Assignment[], env: FoldEnv) => Folded<TypedValues[K]>,
): Group {
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
    put: (values, value) => {
      values[field] = value as bigint;
    },
  };
}

/** The setting groups, each folded on its own. */
export const GROUPS: readonly Group[] = [
  ...BOOLEAN_EXEC_KEYS.map((k): Group => ({
    keys: [['exec', k]],
    fields: [`booleans.${k}`],
    fold: (lists) => foldBoolean(lists[0]!, false),
    resume: (earlier, lists) => foldBoolean(lists[0]!, earlier.value as boolean),
    put: (values, value) => {
      values.booleans[k] = value as boolean;
    },
    nested: 'booleans',
  })),
  ...NAMESPACE_PATH_KEYS.map((k): Group => ({
    keys: [['exec', k]],
    fields: [`namespacePaths.${k}`],
    fold: (lists, env) => foldNamespacePaths(lists[0]!, env.ctx),
    put: (values, value) => {
      values.namespacePaths[k] = value as TypedValues['namespacePaths'][string];
    },
    nested: 'namespacePaths',
  })),
  ...EXEC_COMMAND_KEYS.map((k): Group => ({
    keys: [['service', k]],
    fields: [`exec.${k}`],
    fold: (lists, env) => {
      const r = foldExec(lists[0]!, env.ctx);
      return { value: r.value, problems: r.problems };
    },
    put: (values, value) => {
      values.exec[k] = value as TypedValues['exec'][typeof k];
    },
    nested: 'exec',
    refusal: true,
  })),
  {
    keys: [['exec', 'MountImages']],
    fields: ['mountImages'],
    fold: (lists) => {
      let mountImages = false;
      for (const a of lists[0]!) mountImages = a.value !== '';
      return { value: mountImages, problems: NO_PROBLEMS };
    },
    put: (values, x) => {
      values.mountImages = x as boolean;
    },
  },
  {
    keys: [['exec', 'User']],
    fields: ['user', 'userHostDependent'],
    refusal: true,
    fold: (lists, env) => foldUserOrGroup(lists[0]!, env.ctx),
    resume: (earlier, lists, env) => foldUserOrGroup(lists[0]!, env.ctx, earlier.value as UserValue),
    put: (values, x) => {
      const u = x as ReturnType<typeof foldUserOrGroup>['value'];
      values.user = u.name;
      values.userHostDependent = u.hostDependent;
    },
  },
  {
    keys: [['exec', 'Group']],
    fields: ['group'],
    refusal: true,
    fold: (lists, env) => foldUserOrGroup(lists[0]!, env.ctx),
    put: (values, x) => {
      values.group = (x as ReturnType<typeof foldUserOrGroup>['value']).name;
    },
  },
  simple('exec', 'SupplementaryGroups', 'supplementaryGroups', (l, env, from) =>
    foldSupplementaryGroups(l, env.ctx, from),
  ),
  {
    ...simple('exec', 'DynamicUser', 'dynamicUser', (l, _env, from) => foldBoolean(l, from ?? false, { fatal: true })),
    refusal: true,
  },
  simple('exec', 'PrivateTmp', 'privateTmp', (l, env, from) => enumOrBool(l, PRIVATE_TMP(env.version), from)),
  simple('exec', 'PrivateMounts', 'privateMounts', (l, env, from) =>
    targetVersion(env.version) >= 254 ? foldTristate(l, from) : foldBoolean(l, from ?? false),
  ),
  {
    ...simple('exec', 'PrivateUsers', 'privateUsers', (l, env, from) =>
      enumOrBool(l, PRIVATE_USERS(env.version), from),
    ),
    refusal: true,
  },
  simple('exec', 'ProtectControlGroups', 'protectControlGroups', (l, env, from) =>
    enumOrBool(l, PROTECT_CONTROL_GROUPS(env.version), from),
  ),
  simple('exec', 'ProtectHostname', 'protectHostname', (l, env, from) => foldProtectHostname(l, env.ctx, from)),
  simple('exec', 'ProtectSystem', 'protectSystem', (l, _env, from) => foldEnum(l, PROTECT_SYSTEM, from)),
  simple('exec', 'ProtectHome', 'protectHome', (l, _env, from) => foldEnum(l, PROTECT_HOME, from)),
  simple('exec', 'ProtectProc', 'protectProc', (l, _env, from) => foldEnum(l, PROTECT_PROC, from)),
  simple('exec', 'ProcSubset', 'procSubset', (l, _env, from) => foldEnum(l, PROC_SUBSET, from)),
  simple('exec', 'KeyringMode', 'keyringMode', (l, env, from) =>
    foldEnum(
      l,
      env.model.scope === 'user'
        ? KEYRING_USER
        : env.model.type === 'service' || env.model.type === null
          ? KEYRING_SERVICE
          : KEYRING_OTHER,
      from,
    ),
  ),
  capabilities('CapabilityBoundingSet', 'capabilityBoundingSet'),
  capabilities('AmbientCapabilities', 'ambientCapabilities'),
  simple('exec', 'SystemCallFilter', 'systemCallFilter', (l, env, from) =>
    foldSyscallFilter(l, env.version, env.options.seccompTable, from),
  ),
  simple('exec', 'SystemCallArchitectures', 'systemCallArchitectures', (l, env, from) =>
    foldSyscallArchitectures(l, env.version, from),
  ),
  noResume('exec', 'SystemCallErrorNumber', 'systemCallErrorNumber', (l, env) =>
    foldSyscallErrorNumber(l, env.version),
  ),
  simple('exec', 'RestrictAddressFamilies', 'restrictAddressFamilies', (l, env, from) =>
    foldAddressFamilies(l, env.version, from),
  ),
  simple('exec', 'RestrictNamespaces', 'restrictNamespaces', (l, env, from) =>
    foldRestrictNamespaces(l, env.version, from),
  ),
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
  {
    ...simple('unit', 'DefaultDependencies', 'defaultDependencies', (l, _env, from) => foldBoolean(l, from ?? true)),
    refusal: true,
  },
  {
    ...simple('exec', 'WorkingDirectory', 'workingDirectoryHome', (l, env, from) =>
      foldWorkingDirectory(l, env.ctx, from),
    ),
    refusal: true,
  },
  {
    ...simple('exec', 'PrivatePIDs', 'privatePIDs', (l, _env, from) => {
      const r = foldEnum(l, PRIVATE_PIDS, from === undefined ? undefined : from ? 'yes' : 'no');
      return { value: r.value === 'yes', problems: r.problems };
    }),
    refusal: true,
  },
  {
    ...simple('exec', 'UserNamespacePath', 'userNamespacePath', (l, env, from) => foldOptionalPath(l, env.ctx, from)),
    refusal: true,
  },
  {
    keys: [...SERVICE_SETTING_KEYS.map((k) => ['Service', k] as const), ['unit', 'SuccessAction']],
    fields: ['service'],
    fold: (_lists, env) => foldServiceSettings(env.model, env.ctx),
    put: (values, x) => {
      values.service = x as ServiceSettings;
    },
    whole: true,
    refusal: true,
  },
];

export interface TypeKeys {
  /** Per group, the `Section.Key` of each of its settings (null: the unit type has no such section). */
  perGroup: ReadonlyArray<ReadonlyArray<string | null>>;
  /** `Section.Key` → the groups reading it. */
  groupsOf: ReadonlyMap<string, readonly number[]>;
  /** `Section.Key`s refusalOf() reads from the model. */
  refusalKeys: ReadonlySet<string>;
}

const typeKeys = new Map<string | null, TypeKeys>();

export function keysOf(type: string | null): TypeKeys {
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

export const NO_ASSIGNMENTS: readonly Assignment[] = [];

export function emptyTypedValues(): TypedValues {
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
