/**
 * From folded values to the analyser's inputs: systemd's unit_patch_contexts() (DynamicUser=
 * implications, capabilities dropped by PrivateDevices=/ProtectKernelModules=/ProtectKernelLogs=/
 * ProtectClock=, DevicePolicy= and the device entries systemd adds) and get_security_info() (the exec
 * settings turned into the analyser's booleans and strings, per version).
 *
 * The work is cut into derivations, each declaring the TypedValues fields it reads and the
 * SecurityInputs it writes. Deriving the whole unit runs them all; a variant of a unit that changes a
 * few fields (a suggestion's drop-in) runs only the derivations reading those fields, and only their
 * outputs can differ from the unit's own (derive.test.ts holds the declarations to the code).
 */
import { type AddressFamilies, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX } from './values/address-families';
import { deviceAllowEntry, formatDeviceAllow } from './values/device-allow';
import { coversAll, isBusLocalhostPrefix, isLocalhostPrefix, reducePrefixes } from './values/ip-address';
import { analysedNames, type SyscallFilter } from './values/syscalls';
import { type TargetVersion, targetVersion } from './values/folded';
import {
  defaultFigure,
  type Figure,
  figuresOf,
  offlinePrivateMounts,
  type OfflinePrivateMounts,
} from '../knowledge/figures';
import { releaseLogic, type ReleaseLogic } from '../knowledge/release-behaviour';
import { dynamicUserName } from './values/user';
import { cgroupSectionOf, hasExecContext } from './sections';
import { loaderRules } from './loader-rules';
import type { Refusal, SecurityInputs, TypedValues } from './security-types';
import type { UnitModel, ValueProblem } from './unit-model';
import { type DerivedInput, type FieldPath, type InputAccess, inputAccess } from './property-access';

export type { DerivedInput, FieldPath };

/** What every derivation of one unit shares. */
export interface DeriveEnv {
  model: UnitModel;
  version: TargetVersion;
  /** The figure derived for: the one asked for, or the release's only one. */
  figure: Figure;
  /** How PrivateMounts= is counted: the manager's implication, or the offline copy of the setting. */
  privateMountsRule: 'running' | OfflinePrivateMounts;
  /** The release's logic flags (server/data/assessors.json `logic`). */
  logic: Readonly<ReleaseLogic>;
  hasExec: boolean;
  hasCgroup: boolean;
  isService: boolean;
}

/**
 * The environment of the derivations; `wanted` scores the model for another figure than its own. A release
 * without an offline figure (before 250) gives the manager's, whatever is asked for.
 */
export function deriveEnv(model: UnitModel, wanted: Figure = model.figure): DeriveEnv {
  const figure = figuresOf(model.version).includes(wanted) ? wanted : defaultFigure(model.version);
  return {
    model,
    version: targetVersion(model.version),
    figure,
    privateMountsRule: figure === 'running' ? 'running' : offlinePrivateMounts(model.version),
    logic: releaseLogic(model.version),
    hasExec: hasExecContext(model.type),
    hasCgroup: cgroupSectionOf(model.type) !== null,
    isService: model.type === 'service' || model.type === null,
  };
}

export interface Derivation {
  reads: readonly FieldPath[];
  writes: readonly DerivedInput[];
  /** It reads the unit's name (through `env.model`), besides its `reads`. */
  readsUnitName?: true;
  /** `base`: the unit's own inputs when deriving a variant of it (to share equal lists), else null. */
  run(out: SecurityInputs, values: TypedValues, env: DeriveEnv, base: SecurityInputs | null): void;
}

const CAP = (n: number): bigint => 1n << BigInt(n);
/** The capabilities unit_patch_contexts() leaves when each setting drops its own. */
const KEEP_PRIVATE_DEVICES = ~(CAP(27) | CAP(17)); // CAP_MKNOD, CAP_SYS_RAWIO
const KEEP_PROTECT_KERNEL_MODULES = ~CAP(16); // CAP_SYS_MODULE
const KEEP_PROTECT_KERNEL_LOGS = ~CAP(34); // CAP_SYSLOG
const KEEP_PROTECT_CLOCK = ~(CAP(25) | CAP(35)); // CAP_SYS_TIME, CAP_WAKE_ALARM
export const ALL_CAPS = (1n << 64n) - 1n;

