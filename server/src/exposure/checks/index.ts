/** One assess function per kind of check, as systemd's assess_* functions. */
import type { SecurityInputs } from '../../model/security-inputs';
import type { Assessor, AssessorKind } from '../assessors';
import { assessBool, boolField, prepareBool } from './bool';
import {
  assessAmbientCapabilities,
  assessCapabilityBoundingSet,
  capabilityMask,
  prepareCapabilityBoundingSet,
} from './capabilities';
import { assessDeviceAllow } from './devices';
import { assessProtectHome, assessProtectSystem, assessRootDirectory } from './filesystem';
import { assessRestrictNamespaces, namespaceMask, prepareRestrictNamespaces } from './namespaces';
import { assessIpAddressAllow } from './network';
import { assessKeyringMode, assessNotifyAccess, assessProcSubset, assessProtectProc } from './process';
import { assessSystemCallArchitectures, assessSystemCallFilter, prepareSystemCallFilter } from './syscalls';
import type { AssessFn } from './assessment';
import { assessUMask } from './umask';
import { assessRemoveIPC, assessSupplementaryGroups, assessUser } from './user';

export * from './assessment';
export { firstOffender } from './syscalls';
export { capabilityMask } from './capabilities';
export { boolField } from './bool';

export const ASSESS: Record<AssessorKind, AssessFn> = {
  bool: assessBool,
  user: assessUser,
  supplementary_groups: assessSupplementaryGroups,
  remove_ipc: assessRemoveIPC,
  capability_bounding_set: assessCapabilityBoundingSet,
  ambient_capabilities: assessAmbientCapabilities,
  umask: assessUMask,
  protect_home: assessProtectHome,
  protect_system: assessProtectSystem,
  root_directory: assessRootDirectory,
  keyring_mode: assessKeyringMode,
  protect_proc: assessProtectProc,
  proc_subset: assessProcSubset,
  notify_access: assessNotifyAccess,
  restrict_namespaces: assessRestrictNamespaces,
  system_call_architectures: assessSystemCallArchitectures,
  system_call_filter: assessSystemCallFilter,
  ip_address_allow: assessIpAddressAllow,
  device_allow: assessDeviceAllow,
};

/** Kinds whose assess function can be specialised for one check (same results as ASSESS). */
export const PREPARE: Partial<Record<AssessorKind, (a: Assessor) => AssessFn>> = {
  bool: prepareBool,
  capability_bounding_set: prepareCapabilityBoundingSet,
  restrict_namespaces: prepareRestrictNamespaces,
  system_call_filter: prepareSystemCallFilter,
};

const USER: ReadonlyArray<keyof SecurityInputs> = ['user', 'dynamicUser', 'callingUser'];

/**
 * The SecurityInputs each kind of check reads (its assess function, nothing else). suggest() uses
 * these to score only the checks a suggestion can change; the suggestion tests hold them to the
 * assess functions.
 */
export const READS: Record<AssessorKind, (a: Assessor) => ReadonlyArray<keyof SecurityInputs>> = {
  bool: (a) => [boolField(a.parameters?.field ?? '')],
  user: () => USER,
  supplementary_groups: () => [...USER, 'supplementaryGroups'],
  remove_ipc: () => [...USER, 'removeIPC'],
  capability_bounding_set: () => ['capabilityBoundingSet'],
  ambient_capabilities: () => ['ambientCapabilities'],
  umask: () => ['umask'],
  protect_home: () => ['protectHome'],
  protect_system: () => ['version', 'protectSystem'],
  root_directory: () => ['version', 'rootDirectory', 'rootImage'],
  keyring_mode: () => ['keyringMode'],
  protect_proc: () => ['protectProc'],
  proc_subset: () => ['procSubset'],
  notify_access: () => ['notifyAccess'],
  restrict_namespaces: () => ['restrictNamespaces'],
  system_call_architectures: () => ['systemCallArchitectures'],
  system_call_filter: () => ['version', 'systemCallFilterAllowList', 'systemCallFilter'],
  ip_address_allow: () => [
    'version',
    'ipFiltersCustomIngress',
    'ipFiltersCustomEgress',
    'ipAddressDenyAll',
    'ipAddressAllowOther',
    'ipAddressAllowLocalhost',
  ],
  device_allow: () => ['version', 'devicePolicy', 'deviceAllow'],
};

/**
 * For checks that test bits of one mask-valued input: that input and the bits. A change of the
 * input outside those bits cannot change the check (suggest() skips it then).
 */
export const BITS: Partial<
  Record<AssessorKind, (a: Assessor) => { prop: 'capabilityBoundingSet' | 'restrictNamespaces'; mask: bigint }>
> = {
  capability_bounding_set: (a) => ({
    prop: 'capabilityBoundingSet',
    mask: capabilityMask(a.parameters?.capabilities ?? []),
  }),
  restrict_namespaces: (a) => ({ prop: 'restrictNamespaces', mask: namespaceMask(a.parameters?.namespace ?? '') }),
};
