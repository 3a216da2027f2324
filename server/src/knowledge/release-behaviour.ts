/**
 * How each release scores beyond its check table (server/data/assessors.json `versions[V].rowOrder` and
 * `logic`, written by scripts/gen-assessors.mjs with the commit that changes each flag). The engine and the
 * model read version-dependent behaviour from here instead of comparing version numbers.
 */
import data from '../../data/assessors.json';
import { type TargetVersion, targetVersion } from './versions';

/** weight: by weight (descending), then name (before 250); description: by description (descending), then name. */
export type RowOrder = 'weight' | 'description';

export interface ReleaseLogic {
  /** The verdict on a nested @group of a deny-list is inverted (239, 240). */
  nestedGroupDenyListInverted: boolean;
  /** Badness of a SystemCallFilter= row whose group a deny-list includes whole (5 before 243.9/247, else 0). */
  denyListIncludedBadness: number;
  /** RootDirectoryOrRootImage is bad when either of them is empty (242–243.5, 244.0–244.1). */
  rootDirectoryEither: boolean;
  /** Every SystemCallFilter= row is inverted (249.12–249.17, 250.5–250.7, 251.0–251.2). */
  invertedSyscallTest: boolean;
  /**
   * The running figure sees a SystemCallFilter= entry with its own errno as `name:errno`, which matches no
   * call name (before 250.8/251.3/252).
   */
  runningFilterErrnoSuffix: boolean;
  /**
   * The running figure sees IPAddressAllow= reduced: the manager drops entries another entry covers (127.0.0.1
   * beside localhost), before 250.
   */
  runningIpAllowReduced: boolean;
  /** IPIngressFilterPath=/IPEgressFilterPath= make IPAddressDeny good (243+). */
  ipFilterPathCounts: boolean;
  /** Only IPEgressFilterPath= counts: its value overwrites the ingress flag (243–249.3). */
  ipFilterPathEgressOnly: boolean;
  /** ProtectKernelLogs=yes removes CAP_SYSLOG from the assessed bounding set (244+). */
  protectKernelLogsDropsSyslog: boolean;
  /** ProtectClock=yes removes CAP_SYS_TIME and CAP_WAKE_ALARM and adds DeviceAllow=char-rtc r (245+). */
  protectClockDropsTimeAndAddsRtc: boolean;
  /** The manager does not export ProtectClock over D-Bus: the ProtectClock= row reads it unset (245.0–245.4). */
  protectClockUnexported: boolean;
  /** DynamicUser=yes implies NoNewPrivileges= and RestrictSUIDSGID= (239-50, 242+). */
  dynamicUserImpliesNnpSuid: boolean;
  /** RootImage= with a closed device policy adds the loop devices to DeviceAllow= (240+). */
  rootImageAddsDeviceAllow: boolean;
  /** The end of the n/a description of a unit in the special boot phase. */
  naText: string;
  /** How SystemCallFilter= and IPAddressDeny descriptions name an allow list: "whitelist" or "allow list". */
  allowListWording: string;
  /** SystemCallFilter= descriptions end in "(e.g. X is allowed)" (247+). */
  egAllowedSuffix: boolean;
  /** The DeviceAllow description lists the devices (251+). */
  deviceAllowListed: boolean;
  /** The localhost-only IPAddressDeny description reads "whitelits" (before 243). */
  localhostAllowListTypo: boolean;
  /** The ProtectSystem= descriptions carry the typos of 239 ("full access the OS file hierarchy", …). */
  protectSystemTypos: boolean;
}

export interface ReleaseBehaviour {
  rowOrder: RowOrder;
  logic: Readonly<ReleaseLogic>;
}

const versions = data.versions as unknown as Record<string, ReleaseBehaviour>;
const cache = new Map<TargetVersion, ReleaseBehaviour>();

/** The scoring behaviour of a release (of the nearest release the data describes, as targetVersion() picks). */
export function releaseBehaviour(version: number): ReleaseBehaviour {
  const v = targetVersion(version);
  let b = cache.get(v);
  if (!b) {
    const e = versions[String(v)]!;
    b = Object.freeze({ rowOrder: e.rowOrder, logic: Object.freeze({ ...e.logic }) });
    cache.set(v, b);
  }
  return b;
}

/** The logic flags of a release. */
export function releaseLogic(version: number): Readonly<ReleaseLogic> {
  return releaseBehaviour(version).logic;
}
