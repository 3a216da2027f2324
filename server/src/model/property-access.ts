/**
 * Part of the incremental scoring of suggestions (exposure/incremental/): property accesses named by
 * data, each a plain `o.field` load or store that stays single-shape. Code that picks a field by name
 * at run time (the inputs a drop-in's derivations write, copied back and compared; the values an
 * outcome memo compares) takes a small function per name from the tables below, each with its
 * field's name written out. A keyed access `o[k]` whose key changes from call to call is megamorphic
 * instead: a generic lookup every time (it was the hottest line of suggest() in CPU profiles). Also
 * cachedOn(), the per-model caches.
 *
 * The tables are written by hand. Their mapped types make the compiler reject a table that misses a
 * name or lists one that does not exist; property-access.test.ts checks that each function touches
 * the field it is listed under.
 */
import type { NAMESPACE_PATH_KEYS } from './groups';
import type { BOOLEAN_EXEC_KEYS, EXEC_COMMAND_KEYS, SecurityInputs, TypedValues } from './security-types';
import type { UnitModel } from './unit-model';

/** A TypedValues field, nested ones as `booleans.PrivateTmp`, `exec.ExecStart`, `namespacePaths.ReadWritePaths`. */
export type FieldPath =
  | keyof TypedValues
  | `booleans.${(typeof BOOLEAN_EXEC_KEYS)[number]}`
  | `exec.${(typeof EXEC_COMMAND_KEYS)[number]}`
  | `namespacePaths.${(typeof NAMESPACE_PATH_KEYS)[number]}`;

/** The type of the field at `P`. */
export type FieldValue<P extends FieldPath> = P extends keyof TypedValues
  ? TypedValues[P]
  : P extends `booleans.${string}`
    ? boolean
    : P extends `exec.${infer K extends keyof TypedValues['exec']}`
      ? TypedValues['exec'][K]
      : TypedValues['namespacePaths'][string];

/** The outputs a derivation computes (the rest of SecurityInputs is the unit's identity and problems). */
export type DerivedInput = Exclude<
  keyof SecurityInputs,
  'version' | 'unitName' | 'type' | 'refused' | 'problems' | 'values'
>;

