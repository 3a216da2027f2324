/**
 * Everything `systemd-analyze security --offline=yes` reads about a unit (get_security_info() in
 * src/analyze/analyze-security.c), computed from the unit's files the way systemd loads them:
 * each setting folded by its config_parse_* rules (./values), then unit_patch_contexts() applied
 * (DynamicUser= implications, capabilities dropped by PrivateDevices=/ProtectKernelModules=/
 * ProtectKernelLogs=/ProtectClock=, DevicePolicy= and the device entries systemd adds), then the
 * per-version conversion of the exec settings to the analyser's booleans/strings.
 *
 * Also decides whether systemd would refuse to load the unit at all (masked, a fatal syntax
 * error, a fatal setting, or service_verify()), in which case there is no score.
 */
import { buildUnit } from './build';
import type { Assignment, UnitModel, ValueProblem } from './types';
import { parseUnitName } from './unit-name';
import { type AddressFamilies, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX, foldAddressFamilies } from './values/address-families';
import { foldBoolean, foldTristate } from './values/booleans';
import { foldCapabilities } from './values/capabilities';
import { type DelegateValue, foldDelegate } from './values/delegate';
import { deviceAllowEntry, type DeviceAllowEntry, foldDeviceAllow, formatDeviceAllow } from './values/device-allow';
import {
  devicePolicyTable,
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
import { type ExecCommand, foldExec } from './values/exec';
import { coversAll, foldIpAddressList, type IpPrefix, isLocalhostPrefix } from './values/ip-address';
import { foldRestrictNamespaces } from './values/namespaces';
import { foldFilterPaths, foldNamespacePaths, foldRootPath, type NamespacePath } from './values/paths';
import { foldServiceSettings, type ServiceSettings } from './values/service';
import type { HostInfo, SpecifierContext } from './values/specifiers';
import type { SeccompTable } from './values/vocab';
import { analysedNames, foldSyscallArchitectures, foldSyscallErrorNumber, foldSyscallFilter, type SyscallFilter } from './values/syscalls';
import { type Folded, targetVersion, type TargetVersion } from './values/types';
import { foldUMask } from './values/umask';
import { dynamicUserName, foldSupplementaryGroups, foldUserOrGroup } from './values/user';

/** The section holding exec/cgroup settings for each unit type that has them. */
export function execSectionOf(type: string | null): string | null {
  switch (type) {
    case 'service':
    case null:
      return 'Service';
    case 'socket':
      return 'Socket';
    case 'mount':
      return 'Mount';
    case 'swap':
      return 'Swap';
    default:
      return null;
  }
}

function cgroupSectionOf(type: string | null): string | null {
  if (type === 'slice') return 'Slice';
  if (type === 'scope') return 'Scope';
  return execSectionOf(type);
}

const EXEC_COMMAND_KEYS = ['ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost'] as const;

const BOOLEAN_EXEC_KEYS = [
  'RemoveIPC',
  'NoNewPrivileges',
  'LockPersonality',
  'MemoryDenyWriteExecute',
  'RestrictRealtime',
  'RestrictSUIDSGID',
  'PrivateDevices',
  'PrivateNetwork',
  'PrivateIPC',
  'ProtectKernelModules',
  'ProtectKernelTunables',
  'ProtectKernelLogs',
  'ProtectClock',
] as const;

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

/** The effective typed value of every handled setting, before unit_patch_contexts(). */
export interface TypedValues {
  user: string | null;
  /** Host-dependent specifiers (%H, %m, ...) the User= value was expanded with. */
  userHostDependent: string[];
  group: string | null;
  supplementaryGroups: string[];
  dynamicUser: boolean;
  booleans: Record<(typeof BOOLEAN_EXEC_KEYS)[number], boolean>;
  /** PrivateTmp= as its enum word (no/yes for 252/254, no/connected/disconnected from 257). */
  privateTmp: string;
  /** PrivateMounts=: true/false, or null when unset (254+ keeps "unset"). */
  privateMounts: boolean | null;
  privateUsers: string;
  protectControlGroups: string;
  protectHostname: { mode: string; hostname: string | null };
  protectSystem: string;
  protectHome: string;
  protectProc: string;
  procSubset: string;
  keyringMode: string;
  capabilityBoundingSet: bigint;
  ambientCapabilities: bigint;
  systemCallFilter: SyscallFilter;
  systemCallArchitectures: string[];
  systemCallErrorNumber: number;
  restrictAddressFamilies: AddressFamilies;
  restrictNamespaces: bigint;
  umask: number;
  rootDirectory: string | null;
  rootImage: string | null;
  mountImages: boolean;
  namespacePaths: Record<string, NamespacePath[]>;
  devicePolicy: string;
  /** Newest first, as systemd keeps them. */
  deviceAllow: DeviceAllowEntry[];
  delegate: DelegateValue;
  ipAddressAllow: IpPrefix[];
  ipAddressDeny: IpPrefix[];
  ipIngressFilterPath: string[];
  ipEgressFilterPath: string[];
  exec: Record<(typeof EXEC_COMMAND_KEYS)[number], ExecCommand[]>;
  notifyAccess: string;
  defaultDependencies: boolean;
  service: ServiceSettings;
}

export interface SecurityInputs {
  version: TargetVersion;
  /** The name systemd analyses (templates are instantiated: `foo@i.service`, 257+: `foo@test_instance.service`). */
  unitName: string;
  type: string | null;
  defaultDependencies: boolean;
  ambientCapabilities: bigint;
  capabilityBoundingSet: bigint;
  /** null when unset (the analyser's NULL). */
  user: string | null;
  supplementaryGroups: string[];
  dynamicUser: boolean;
  ipAddressDenyAll: boolean;
  ipAddressAllowLocalhost: boolean;
  ipAddressAllowOther: boolean;
  ipFiltersCustomIngress: boolean;
  ipFiltersCustomEgress: boolean;
  keyringMode: string | null;
  protectProc: string | null;
  procSubset: string | null;
  lockPersonality: boolean;
  memoryDenyWriteExecute: boolean;
  noNewPrivileges: boolean;
  /** Only services have one; null otherwise. */
  notifyAccess: string | null;
  protectHostname: boolean;
  privateDevices: boolean;
  privateMounts: boolean;
  privateNetwork: boolean;
  privateTmp: boolean;
  privateUsers: boolean;
  protectControlGroups: boolean;
  protectKernelModules: boolean;
  protectKernelTunables: boolean;
  protectKernelLogs: boolean;
  protectClock: boolean;
  protectHome: string | null;
  protectSystem: string | null;
  removeIPC: boolean;
  restrictAddressFamilyInet: boolean;
  restrictAddressFamilyUnix: boolean;
  restrictAddressFamilyNetlink: boolean;
  restrictAddressFamilyPacket: boolean;
  restrictAddressFamilyOther: boolean;
  restrictNamespaces: bigint;
  restrictRealtime: boolean;
  restrictSUIDSGID: boolean;
  rootDirectory: string | null;
  rootImage: string | null;
  delegate: boolean;
  devicePolicy: string | null;
  /** `path:rwm` strings in systemd's order. */
  deviceAllow: string[];
  systemCallArchitectures: string[];
  systemCallFilterAllowList: boolean;
  systemCallFilter: Set<string>;
  umask: number;
  /** Why systemd refuses to load the unit (no score then), or null. */
  refused: Refusal | null;
  /** Every value problem found while folding, in file order. */
  problems: ValueProblem[];
  /** The folded values the above were derived from. */
  values: TypedValues;
  /** Specifiers whose expansion depends on the host (see values/specifiers.ts) and that affected User=. */
  hostDependent: string[];
}

export interface Refusal {
  reason: string;
  code: 'masked' | 'syntax' | 'fatal-setting' | 'service-verify' | 'environment';
  /** Where, when it is one setting's fault. */
  problem?: ValueProblem;
}

export interface SecurityInputOptions {
  host?: Partial<HostInfo>;
  /**
   * Which libseccomp table decides what system-call names exist: 'distribution' (the one the
   * Debian suite of that systemd ships; the default) or 'oracle' (the one the reference binaries on
   * the development machine load; differs for 262, which falls back to bookworm's 2.5.4).
   */
  seccompTable?: SeccompTable;
  /**
   * Reproduce a failure of the machine the corpus oracle ran on: systemd 258+ cannot read the
   * cgroup controller mask in a container without cgroup2 controllers, so a unit that asks for
   * systemd-oomd (ManagedOOMSwap=kill / ManagedOOMMemoryPressure=kill with default dependencies)
   * fails to load there. Off by default: on a normal host such units load.
   */
  cgroupMaskUnavailable?: boolean;
}

/** The unit name `systemd-analyze security --offline=yes` uses: templates get the fixed instance. */
export function analysedUnitName(name: string, version: number): string {
  const u = parseUnitName(name);
  if (!u || u.instance !== '') return name;
  return `${u.prefix}@${targetVersion(version) >= 257 ? 'test_instance' : 'i'}.${u.type}`;
}

/** Rebuilds the model for the name and version systemd-analyze would use, if they differ. */
export function modelForAnalysis(model: UnitModel, version: number): UnitModel {
  const name = analysedUnitName(model.name, version);
  if (name === model.name && model.version === version) return model;
  return buildUnit(
    name,
    model.files.map((f) => ({ path: f.path, text: f.tree.text })),
    { version, trees: new Map(model.files.map((f) => [f.path, f.tree])) },
  );
}

function listOf(model: UnitModel, section: string | null, key: string): readonly Assignment[] {
  if (!section) return [];
  return model.settings.get(`${section}.${key}`) ?? [];
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

/**
 * Folds every handled setting of the unit.
 *
 * A fatal error in the unit file makes systemd refuse the unit (see refusalOf()). In a drop-in it
 * does not: systemd stops reading that drop-in at the failing line (unit_load_dropin() ignores
 * config_parse()'s error) and loads the unit with what it read so far. So drop-ins are cut at their
 * first fatal syntax error or fatal setting, and the failure is reported as ignoring the rest.
 */
export function typedValues(model: UnitModel, options: SecurityInputOptions = {}): Folded<TypedValues> {
  const cuts = new Map<number, number>();
  for (const f of model.files) {
    if (f.order === 0) continue;
    const issue = f.tree.issues.find((i) => i.fatal);
    if (issue) cuts.set(f.order, issue.span.start);
  }
  const dropped: ValueProblem[] = [];
  for (let round = 0; ; round++) {
    const m = cuts.size ? withAssignments(model, (a) => a.file.order === 0 || a.entry.span.end <= (cuts.get(a.file.order) ?? Infinity)) : model;
    const r = foldAll(m, options);
    const fatalInDropin = r.problems.filter((p) => p.effect === 'fatal' && p.assignment.file.order > 0);
    if (fatalInDropin.length === 0 || round > model.files.length) {
      const problems = [...r.problems, ...dropped];
      problems.sort(problemOrder);
      return { value: r.value, problems };
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
}

function foldAll(model: UnitModel, options: SecurityInputOptions): Folded<TypedValues> {
  const version = model.version;
  const v = targetVersion(version);
  const sec = execSectionOf(model.type);
  const cg = cgroupSectionOf(model.type);
  const ctx: SpecifierContext = { unitName: model.name, fragmentPath: model.files[0]?.path, version, host: options.host };
  const problems: ValueProblem[] = [];
  const take = <T>(f: Folded<T>): T => {
    problems.push(...f.problems);
    return f.value;
  };
  const L = (key: string) => listOf(model, sec, key);
  const C = (key: string) => listOf(model, cg, key);

  const booleans = {} as TypedValues['booleans'];
  for (const k of BOOLEAN_EXEC_KEYS) booleans[k] = take(foldBoolean(L(k), false));

  const enumOrBool = (key: string, table: ReturnType<typeof privateTmpTable>): string => {
    if (table) return take(foldEnum(L(key), table));
    return take(foldBoolean(L(key), false)) ? 'yes' : 'no';
  };

  const namespacePaths: Record<string, NamespacePath[]> = {};
  for (const k of NAMESPACE_PATH_KEYS) namespacePaths[k] = take(foldNamespacePaths(L(k), ctx));

  const exec = {} as TypedValues['exec'];
  for (const k of EXEC_COMMAND_KEYS) {
    const r = foldExec(model.type === 'service' || model.type === null ? listOf(model, 'Service', k) : [], ctx);
    problems.push(...r.problems);
    exec[k] = r.value;
  }

  let mountImages = false;
  for (const a of L('MountImages')) mountImages = a.value !== '';

  const userFold = take(foldUserOrGroup(L('User'), ctx));
  const values: TypedValues = {
    user: userFold.name,
    userHostDependent: userFold.hostDependent,
    group: take(foldUserOrGroup(L('Group'), ctx)).name,
    supplementaryGroups: take(foldSupplementaryGroups(L('SupplementaryGroups'), ctx)),
    dynamicUser: take(foldBoolean(L('DynamicUser'), false, { fatal: true })),
    booleans,
    privateTmp: enumOrBool('PrivateTmp', privateTmpTable(version)),
    privateMounts: v >= 254 ? take(foldTristate(L('PrivateMounts'))) : take(foldBoolean(L('PrivateMounts'), false)),
    privateUsers: enumOrBool('PrivateUsers', privateUsersTable(version)),
    protectControlGroups: enumOrBool('ProtectControlGroups', protectControlGroupsTable(version)),
    protectHostname: take(foldProtectHostname(L('ProtectHostname'), ctx)),
    protectSystem: take(foldEnum(L('ProtectSystem'), protectSystemTable())),
    protectHome: take(foldEnum(L('ProtectHome'), protectHomeTable())),
    protectProc: take(foldEnum(L('ProtectProc'), protectProcTable())),
    procSubset: take(foldEnum(L('ProcSubset'), procSubsetTable())),
    keyringMode: take(foldEnum(L('KeyringMode'), keyringModeTable(model.type))),
    capabilityBoundingSet: take(foldCapabilities(L('CapabilityBoundingSet'), 'CapabilityBoundingSet', version)),
    ambientCapabilities: take(foldCapabilities(L('AmbientCapabilities'), 'AmbientCapabilities', version)),
    systemCallFilter: take(foldSyscallFilter(L('SystemCallFilter'), version, options.seccompTable)),
    systemCallArchitectures: take(foldSyscallArchitectures(L('SystemCallArchitectures'), version)),
    systemCallErrorNumber: take(foldSyscallErrorNumber(L('SystemCallErrorNumber'), version)),
    restrictAddressFamilies: take(foldAddressFamilies(L('RestrictAddressFamilies'), version)),
    restrictNamespaces: take(foldRestrictNamespaces(L('RestrictNamespaces'), version)),
    umask: take(foldUMask(L('UMask'))),
    rootDirectory: take(foldRootPath(L('RootDirectory'), ctx)),
    rootImage: take(foldRootPath(L('RootImage'), ctx)),
    mountImages,
    namespacePaths,
    devicePolicy: take(foldEnum(C('DevicePolicy'), devicePolicyTable())),
    deviceAllow: take(foldDeviceAllow(C('DeviceAllow'), ctx)),
    delegate: take(foldDelegate(C('Delegate'), version, model.type)),
    ipAddressAllow: take(foldIpAddressList(C('IPAddressAllow'))),
    ipAddressDeny: take(foldIpAddressList(C('IPAddressDeny'))),
    ipIngressFilterPath: take(foldFilterPaths(C('IPIngressFilterPath'), ctx)),
    ipEgressFilterPath: take(foldFilterPaths(C('IPEgressFilterPath'), ctx)),
    exec,
    notifyAccess: take(foldEnum(listOf(model, model.type === 'service' || model.type === null ? 'Service' : null, 'NotifyAccess'), notifyAccessTable())),
    defaultDependencies: take(foldBoolean(model.settings.get('Unit.DefaultDependencies') ?? [], true)),
    service: take(foldServiceSettings(model, ctx)),
  };
  problems.sort(problemOrder);
  return { value: values, problems };
}

/** Every value problem of the unit (what systemd warns about or refuses), in file order. */
export function valueProblems(model: UnitModel, options: SecurityInputOptions = {}): ValueProblem[] {
  return typedValues(model, options).problems;
}

function hasExecContext(type: string | null): boolean {
  return execSectionOf(type) !== null;
}

/** Why systemd would refuse to load the unit, or null. */
export function refusalOf(model: UnitModel, values: TypedValues, problems: readonly ValueProblem[], options: SecurityInputOptions = {}): Refusal | null {
  const main = model.files[0];
  if (!main) return { reason: 'Unit not found.', code: 'masked' };
  if (main.tree.text.length === 0) return { reason: `Unit ${model.name} is masked (its file is empty).`, code: 'masked' };
  // Only the unit file: a drop-in that fails to parse is read up to the error (see typedValues()).
  const issue = main.tree.issues.find((i) => i.fatal);
  if (issue) return { reason: `${main.path}:${issue.sdLine}: ${issue.message}`, code: 'syntax' };
  const fatal = problems.find((p) => p.effect === 'fatal');
  if (fatal) {
    return { reason: `${fatal.assignment.file.path}:${fatal.assignment.entry.sdLine}: ${fatal.message}`, code: 'fatal-setting', problem: fatal };
  }
  if (model.type === 'service' || model.type === null) {
    const s = values.service;
    const v = targetVersion(model.version);
    const start = values.exec.ExecStart;
    const stop = values.exec.ExecStop;
    const hasSuccessAction = s.successAction !== 'none';
    let type = s.type;
    if (type === '') type = s.busName ? 'dbus' : start.length ? 'simple' : v >= 257 && s.hasCredentials ? 'exec' : 'oneshot';
    const refuse = (reason: string): Refusal => ({ reason: `${model.name}: ${reason}`, code: 'service-verify' });
    if (!start.length && !stop.length && !hasSuccessAction) return refuse('Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.');
    if (type !== 'oneshot' && !start.length) return refuse('Service has no ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.');
    if (!s.remainAfterExit && !start.length && !hasSuccessAction) {
      return refuse('Service has no ExecStart= and no SuccessAction= settings and does not have RemainAfterExit=yes set. Refusing.');
    }
    if (type !== 'oneshot' && start.length > 1) return refuse('Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.');
    if (type === 'oneshot' && (s.restart === 'always' || s.restart === 'on-success')) {
      return refuse("Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing.");
    }
    if (type === 'oneshot' && s.restartForceExitStatus && v < 257) {
      return refuse("Service has RestartForceExitStatus= set, which isn't allowed for Type=oneshot services. Refusing.");
    }
    if (type === 'oneshot' && s.exitType === 'cgroup') return refuse("Service has ExitType=cgroup set, which isn't allowed for Type=oneshot services. Refusing.");
    if (type === 'dbus' && !s.busName) return refuse('Service is of type D-Bus but no D-Bus service name has been specified. Refusing.');
    if (s.pamName && s.killMode !== 'control-group' && s.killMode !== 'mixed') {
      return refuse("Service has PAM enabled. Kill mode must be set to 'control-group' or 'mixed'. Refusing.");
    }
  }
  if (options.cgroupMaskUnavailable && targetVersion(model.version) >= 262 && values.defaultDependencies && hasExecContext(model.type)) {
    const sec = cgroupSectionOf(model.type);
    const kills =
      ['ManagedOOMSwap', 'ManagedOOMMemoryPressure'].some((k) => {
        let v = 'auto';
        for (const a of model.settings.get(`${sec}.${k}`) ?? []) if (['', 'auto', 'kill'].includes(a.value)) v = a.value || 'auto';
        return v === 'kill';
      }) ||
      (model.settings.get(`${sec}.OOMRules`) ?? []).reduce((_live: boolean, a) => a.value !== "", false);
    if (kills) {
      return {
        reason: `Unit ${model.name} failed to load properly: No such file or directory (systemd could not read the cgroup controllers to add the systemd-oomd dependency)`,
        code: 'environment',
      };
    }
  }
  return null;
}

const CAP = (n: number): bigint => 1n << BigInt(n);
const CAP_MKNOD = 27;
const CAP_SYS_RAWIO = 17;
const CAP_SYS_MODULE = 16;
const CAP_SYSLOG = 34;
const CAP_SYS_TIME = 25;
const CAP_WAKE_ALARM = 35;

/**
 * The analyser's view of the unit for the model's version. Build the model with
 * `modelForAnalysis()` first to get systemd-analyze's name for templates.
 */
export function securityInputs(model: UnitModel, options: SecurityInputOptions = {}): SecurityInputs {
  const version = targetVersion(model.version);
  const { value: tv, problems } = typedValues(model, options);
  const refused = refusalOf(model, tv, problems, options);
  const hasExec = hasExecContext(model.type);
  const hasCgroup = cgroupSectionOf(model.type) !== null;

  // unit_patch_contexts()
  let cbs = tv.capabilityBoundingSet;
  const b = tv.booleans;
  if (b.PrivateDevices) cbs &= ~(CAP(CAP_MKNOD) | CAP(CAP_SYS_RAWIO));
  if (b.ProtectKernelModules) cbs &= ~CAP(CAP_SYS_MODULE);
  if (b.ProtectKernelLogs) cbs &= ~CAP(CAP_SYSLOG);
  if (b.ProtectClock) cbs &= ~(CAP(CAP_SYS_TIME) | CAP(CAP_WAKE_ALARM));

  let user = tv.user;
  let privateTmp = tv.privateTmp;
  let removeIPC = b.RemoveIPC;
  let protectSystem = tv.protectSystem;
  let protectHome = tv.protectHome;
  let nnp = b.NoNewPrivileges;
  let suid = b.RestrictSUIDSGID;
  if (tv.dynamicUser) {
    if (user === null) user = dynamicUserName(model.name);
    if (version >= 257) {
      if (privateTmp === 'no') privateTmp = 'disconnected';
    } else privateTmp = 'yes';
    removeIPC = true;
    protectSystem = 'strict';
    if (protectHome === 'no') protectHome = 'read-only';
    nnp = true;
    suid = true;
  }

  let devicePolicy = tv.devicePolicy;
  let deviceAllow = tv.deviceAllow;
  if (b.PrivateDevices && devicePolicy === 'auto') devicePolicy = 'closed';
  if (devicePolicy !== 'auto' || deviceAllow.length) {
    const add = (path: string, rights: string) => {
      deviceAllow = [deviceAllowEntry(path, rights), ...deviceAllow];
    };
    if (tv.rootImage || tv.mountImages) {
      add('/dev/loop-control', 'rw');
      add('/dev/mapper/control', 'rw');
      add('block-loop', 'rwm');
      add('block-blkext', 'rwm');
      add('block-device-mapper', 'rwm');
    }
    if (b.ProtectClock) add('char-rtc', 'r');
    if (tv.service.hasEncryptedCredentials && version < 262) add(version >= 254 ? 'char-tpm' : '/dev/tpmrm0', 'rw');
  }

  // Address families, as get_security_info() sorts them into five buckets.
  const af = tv.restrictAddressFamilies;
  let inet = af.allowList;
  let unix = af.allowList;
  let netlink = af.allowList;
  let packet = af.allowList;
  let other = af.allowList;
  for (const fam of af.families ?? []) {
    if (fam === 0) continue;
    if (fam === AF_INET || fam === AF_INET6) inet = !af.allowList;
    else if (fam === AF_UNIX) unix = !af.allowList;
    else if (fam === AF_NETLINK) netlink = !af.allowList;
    else if (fam === AF_PACKET) packet = !af.allowList;
    else other = !af.allowList;
  }

  const isService = model.type === 'service' || model.type === null;
  const filter = tv.systemCallFilter;

  const inputs: SecurityInputs = {
    version,
    unitName: model.name,
    type: model.type,
    defaultDependencies: tv.defaultDependencies,
    ambientCapabilities: hasExec ? tv.ambientCapabilities : 0n,
    capabilityBoundingSet: hasExec ? cbs : (1n << 64n) - 1n,
    user: hasExec ? user : null,
    supplementaryGroups: hasExec ? tv.supplementaryGroups : [],
    dynamicUser: hasExec && tv.dynamicUser,
    ipAddressDenyAll: hasCgroup && coversAll(tv.ipAddressDeny),
    ipAddressAllowLocalhost: hasCgroup && tv.ipAddressAllow.some(isLocalhostPrefix),
    ipAddressAllowOther: hasCgroup && tv.ipAddressAllow.some((p) => !isLocalhostPrefix(p)),
    ipFiltersCustomIngress: hasCgroup && tv.ipIngressFilterPath.length > 0,
    ipFiltersCustomEgress: hasCgroup && tv.ipEgressFilterPath.length > 0,
    keyringMode: hasExec ? tv.keyringMode : null,
    protectProc: hasExec ? tv.protectProc : null,
    procSubset: hasExec ? tv.procSubset : null,
    lockPersonality: hasExec && b.LockPersonality,
    memoryDenyWriteExecute: hasExec && b.MemoryDenyWriteExecute,
    noNewPrivileges: hasExec && nnp,
    notifyAccess: isService ? tv.notifyAccess : null,
    protectHostname: hasExec && tv.protectHostname.mode !== 'no',
    privateDevices: hasExec && b.PrivateDevices,
    privateMounts: hasExec && (version >= 254 ? tv.privateMounts !== false : tv.privateMounts === true),
    privateNetwork: hasExec && b.PrivateNetwork,
    privateTmp: hasExec && privateTmp !== 'no',
    privateUsers: hasExec && tv.privateUsers !== 'no',
    protectControlGroups: hasExec && tv.protectControlGroups !== 'no',
    protectKernelModules: hasExec && b.ProtectKernelModules,
    protectKernelTunables: hasExec && b.ProtectKernelTunables,
    protectKernelLogs: hasExec && b.ProtectKernelLogs,
    protectClock: hasExec && b.ProtectClock,
    protectHome: hasExec ? protectHome : null,
    protectSystem: hasExec ? protectSystem : null,
    removeIPC: hasExec && removeIPC,
    restrictAddressFamilyInet: hasExec && inet,
    restrictAddressFamilyUnix: hasExec && unix,
    restrictAddressFamilyNetlink: hasExec && netlink,
    restrictAddressFamilyPacket: hasExec && packet,
    restrictAddressFamilyOther: hasExec && other,
    restrictNamespaces: hasExec ? tv.restrictNamespaces : (1n << 64n) - 1n,
    restrictRealtime: hasExec && b.RestrictRealtime,
    restrictSUIDSGID: hasExec && suid,
    rootDirectory: hasExec ? tv.rootDirectory : null,
    rootImage: hasExec ? tv.rootImage : null,
    delegate: hasCgroup && tv.delegate.enabled,
    devicePolicy: hasCgroup ? devicePolicy : null,
    deviceAllow: hasCgroup ? deviceAllow.map(formatDeviceAllow) : [],
    systemCallArchitectures: hasExec ? tv.systemCallArchitectures : [],
    systemCallFilterAllowList: hasExec && filter.mode === 'allow',
    systemCallFilter: hasExec ? analysedNames(filter) : new Set(),
    umask: hasExec ? tv.umask : 0o002,
    refused,
    problems,
    values: tv,
    hostDependent: tv.userHostDependent,
  };
  return inputs;
}

