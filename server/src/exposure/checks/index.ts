/** One assess function per kind of check, as systemd's assess_* functions. */
import type { AssessorKind } from '../assessors';
import { assessBool } from './bool';
import { assessAmbientCapabilities, assessCapabilityBoundingSet } from './capabilities';
import { assessDeviceAllow } from './devices';
import { assessProtectHome, assessProtectSystem, assessRootDirectory } from './filesystem';
import { assessRestrictNamespaces } from './namespaces';
import { assessIpAddressAllow } from './network';
import { assessKeyringMode, assessNotifyAccess, assessProcSubset, assessProtectProc } from './process';
import { assessSystemCallArchitectures, assessSystemCallFilter } from './syscalls';
import type { AssessFn } from './types';
import { assessUMask } from './umask';
import { assessRemoveIPC, assessSupplementaryGroups, assessUser } from './user';

export * from './types';
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