/** The five restricted-family booleans of get_security_info() as bits (inet, unix, netlink, packet, other). */
function bucketsOf(af: AddressFamilies): number {
  let inet = af.allowList;
  let unix = af.allowList;
  let netlink = af.allowList;
  let packet = af.allowList;
  let other = af.allowList;
  if (af.families) {
    for (const fam of af.families) {
      if (fam === 0) continue;
      if (fam === AF_INET || fam === AF_INET6) inet = !af.allowList;
      else if (fam === AF_UNIX) unix = !af.allowList;
      else if (fam === AF_NETLINK) netlink = !af.allowList;
      else if (fam === AF_PACKET) packet = !af.allowList;
      else other = !af.allowList;
    }
  }
  return (inet ? 1 : 0) | (unix ? 2 : 0) | (netlink ? 4 : 0) | (packet ? 8 : 0) | (other ? 16 : 0);
}

const familyBuckets = new WeakMap<AddressFamilies, number>();
const analysedNamesOf = new WeakMap<SyscallFilter, Set<string>>();
/** The same, for the running figure of a release whose manager exports `name:errno` (runningFilterErrnoSuffix). */
const namedCallsOf = new WeakMap<SyscallFilter, Set<string>>();
const NO_NAMES: Set<string> = new Set();

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The derivations, in the order a full derivation runs them (which fixes the objects' property order). */
export const DERIVATIONS: readonly Derivation[] = [
  {
    reads: ['defaultDependencies'],
    writes: ['defaultDependencies'],
    run: (out, values) => {
      out.defaultDependencies = values.defaultDependencies;
    },
  },
  {
    reads: ['ambientCapabilities'],
    writes: ['ambientCapabilities'],
    run: (out, values, env) => {
      out.ambientCapabilities = env.hasExec ? values.ambientCapabilities : 0n;
    },
  },
  {
    reads: [
      'capabilityBoundingSet',
      'booleans.PrivateDevices',
      'booleans.ProtectKernelModules',
      'booleans.ProtectKernelLogs',
      'booleans.ProtectClock',
    ],
    writes: ['capabilityBoundingSet'],
    run: (out, values, env) => {
      if (!env.hasExec) {
        out.capabilityBoundingSet = ALL_CAPS;
        return;
      }
      let cbs = values.capabilityBoundingSet;
      const b = values.booleans;
      if (b.PrivateDevices) cbs &= KEEP_PRIVATE_DEVICES;
      if (b.ProtectKernelModules) cbs &= KEEP_PROTECT_KERNEL_MODULES;
      // ProtectKernelLogs= drops CAP_SYSLOG from 244 (82dce83b19), ProtectClock= its two from 245 (9f37272a19).
      if (b.ProtectKernelLogs && env.logic.protectKernelLogsDropsSyslog) cbs &= KEEP_PROTECT_KERNEL_LOGS;
      if (b.ProtectClock && env.logic.protectClockDropsTimeAndAddsRtc) cbs &= KEEP_PROTECT_CLOCK;
      out.capabilityBoundingSet = cbs;
    },
  },
  {
    // DynamicUser= turns on a set of other settings.
    readsUnitName: true,
    reads: [
      'user',
      'dynamicUser',
      'privateTmp',
      'booleans.RemoveIPC',
      'protectSystem',
      'protectHome',
      'booleans.NoNewPrivileges',
      'booleans.RestrictSUIDSGID',
    ],
    writes: [
      'user',
      'dynamicUser',
      'privateTmp',
      'removeIPC',
      'protectSystem',
      'protectHome',
      'noNewPrivileges',
      'restrictSUIDSGID',
    ],
    run: (out, values, env) => {
      const b = values.booleans;
      let user = values.user;
      let privateTmp = values.privateTmp;
      let removeIPC = b.RemoveIPC;
      let protectSystem = values.protectSystem;
      let protectHome = values.protectHome;
      let nnp = b.NoNewPrivileges;
      let suid = b.RestrictSUIDSGID;
      if (values.dynamicUser) {
        if (user === null) user = dynamicUserName(env.model.name);
        if (env.version >= 257) {
          if (privateTmp === 'no') privateTmp = 'disconnected';
        } else privateTmp = 'yes';
        removeIPC = true;
        protectSystem = 'strict';
        if (protectHome === 'no') protectHome = 'read-only';
        // bf65b7e0c9 (242; in 239-50 as a backport, not in 240 and 241).
        if (env.logic.dynamicUserImpliesNnpSuid) {
          nnp = true;
          suid = true;
        }
      }
      const x = env.hasExec;
      out.user = x ? user : null;
      out.dynamicUser = x && values.dynamicUser;
      out.privateTmp = x && privateTmp !== 'no';
      out.removeIPC = x && removeIPC;
      out.protectSystem = x ? protectSystem : null;
      out.protectHome = x ? protectHome : null;
      out.noNewPrivileges = x && nnp;
      out.restrictSUIDSGID = x && suid;
    },
  },
  {
    // 262 assesses a user unit as its calling user (loader-rules.ts, from the data).
    readsUnitName: true,
    reads: [],
    writes: ['callingUser'],
    run: (out, _values, env) => {
      out.callingUser =
        env.hasExec && env.model.scope === 'user' && loaderRules(env.model.version).userScope === 'calling-user';
    },
  },
  {
    reads: ['supplementaryGroups'],
    writes: ['supplementaryGroups'],
    run: (out, values, env) => {
      out.supplementaryGroups = env.hasExec ? values.supplementaryGroups : [];
    },
  },
  {
    reads: ['ipAddressDeny', 'ipAddressAllow', 'ipIngressFilterPath', 'ipEgressFilterPath'],
    writes: [
      'ipAddressDenyAll',
      'ipAddressAllowLocalhost',
      'ipAddressAllowOther',
      'ipFiltersCustomIngress',
      'ipFiltersCustomEgress',
    ],
    run: (out, values, env) => {
      const c = env.hasCgroup;
      out.ipAddressDenyAll = c && values.ipAddressDeny.length > 0 && coversAll(values.ipAddressDeny);
      // The running figure reads the manager's bus property: reduced by a manager before 250, and with
      // localhost only as 127.0.0.0/8 or ::1/128 (isBusLocalhostPrefix).
      const running = env.figure === 'running';
      const allow =
        running && env.logic.runningIpAllowReduced ? reducePrefixes(values.ipAddressAllow) : values.ipAddressAllow;
      const local = running ? isBusLocalhostPrefix : isLocalhostPrefix;
      out.ipAddressAllowLocalhost = c && allow.some(local);
      out.ipAddressAllowOther = c && allow.some((p) => !local(p));
      out.ipFiltersCustomIngress = c && values.ipIngressFilterPath.length > 0;
      out.ipFiltersCustomEgress = c && values.ipEgressFilterPath.length > 0;
    },
  },
  {
    reads: ['keyringMode'],
    writes: ['keyringMode'],
    run: (out, values, env) => {
      out.keyringMode = env.hasExec ? values.keyringMode : null;
    },
  },
  {
    reads: ['protectProc'],
    writes: ['protectProc'],
    run: (out, values, env) => {
      out.protectProc = env.hasExec ? values.protectProc : null;
    },
  },
  {
    reads: ['procSubset'],
    writes: ['procSubset'],
    run: (out, values, env) => {
      out.procSubset = env.hasExec ? values.procSubset : null;
    },
  },
  {
    reads: ['booleans.LockPersonality'],
    writes: ['lockPersonality'],
    run: (out, values, env) => {
      out.lockPersonality = env.hasExec && values.booleans.LockPersonality;
    },
  },
  {
    reads: ['booleans.MemoryDenyWriteExecute'],
    writes: ['memoryDenyWriteExecute'],
    run: (out, values, env) => {
      out.memoryDenyWriteExecute = env.hasExec && values.booleans.MemoryDenyWriteExecute;
    },
  },
  {
    reads: ['notifyAccess'],
    writes: ['notifyAccess'],
    run: (out, values, env) => {
      out.notifyAccess = env.isService ? values.notifyAccess : null;
    },
  },
  {
    reads: ['protectHostname'],
    writes: ['protectHostname'],
    run: (out, values, env) => {
      out.protectHostname = env.hasExec && values.protectHostname.mode !== 'no';
    },
  },
  {
    reads: ['booleans.PrivateDevices'],
    writes: ['privateDevices'],
    run: (out, values, env) => {
      out.privateDevices = env.hasExec && values.booleans.PrivateDevices;
    },
  },
  {
    // The manager's figure (acquire_security_info()) counts the mount namespace that other settings imply,
    // after DynamicUser= has turned on its own; the offline figure copies the setting (knowledge/figures.ts).
    reads: [
      'privateMounts',
      'dynamicUser',
      'privateTmp',
      'protectSystem',
      'protectHome',
      'protectControlGroups',
      'booleans.PrivateDevices',
      'booleans.ProtectKernelTunables',
      'booleans.ProtectKernelModules',
      'rootImage',
    ],
    writes: ['privateMounts'],
    run: (out, values, env) => {
      out.privateMounts = env.hasExec && privateMountsSet(values, env.privateMountsRule);
    },
  },
  {
    reads: ['booleans.PrivateNetwork'],
    writes: ['privateNetwork'],
    run: (out, values, env) => {
      out.privateNetwork = env.hasExec && values.booleans.PrivateNetwork;
    },
  },
  {
    reads: ['privateUsers'],
    writes: ['privateUsers'],
    run: (out, values, env) => {
      out.privateUsers = env.hasExec && values.privateUsers !== 'no';
    },
  },
  {
    reads: ['protectControlGroups'],
    writes: ['protectControlGroups'],
    run: (out, values, env) => {
      out.protectControlGroups = env.hasExec && values.protectControlGroups !== 'no';
    },
  },
  {
    reads: ['booleans.ProtectKernelModules'],
    writes: ['protectKernelModules'],
    run: (out, values, env) => {
      out.protectKernelModules = env.hasExec && values.booleans.ProtectKernelModules;
    },
  },
  {
    reads: ['booleans.ProtectKernelTunables'],
    writes: ['protectKernelTunables'],
    run: (out, values, env) => {
      out.protectKernelTunables = env.hasExec && values.booleans.ProtectKernelTunables;
    },
  },
  {
    reads: ['booleans.ProtectKernelLogs'],
    writes: ['protectKernelLogs'],
    run: (out, values, env) => {
      out.protectKernelLogs = env.hasExec && values.booleans.ProtectKernelLogs;
    },
  },
  {
    reads: ['booleans.ProtectClock'],
    writes: ['protectClock'],
    run: (out, values, env) => {
      // Before 245.5 (dea7e0dd97) the manager does not export ProtectClock, so its row reads it unset.
      out.protectClock = env.hasExec && values.booleans.ProtectClock && !env.logic.protectClockUnexported;
    },
  },
  {
    // get_security_info() sorts the families into five buckets.
    reads: ['restrictAddressFamilies'],
    writes: [
      'restrictAddressFamilyInet',
      'restrictAddressFamilyUnix',
      'restrictAddressFamilyNetlink',
      'restrictAddressFamilyPacket',
      'restrictAddressFamilyOther',
    ],
    run: (out, values, env) => {
      const af = values.restrictAddressFamilies;
      let buckets = familyBuckets.get(af);
      if (buckets === undefined) familyBuckets.set(af, (buckets = bucketsOf(af)));
      const x = env.hasExec;
      out.restrictAddressFamilyInet = x && (buckets & 1) !== 0;
      out.restrictAddressFamilyUnix = x && (buckets & 2) !== 0;
      out.restrictAddressFamilyNetlink = x && (buckets & 4) !== 0;
      out.restrictAddressFamilyPacket = x && (buckets & 8) !== 0;
      out.restrictAddressFamilyOther = x && (buckets & 16) !== 0;
    },
  },
  {
    reads: ['restrictNamespaces'],
    writes: ['restrictNamespaces'],
    run: (out, values, env) => {
      out.restrictNamespaces = env.hasExec ? values.restrictNamespaces : ALL_CAPS;
    },
  },
  {
    reads: ['booleans.RestrictRealtime'],
    writes: ['restrictRealtime'],
    run: (out, values, env) => {
      out.restrictRealtime = env.hasExec && values.booleans.RestrictRealtime;
    },
  },
  {
    reads: ['rootDirectory'],
    writes: ['rootDirectory'],
    run: (out, values, env) => {
      out.rootDirectory = env.hasExec ? values.rootDirectory : null;
    },
  },
  {
    reads: ['rootImage'],
    writes: ['rootImage'],
    run: (out, values, env) => {
      out.rootImage = env.hasExec ? values.rootImage : null;
    },
  },
  {
    reads: ['delegate'],
    writes: ['delegate'],
    run: (out, values, env) => {
      out.delegate = env.hasCgroup && values.delegate.enabled;
    },
  },
  {
    reads: [
      'devicePolicy',
      'deviceAllow',
      'booleans.PrivateDevices',
      'rootImage',
      'mountImages',
      'booleans.ProtectClock',
      'service',
    ],
    writes: ['devicePolicy', 'deviceAllow'],
    run: (out, values, env, base) => {
      let devicePolicy = values.devicePolicy;
      let deviceAllow = values.deviceAllow;
      const b = values.booleans;
      if (b.PrivateDevices && devicePolicy === 'auto') devicePolicy = 'closed';
      if (devicePolicy !== 'auto' || deviceAllow.length) {
        const add = (path: string, rights: string) => {
          deviceAllow = [deviceAllowEntry(path, rights), ...deviceAllow];
        };
        if ((values.rootImage || values.mountImages) && env.logic.rootImageAddsDeviceAllow) {
          add('/dev/loop-control', 'rw');
          add('/dev/mapper/control', 'rw');
          add('block-loop', 'rwm');
          add('block-blkext', 'rwm');
          add('block-device-mapper', 'rwm');
        }
        if (b.ProtectClock && env.logic.protectClockDropsTimeAndAddsRtc) add('char-rtc', 'r'); // fc64760dda (245)
        if (values.service.hasEncryptedCredentials && env.version < 262)
          add(env.version >= 254 ? 'char-tpm' : '/dev/tpmrm0', 'rw');
      }
      let text: string[] = deviceAllow.length ? deviceAllow.map(formatDeviceAllow) : [];
      if (base && sameStrings(base.deviceAllow, text)) text = base.deviceAllow;
      out.devicePolicy = env.hasCgroup ? devicePolicy : null;
      out.deviceAllow = env.hasCgroup ? text : [];
    },
  },
  {
    reads: ['systemCallArchitectures'],
    writes: ['systemCallArchitectures'],
    run: (out, values, env) => {
      out.systemCallArchitectures = env.hasExec ? values.systemCallArchitectures : [];
    },
  },
  {
    reads: ['systemCallFilter'],
    writes: ['systemCallFilterAllowList', 'systemCallFilter'],
    run: (out, values, env) => {
      const filter = values.systemCallFilter;
      let names = NO_NAMES;
      if (env.hasExec) {
        const suffixed = env.logic.runningFilterErrnoSuffix && env.figure === 'running';
        const memo = suffixed ? namedCallsOf : analysedNamesOf;
        const n = memo.get(filter);
        if (n) names = n;
        else memo.set(filter, (names = analysedNames(filter, suffixed)));
      }
      out.systemCallFilterAllowList = env.hasExec && filter.mode === 'allow';
      out.systemCallFilter = names;
    },
  },
  {
    reads: ['umask'],
    writes: ['umask'],
    run: (out, values, env) => {
      out.umask = env.hasExec ? values.umask : 0o002;
    },
  },
  {
    reads: ['userHostDependent'],
    writes: ['hostDependent'],
    run: (out, values) => {
      out.hostDependent = values.userHostDependent;
    },
  },
];

/** Every input of `out` from the folded values (every property written, always in the same order). */
export function deriveInto(
  out: SecurityInputs,
  env: DeriveEnv,
  values: TypedValues,
  problems: ValueProblem[],
  refused: Refusal | null,
  base: SecurityInputs | null,
): void {
  out.version = env.version;
  out.unitName = env.model.name;
  out.type = env.model.type;
  for (const d of DERIVATIONS) d.run(out, values, env, base);
  out.refused = refused;
  out.problems = problems;
  out.values = values;
}

export function deriveInputs(
  env: DeriveEnv,
  values: TypedValues,
  problems: ValueProblem[],
  refused: Refusal | null,
  base: SecurityInputs | null,
): SecurityInputs {
  const out = {} as SecurityInputs;
  deriveInto(out, env, values, problems, refused, base);
  return out;
}

/** The derivations reading any of `fields` (in DERIVATIONS order) and the inputs they write. */
export interface PartialDerivation {
  derivations: readonly Derivation[];
  writes: InputAccess;
}

export function derivationsReading(fields: readonly FieldPath[]): PartialDerivation {
  const derivations = DERIVATIONS.filter((d) => d.reads.some((r) => fields.includes(r)));
  return { derivations, writes: inputAccess(derivations.flatMap((d) => d.writes)) };
}

/** Whether the analyser sees PrivateMounts= as set, by the figure's rule. */
function privateMountsSet(values: TypedValues, rule: DeriveEnv['privateMountsRule']): boolean {
  if (rule === 'explicit') return values.privateMounts === true;
  if (rule === 'unset-counts') return values.privateMounts !== false;
  if (values.privateMounts === true) return true;
  const b = values.booleans;
  return (
    values.dynamicUser ||
    values.privateTmp !== 'no' ||
    values.protectSystem !== 'no' ||
    values.protectHome !== 'no' ||
    values.protectControlGroups !== 'no' ||
    b.PrivateDevices ||
    b.ProtectKernelTunables ||
    b.ProtectKernelModules ||
    values.rootImage !== null
  );
}

/**
 * The settings from which the manager infers the mount namespace (the running rule of privateMountsSet()),
 * as `Key=value` texts in the order that function tests them; empty when none does.
 */
export function privateMountsImpliedBy(values: TypedValues): string[] {
  const b = values.booleans;
  const out: string[] = [];
  if (values.dynamicUser) out.push('DynamicUser=yes');
  if (values.privateTmp !== 'no') out.push(`PrivateTmp=${values.privateTmp}`);
  if (values.protectSystem !== 'no') out.push(`ProtectSystem=${values.protectSystem}`);
  if (values.protectHome !== 'no') out.push(`ProtectHome=${values.protectHome}`);
  if (values.protectControlGroups !== 'no') out.push(`ProtectControlGroups=${values.protectControlGroups}`);
  if (b.PrivateDevices) out.push('PrivateDevices=yes');
  if (b.ProtectKernelTunables) out.push('ProtectKernelTunables=yes');
  if (b.ProtectKernelModules) out.push('ProtectKernelModules=yes');
  if (values.rootImage !== null) out.push('RootImage=');
  return out;
}