export function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameSet(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Reads each field of TypedValues. */
export const GET_FIELD: { readonly [P in FieldPath]: (o: TypedValues) => FieldValue<P> } = {
  user: (o) => o.user,
  userHostDependent: (o) => o.userHostDependent,
  group: (o) => o.group,
  supplementaryGroups: (o) => o.supplementaryGroups,
  dynamicUser: (o) => o.dynamicUser,
  booleans: (o) => o.booleans,
  privateTmp: (o) => o.privateTmp,
  privateMounts: (o) => o.privateMounts,
  privateUsers: (o) => o.privateUsers,
  protectControlGroups: (o) => o.protectControlGroups,
  protectHostname: (o) => o.protectHostname,
  protectSystem: (o) => o.protectSystem,
  protectHome: (o) => o.protectHome,
  protectProc: (o) => o.protectProc,
  procSubset: (o) => o.procSubset,
  keyringMode: (o) => o.keyringMode,
  capabilityBoundingSet: (o) => o.capabilityBoundingSet,
  ambientCapabilities: (o) => o.ambientCapabilities,
  systemCallFilter: (o) => o.systemCallFilter,
  systemCallArchitectures: (o) => o.systemCallArchitectures,
  systemCallErrorNumber: (o) => o.systemCallErrorNumber,
  restrictAddressFamilies: (o) => o.restrictAddressFamilies,
  restrictNamespaces: (o) => o.restrictNamespaces,
  umask: (o) => o.umask,
  rootDirectory: (o) => o.rootDirectory,
  rootImage: (o) => o.rootImage,
  mountImages: (o) => o.mountImages,
  namespacePaths: (o) => o.namespacePaths,
  devicePolicy: (o) => o.devicePolicy,
  deviceAllow: (o) => o.deviceAllow,
  delegate: (o) => o.delegate,
  ipAddressAllow: (o) => o.ipAddressAllow,
  ipAddressDeny: (o) => o.ipAddressDeny,
  ipIngressFilterPath: (o) => o.ipIngressFilterPath,
  ipEgressFilterPath: (o) => o.ipEgressFilterPath,
  exec: (o) => o.exec,
  notifyAccess: (o) => o.notifyAccess,
  defaultDependencies: (o) => o.defaultDependencies,
  service: (o) => o.service,
  workingDirectoryHome: (o) => o.workingDirectoryHome,
  privatePIDs: (o) => o.privatePIDs,
  userNamespacePath: (o) => o.userNamespacePath,
  'booleans.RemoveIPC': (o) => o.booleans.RemoveIPC,
  'booleans.NoNewPrivileges': (o) => o.booleans.NoNewPrivileges,
  'booleans.LockPersonality': (o) => o.booleans.LockPersonality,
  'booleans.MemoryDenyWriteExecute': (o) => o.booleans.MemoryDenyWriteExecute,
  'booleans.RestrictRealtime': (o) => o.booleans.RestrictRealtime,
  'booleans.RestrictSUIDSGID': (o) => o.booleans.RestrictSUIDSGID,
  'booleans.PrivateDevices': (o) => o.booleans.PrivateDevices,
  'booleans.PrivateNetwork': (o) => o.booleans.PrivateNetwork,
  'booleans.PrivateIPC': (o) => o.booleans.PrivateIPC,
  'booleans.ProtectKernelModules': (o) => o.booleans.ProtectKernelModules,
  'booleans.ProtectKernelTunables': (o) => o.booleans.ProtectKernelTunables,
  'booleans.ProtectKernelLogs': (o) => o.booleans.ProtectKernelLogs,
  'booleans.ProtectClock': (o) => o.booleans.ProtectClock,
  'exec.ExecCondition': (o) => o.exec.ExecCondition,
  'exec.ExecStartPre': (o) => o.exec.ExecStartPre,
  'exec.ExecStart': (o) => o.exec.ExecStart,
  'exec.ExecStartPost': (o) => o.exec.ExecStartPost,
  'exec.ExecReload': (o) => o.exec.ExecReload,
  'exec.ExecStop': (o) => o.exec.ExecStop,
  'exec.ExecStopPost': (o) => o.exec.ExecStopPost,
  'namespacePaths.ReadWritePaths': (o) => o.namespacePaths.ReadWritePaths,
  'namespacePaths.ReadOnlyPaths': (o) => o.namespacePaths.ReadOnlyPaths,
  'namespacePaths.InaccessiblePaths': (o) => o.namespacePaths.InaccessiblePaths,
  'namespacePaths.ExecPaths': (o) => o.namespacePaths.ExecPaths,
  'namespacePaths.NoExecPaths': (o) => o.namespacePaths.NoExecPaths,
  'namespacePaths.ReadWriteDirectories': (o) => o.namespacePaths.ReadWriteDirectories,
  'namespacePaths.ReadOnlyDirectories': (o) => o.namespacePaths.ReadOnlyDirectories,
  'namespacePaths.InaccessibleDirectories': (o) => o.namespacePaths.InaccessibleDirectories,
};

/** Reads each SecurityInputs property. */
export const GET_INPUT: { readonly [K in keyof SecurityInputs]: (o: SecurityInputs) => SecurityInputs[K] } = {
  version: (o) => o.version,
  unitName: (o) => o.unitName,
  type: (o) => o.type,
  defaultDependencies: (o) => o.defaultDependencies,
  ambientCapabilities: (o) => o.ambientCapabilities,
  capabilityBoundingSet: (o) => o.capabilityBoundingSet,
  user: (o) => o.user,
  supplementaryGroups: (o) => o.supplementaryGroups,
  dynamicUser: (o) => o.dynamicUser,
  callingUser: (o) => o.callingUser,
  ipAddressDenyAll: (o) => o.ipAddressDenyAll,
  ipAddressAllowLocalhost: (o) => o.ipAddressAllowLocalhost,
  ipAddressAllowOther: (o) => o.ipAddressAllowOther,
  ipFiltersCustomIngress: (o) => o.ipFiltersCustomIngress,
  ipFiltersCustomEgress: (o) => o.ipFiltersCustomEgress,
  keyringMode: (o) => o.keyringMode,
  protectProc: (o) => o.protectProc,
  procSubset: (o) => o.procSubset,
  lockPersonality: (o) => o.lockPersonality,
  memoryDenyWriteExecute: (o) => o.memoryDenyWriteExecute,
  noNewPrivileges: (o) => o.noNewPrivileges,
  notifyAccess: (o) => o.notifyAccess,
  protectHostname: (o) => o.protectHostname,
  privateDevices: (o) => o.privateDevices,
  privateMounts: (o) => o.privateMounts,
  privateNetwork: (o) => o.privateNetwork,
  privateTmp: (o) => o.privateTmp,
  privateUsers: (o) => o.privateUsers,
  protectControlGroups: (o) => o.protectControlGroups,
  protectKernelModules: (o) => o.protectKernelModules,
  protectKernelTunables: (o) => o.protectKernelTunables,
  protectKernelLogs: (o) => o.protectKernelLogs,
  protectClock: (o) => o.protectClock,
  protectHome: (o) => o.protectHome,
  protectSystem: (o) => o.protectSystem,
  removeIPC: (o) => o.removeIPC,
  restrictAddressFamilyInet: (o) => o.restrictAddressFamilyInet,
  restrictAddressFamilyUnix: (o) => o.restrictAddressFamilyUnix,
  restrictAddressFamilyNetlink: (o) => o.restrictAddressFamilyNetlink,
  restrictAddressFamilyPacket: (o) => o.restrictAddressFamilyPacket,
  restrictAddressFamilyOther: (o) => o.restrictAddressFamilyOther,
  restrictNamespaces: (o) => o.restrictNamespaces,
  restrictRealtime: (o) => o.restrictRealtime,
  restrictSUIDSGID: (o) => o.restrictSUIDSGID,
  rootDirectory: (o) => o.rootDirectory,
  rootImage: (o) => o.rootImage,
  delegate: (o) => o.delegate,
  devicePolicy: (o) => o.devicePolicy,
  deviceAllow: (o) => o.deviceAllow,
  systemCallArchitectures: (o) => o.systemCallArchitectures,
  systemCallFilterAllowList: (o) => o.systemCallFilterAllowList,
  systemCallFilter: (o) => o.systemCallFilter,
  umask: (o) => o.umask,
  refused: (o) => o.refused,
  problems: (o) => o.problems,
  values: (o) => o.values,
  hostDependent: (o) => o.hostDependent,
};

/** Copies each derived input from `from` to `to`. */
export const COPY_INPUT: { readonly [K in DerivedInput]: (to: SecurityInputs, from: SecurityInputs) => void } = {
  defaultDependencies: (to, from) => {
    to.defaultDependencies = from.defaultDependencies;
  },
  ambientCapabilities: (to, from) => {
    to.ambientCapabilities = from.ambientCapabilities;
  },
  capabilityBoundingSet: (to, from) => {
    to.capabilityBoundingSet = from.capabilityBoundingSet;
  },
  user: (to, from) => {
    to.user = from.user;
  },
  supplementaryGroups: (to, from) => {
    to.supplementaryGroups = from.supplementaryGroups;
  },
  dynamicUser: (to, from) => {
    to.dynamicUser = from.dynamicUser;
  },
  callingUser: (to, from) => {
    to.callingUser = from.callingUser;
  },
  ipAddressDenyAll: (to, from) => {
    to.ipAddressDenyAll = from.ipAddressDenyAll;
  },
  ipAddressAllowLocalhost: (to, from) => {
    to.ipAddressAllowLocalhost = from.ipAddressAllowLocalhost;
  },
  ipAddressAllowOther: (to, from) => {
    to.ipAddressAllowOther = from.ipAddressAllowOther;
  },
  ipFiltersCustomIngress: (to, from) => {
    to.ipFiltersCustomIngress = from.ipFiltersCustomIngress;
  },
  ipFiltersCustomEgress: (to, from) => {
    to.ipFiltersCustomEgress = from.ipFiltersCustomEgress;
  },
  keyringMode: (to, from) => {
    to.keyringMode = from.keyringMode;
  },
  protectProc: (to, from) => {
    to.protectProc = from.protectProc;
  },
  procSubset: (to, from) => {
    to.procSubset = from.procSubset;
  },
  lockPersonality: (to, from) => {
    to.lockPersonality = from.lockPersonality;
  },
  memoryDenyWriteExecute: (to, from) => {
    to.memoryDenyWriteExecute = from.memoryDenyWriteExecute;
  },
  noNewPrivileges: (to, from) => {
    to.noNewPrivileges = from.noNewPrivileges;
  },
  notifyAccess: (to, from) => {
    to.notifyAccess = from.notifyAccess;
  },
  protectHostname: (to, from) => {
    to.protectHostname = from.protectHostname;
  },
  privateDevices: (to, from) => {
    to.privateDevices = from.privateDevices;
  },
  privateMounts: (to, from) => {
    to.privateMounts = from.privateMounts;
  },
  privateNetwork: (to, from) => {
    to.privateNetwork = from.privateNetwork;
  },
  privateTmp: (to, from) => {
    to.privateTmp = from.privateTmp;
  },
  privateUsers: (to, from) => {
    to.privateUsers = from.privateUsers;
  },
  protectControlGroups: (to, from) => {
    to.protectControlGroups = from.protectControlGroups;
  },
  protectKernelModules: (to, from) => {
    to.protectKernelModules = from.protectKernelModules;
  },
  protectKernelTunables: (to, from) => {
    to.protectKernelTunables = from.protectKernelTunables;
  },
  protectKernelLogs: (to, from) => {
    to.protectKernelLogs = from.protectKernelLogs;
  },
  protectClock: (to, from) => {
    to.protectClock = from.protectClock;
  },
  protectHome: (to, from) => {
    to.protectHome = from.protectHome;
  },
  protectSystem: (to, from) => {
    to.protectSystem = from.protectSystem;
  },
  removeIPC: (to, from) => {
    to.removeIPC = from.removeIPC;
  },
  restrictAddressFamilyInet: (to, from) => {
    to.restrictAddressFamilyInet = from.restrictAddressFamilyInet;
  },
  restrictAddressFamilyUnix: (to, from) => {
    to.restrictAddressFamilyUnix = from.restrictAddressFamilyUnix;
  },
  restrictAddressFamilyNetlink: (to, from) => {
    to.restrictAddressFamilyNetlink = from.restrictAddressFamilyNetlink;
  },
  restrictAddressFamilyPacket: (to, from) => {
    to.restrictAddressFamilyPacket = from.restrictAddressFamilyPacket;
  },
  restrictAddressFamilyOther: (to, from) => {
    to.restrictAddressFamilyOther = from.restrictAddressFamilyOther;
  },
  restrictNamespaces: (to, from) => {
    to.restrictNamespaces = from.restrictNamespaces;
  },
  restrictRealtime: (to, from) => {
    to.restrictRealtime = from.restrictRealtime;
  },
  restrictSUIDSGID: (to, from) => {
    to.restrictSUIDSGID = from.restrictSUIDSGID;
  },
  rootDirectory: (to, from) => {
    to.rootDirectory = from.rootDirectory;
  },
  rootImage: (to, from) => {
    to.rootImage = from.rootImage;
  },
  delegate: (to, from) => {
    to.delegate = from.delegate;
  },
  devicePolicy: (to, from) => {
    to.devicePolicy = from.devicePolicy;
  },
  deviceAllow: (to, from) => {
    to.deviceAllow = from.deviceAllow;
  },
  systemCallArchitectures: (to, from) => {
    to.systemCallArchitectures = from.systemCallArchitectures;
  },
  systemCallFilterAllowList: (to, from) => {
    to.systemCallFilterAllowList = from.systemCallFilterAllowList;
  },
  systemCallFilter: (to, from) => {
    to.systemCallFilter = from.systemCallFilter;
  },
  umask: (to, from) => {
    to.umask = from.umask;
  },
  hostDependent: (to, from) => {
    to.hostDependent = from.hostDependent;
  },
};

/** Whether a derived input is the same in a and b: lists and sets by content, the rest by ===. */
export const SAME_INPUT: { readonly [K in DerivedInput]: (a: SecurityInputs, b: SecurityInputs) => boolean } = {
  defaultDependencies: (a, b) => a.defaultDependencies === b.defaultDependencies,
  ambientCapabilities: (a, b) => a.ambientCapabilities === b.ambientCapabilities,
  capabilityBoundingSet: (a, b) => a.capabilityBoundingSet === b.capabilityBoundingSet,
  user: (a, b) => a.user === b.user,
  supplementaryGroups: (a, b) => sameList(a.supplementaryGroups, b.supplementaryGroups),
  dynamicUser: (a, b) => a.dynamicUser === b.dynamicUser,
  callingUser: (a, b) => a.callingUser === b.callingUser,
  ipAddressDenyAll: (a, b) => a.ipAddressDenyAll === b.ipAddressDenyAll,
  ipAddressAllowLocalhost: (a, b) => a.ipAddressAllowLocalhost === b.ipAddressAllowLocalhost,
  ipAddressAllowOther: (a, b) => a.ipAddressAllowOther === b.ipAddressAllowOther,
  ipFiltersCustomIngress: (a, b) => a.ipFiltersCustomIngress === b.ipFiltersCustomIngress,
  ipFiltersCustomEgress: (a, b) => a.ipFiltersCustomEgress === b.ipFiltersCustomEgress,
  keyringMode: (a, b) => a.keyringMode === b.keyringMode,
  protectProc: (a, b) => a.protectProc === b.protectProc,
  procSubset: (a, b) => a.procSubset === b.procSubset,
  lockPersonality: (a, b) => a.lockPersonality === b.lockPersonality,
  memoryDenyWriteExecute: (a, b) => a.memoryDenyWriteExecute === b.memoryDenyWriteExecute,
  noNewPrivileges: (a, b) => a.noNewPrivileges === b.noNewPrivileges,
  notifyAccess: (a, b) => a.notifyAccess === b.notifyAccess,
  protectHostname: (a, b) => a.protectHostname === b.protectHostname,
  privateDevices: (a, b) => a.privateDevices === b.privateDevices,
  privateMounts: (a, b) => a.privateMounts === b.privateMounts,
  privateNetwork: (a, b) => a.privateNetwork === b.privateNetwork,
  privateTmp: (a, b) => a.privateTmp === b.privateTmp,
  privateUsers: (a, b) => a.privateUsers === b.privateUsers,
  protectControlGroups: (a, b) => a.protectControlGroups === b.protectControlGroups,
  protectKernelModules: (a, b) => a.protectKernelModules === b.protectKernelModules,
  protectKernelTunables: (a, b) => a.protectKernelTunables === b.protectKernelTunables,
  protectKernelLogs: (a, b) => a.protectKernelLogs === b.protectKernelLogs,
  protectClock: (a, b) => a.protectClock === b.protectClock,
  protectHome: (a, b) => a.protectHome === b.protectHome,
  protectSystem: (a, b) => a.protectSystem === b.protectSystem,
  removeIPC: (a, b) => a.removeIPC === b.removeIPC,
  restrictAddressFamilyInet: (a, b) => a.restrictAddressFamilyInet === b.restrictAddressFamilyInet,
  restrictAddressFamilyUnix: (a, b) => a.restrictAddressFamilyUnix === b.restrictAddressFamilyUnix,
  restrictAddressFamilyNetlink: (a, b) => a.restrictAddressFamilyNetlink === b.restrictAddressFamilyNetlink,
  restrictAddressFamilyPacket: (a, b) => a.restrictAddressFamilyPacket === b.restrictAddressFamilyPacket,
  restrictAddressFamilyOther: (a, b) => a.restrictAddressFamilyOther === b.restrictAddressFamilyOther,
  restrictNamespaces: (a, b) => a.restrictNamespaces === b.restrictNamespaces,
  restrictRealtime: (a, b) => a.restrictRealtime === b.restrictRealtime,
  restrictSUIDSGID: (a, b) => a.restrictSUIDSGID === b.restrictSUIDSGID,
  rootDirectory: (a, b) => a.rootDirectory === b.rootDirectory,
  rootImage: (a, b) => a.rootImage === b.rootImage,
  delegate: (a, b) => a.delegate === b.delegate,
  devicePolicy: (a, b) => a.devicePolicy === b.devicePolicy,
  deviceAllow: (a, b) => sameList(a.deviceAllow, b.deviceAllow),
  systemCallArchitectures: (a, b) => sameList(a.systemCallArchitectures, b.systemCallArchitectures),
  systemCallFilterAllowList: (a, b) => a.systemCallFilterAllowList === b.systemCallFilterAllowList,
  systemCallFilter: (a, b) => sameSet(a.systemCallFilter, b.systemCallFilter),
  umask: (a, b) => a.umask === b.umask,
  hostDependent: (a, b) => sameList(a.hostDependent, b.hostDependent),
};

export interface InputAccess {
  readonly names: readonly DerivedInput[];
  /** Copies the named inputs from `from` to `to`. */
  copy(to: SecurityInputs, from: SecurityInputs): void;
  /**
   * Writes the index in `names` of each named input that differs between a and b (lists and sets by
   * content) to `out` (at least names.length long) from 0 on, and returns how many it wrote.
   */
  changed(a: SecurityInputs, b: SecurityInputs, out: Int32Array): number;
}

const made = new Map<string, InputAccess>();

/** The access functions for `names` (made on first use, then shared). */
export function inputAccess(names: readonly DerivedInput[]): InputAccess {
  const key = names.join(',');
  let access = made.get(key);
  if (!access) made.set(key, (access = make(names)));
  return access;
}

function make(list: readonly DerivedInput[]): InputAccess {
  const names = [...list];
  const copies = names.map((n) => COPY_INPUT[n]);
  const sames = names.map((n) => SAME_INPUT[n]);
  return {
    names,
    copy(to, from) {
      for (let j = 0; j < copies.length; j++) copies[j]!(to, from);
    },
    changed(a, b, out) {
      let k = 0;
      for (let j = 0; j < sames.length; j++) if (!sames[j]!(a, b)) out[k++] = j;
      return k;
    },
  };
}

/**
 * Per-model caches live on the model itself, in non-enumerable properties (so `{ ...model }` copies do
 * not share them), not in WeakMaps keyed by the model: V8's scavenger keeps the value of a WeakMap
 * entry alive while its key is young, and these values hold the model, so every model built went on
 * to the old generation (each scavenge copied megabytes of dead models).
 */
export function cachedOn<T>(model: UnitModel, key: symbol, make: () => T): T {
  let v = (model as unknown as Record<symbol, T | undefined>)[key];
  if (v === undefined) Object.defineProperty(model, key, { value: (v = make()) });
  return v;
}
