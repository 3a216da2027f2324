/** The shapes of what systemd-analyze security reads: typed values, security inputs, refusals and options. */
import type { ValueProblem } from './unit-model';
import type { AddressFamilies } from './values/address-families';
import type { DelegateValue } from './values/delegate';
import type { DeviceAllowEntry } from './values/device-allow';
import type { ExecCommand } from './values/exec';
import type { IpPrefix } from './values/ip-address';
import type { NamespacePath } from './values/paths';
import type { ServiceSettings } from './values/service-settings';
import type { HostInfo } from './values/specifiers';
import type { SeccompTable } from './values/name-lookups';
import type { SyscallFilter } from './values/syscalls';
import type { TargetVersion } from './values/folded';

/** The Exec*= settings the analysis reads. */
export const EXEC_COMMAND_KEYS = [
  'ExecCondition',
  'ExecStartPre',
  'ExecStart',
  'ExecStartPost',
  'ExecReload',
  'ExecStop',
  'ExecStopPost',
] as const;

/** Boolean exec settings the analysis reads. */
export const BOOLEAN_EXEC_KEYS = [
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
  /** WorkingDirectory=~ (the user's home). */
  workingDirectoryHome: boolean;
  /** PrivatePIDs= (257+). */
  privatePIDs: boolean;
  /** UserNamespacePath= (259+), null when unset. */
  userNamespacePath: string | null;
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
  /**
   * A user unit of a release that assesses user units as the calling user (262, systemd PR #42743):
   * User= unset or root is the calling user, SupplementaryGroups= applies, RemoveIPC= does not.
   */
  callingUser: boolean;
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
  code: 'masked' | 'name' | 'syntax' | 'fatal-setting' | 'service-verify' | 'environment';
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
