/**
 * Value vocabularies of systemd's sandboxing settings, as generated data (server/data/*.json, see
 * scripts/gen-syscalls.mjs and scripts/gen-vocabulary.mjs): system-call groups per systemd version, libseccomp's
 * x86_64 system-call table, capabilities, address families, namespace types and errno names.
 *
 * Everything here is read-only and computed once: the tables of one systemd version or libseccomp build the first
 * time they are asked for, the rest at module load; lookups are O(1) through Maps. Returned objects and arrays are
 * frozen: copy them before changing anything.
 */
import groupsJson from '../../data/syscall-groups.json';
import seccompJson from '../../data/seccomp-x86_64.json';
import capabilitiesJson from '../../data/capabilities.json';
import addressFamiliesJson from '../../data/address-families.json';
import namespacesJson from '../../data/namespaces.json';
import errnoJson from '../../data/errno.json';

import { isTargetVersion, TARGET_VERSIONS, type TargetVersion } from './versions';

export { TARGET_VERSIONS, type TargetVersion };

/**
 * Which libseccomp table to judge resolvability by.
 * - 'distribution': the libseccomp the Debian suite of that systemd version ships (what a real system does).
 * - 'oracle': the one the reference binary on the development machine really loads. They differ only for 262,
 *   whose oracle dlopen()s the host's bookworm libseccomp 2.5.4 instead of sid's 2.6.1.
 */
export type SeccompTable = 'distribution' | 'oracle';

export interface SyscallGroup {
  /** With the leading '@', e.g. "@clock". */
  name: string;
  description: string;
  typicallyNeededBy: string[];
  /** In systemd's order; nested groups appear as "@name". */
  members: string[];
}

export interface LibseccompBuild {
  /** Debian package version, e.g. "2.5.4-1+deb12u1". */
  version: string;
  upstream: string;
  suite: string;
}

export interface Capability {
  /** Upper case as in the kernel headers, e.g. "CAP_SYS_ADMIN" (systemd prints it in lower case). */
  name: string;
  number: number;
  /** First target version that knows the name. */
  since: TargetVersion;
  description: string;
  /** Present for well-known privilege-escalation paths. */
  risk?: string;
}

export interface AddressFamily {
  name: string;
  number: number;
  since: TargetVersion;
  /**
   * Releases from `since` on whose reference build still lacks the name: it was built with older kernel headers
   * (Debian 11's 247.3 and AF_MCTP of Linux 5.15).
   */
  absentIn?: readonly TargetVersion[];
  /** Set for names systemd accepts but never prints (AF_LOCAL, AF_FILE, AF_ROUTE). */
  aliasOf?: string;
  description: string;
}

export interface NamespaceType {
  /** As RestrictNamespaces= spells it (case-sensitive): "cgroup", "ipc", "net", "mnt", "pid", "user", "uts", "time". */
  name: string;
  cloneFlag: string;
  value: number;
  hex: string;
  since: TargetVersion;
  /** First target version whose RestrictNamespaces=yes/no covers this type (null: none of them). */
  coveredByYesSince: TargetVersion | null;
  description: string;
}

export interface ErrnoName {
  name: string;
  number: number;
  since: TargetVersion;
  /** Set for names systemd accepts but never prints (EWOULDBLOCK, EDEADLOCK, ENOTSUP). */
  aliasOf?: string;
  description: string;
}

export interface ErrnoSpecialValue {
  /** e.g. "kill" */
  name: string;
  since: TargetVersion;
  sinceUpstream: number;
  acceptedBy: string[];
  description: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes of the JSON files (only what is read here).

interface GroupsFile {
  versions: Record<`${TargetVersion}`, { systemd: string; groups: SyscallGroup[] }>;
}
interface SeccompFile {
  libseccomp: Record<string, { upstream: string; suite: string; names: string[]; numbers: Record<string, number> }>;
  targets: Record<`${TargetVersion}`, { distribution: string; oracle: string }>;
}
interface CapabilitiesFile {
  capabilities: Array<Omit<Capability, 'since'> & { since: number }>;
}
interface AddressFamiliesFile {
  special: Array<{ name: string; since: number; description: string }>;
  families: Array<Omit<AddressFamily, 'since' | 'absentIn'> & { since: number; absentIn?: number[] }>;
}
interface NamespacesFile {
  types: Array<
    Omit<NamespaceType, 'since' | 'coveredByYesSince'> & { since: number; coveredByYesSince: number | null }
  >;
}
interface ErrnoFile {
  special: Array<Omit<ErrnoSpecialValue, 'since'> & { since: number }>;
  notAccepted: Array<{ name: string; description: string }>;
  names: Array<Omit<ErrnoName, 'since'> & { since: number }>;
}

const groupsData: GroupsFile = groupsJson;
const seccompData: SeccompFile = seccompJson;
const capabilitiesData: CapabilitiesFile = capabilitiesJson;
const addressFamiliesData: AddressFamiliesFile = addressFamiliesJson;
const namespacesData: NamespacesFile = namespacesJson;
const errnoData: ErrnoFile = errnoJson;

function asTarget(n: number): TargetVersion {
  if (isTargetVersion(n)) return n;
  throw new Error(`vocabulary data: ${n} is not a target version`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function key(v: TargetVersion): `${TargetVersion}` {
  return `${v}`;
}

/**
 * Upper-cases ASCII letters only, as gperf --ignore-case folds: "ſ".toUpperCase() is "S", but systemd would never
 * match "cap_ſys_admin" to CAP_SYS_ADMIN.
 */
function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

// ---------------------------------------------------------------------------------------------------------------
// System-call groups

interface VersionGroups {
  list: readonly SyscallGroup[];
  byName: ReadonlyMap<string, SyscallGroup>;
  expanded: Map<string, ReadonlySet<string>>;
}

/** Each version's groups, prepared the first time the version is asked for. */
const groupsByVersion = new Map<TargetVersion, VersionGroups>();

function versionGroups(version: TargetVersion): VersionGroups {
  const known = groupsByVersion.get(version);
  if (known) return known;
  if (!isTargetVersion(version)) throw new RangeError(`unsupported systemd version ${String(version)}`);
  const list = groupsData.versions[key(version)].groups.map((g) =>
    deepFreeze({
      name: g.name,
      description: g.description,
      typicallyNeededBy: [...g.typicallyNeededBy],
      members: [...g.members],
    }),
  );
  const groups: VersionGroups = {
    list: Object.freeze(list),
    byName: new Map(list.map((g) => [g.name, g])),
    expanded: new Map(),
  };
  groupsByVersion.set(version, groups);
  return groups;
}

function groupKey(name: string): string {
  return name.startsWith('@') ? name : `@${name}`;
}

/** One group of a version ("@clock" or "clock"), or undefined if that version has no such group. */
export function syscallGroup(version: TargetVersion, name: string): SyscallGroup | undefined {
  return versionGroups(version).byName.get(groupKey(name));
}

/** Every group of a version, in the order `systemd-analyze syscall-filter` prints them. */
export function syscallGroups(version: TargetVersion): readonly SyscallGroup[] {
  return versionGroups(version).list;
}

/** Whether a version has this group. */
export function isSyscallGroup(version: TargetVersion, name: string): boolean {
  return versionGroups(version).byName.has(groupKey(name));
}

function expand(vg: VersionGroups, name: string, visiting: Set<string>): ReadonlySet<string> {
  const cached = vg.expanded.get(name);
  if (cached) return cached;
  const group = vg.byName.get(name);
  const out = new Set<string>();
  if (group && !visiting.has(name)) {
    visiting.add(name);
    for (const m of group.members) {
      if (m.startsWith('@')) for (const x of expand(vg, m, visiting)) out.add(x);
      else out.add(m);
    }
    visiting.delete(name);
  }
  vg.expanded.set(name, out);
  return out;
}

/**
 * All system-call names a group stands for, nested groups expanded recursively, without any "@" entries.
 * Unknown groups give an empty set. The result is a fresh Set the caller may change.
 */
export function expandSyscallGroup(version: TargetVersion, name: string): Set<string> {
  return new Set(expand(versionGroups(version), groupKey(name), new Set()));
}

/** Names in that version's @known group (the kernel syscall list systemd was built with). */
export function isKnownSyscall(version: TargetVersion, name: string): boolean {
  return expand(versionGroups(version), '@known', new Set()).has(name);
}

// ---------------------------------------------------------------------------------------------------------------
// libseccomp x86_64 table

interface SeccompBuild {
  info: LibseccompBuild;
  numbers: ReadonlyMap<string, number>;
}

/** Each libseccomp build's table, prepared the first time a version that uses it is asked for. */
const seccompBuilds = new Map<string, SeccompBuild>();

function seccompBuild(version: TargetVersion, table: SeccompTable): SeccompBuild {
  const t = seccompData.targets[key(version)];
  if (!t) throw new RangeError(`unsupported systemd version ${String(version)}`);
  const name = table === 'oracle' ? t.oracle : t.distribution;
  const known = seccompBuilds.get(name);
  if (known) return known;
  const b = Object.hasOwn(seccompData.libseccomp, name) ? seccompData.libseccomp[name] : undefined;
  if (!b) throw new Error(`vocabulary data: no libseccomp table for ${String(version)}/${table}`);
  const build: SeccompBuild = {
    info: deepFreeze({ version: name, upstream: b.upstream, suite: b.suite }),
    numbers: new Map(b.names.map((n) => [n, b.numbers[n] ?? -1])),
  };
  seccompBuilds.set(name, build);
  return build;
}

/** The libseccomp build whose table applies to a version. */
export function libseccompFor(version: TargetVersion, table: SeccompTable = 'distribution'): LibseccompBuild {
  return seccompBuild(version, table).info;
}

/**
 * Whether libseccomp resolves the name to a real x86_64 system call (seccomp_syscall_resolve_name() >= 0).
 * systemd drops names that do not resolve when it parses SystemCallFilter=, and `systemd-analyze security`
 * ignores them when it looks for an offending member of a group.
 */
export function isResolvableSyscall(
  version: TargetVersion,
  name: string,
  table: SeccompTable = 'distribution',
): boolean {
  return seccompBuild(version, table).numbers.has(name);
}

/** x86_64 system-call number as libseccomp knows it, or undefined when it does not resolve. */
export function syscallNumber(
  version: TargetVersion,
  name: string,
  table: SeccompTable = 'distribution',
): number | undefined {
  return seccompBuild(version, table).numbers.get(name);
}

// ---------------------------------------------------------------------------------------------------------------
// Capabilities

const capabilityList: readonly Capability[] = Object.freeze(
  capabilitiesData.capabilities.map((c) => deepFreeze({ ...c, since: asTarget(c.since) })),
);
const capabilityByName = new Map(capabilityList.map((c) => [c.name, c]));
const capabilityByNum = new Map(capabilityList.map((c) => [c.number, c]));

/** Whether a version knows an entry: from `since` on, but not in a release whose build lacks it (`absentIn`). */
function knownIn(x: { since: TargetVersion; absentIn?: readonly number[] }, version: TargetVersion): boolean {
  return x.since <= version && !(x.absentIn?.includes(version) ?? false);
}

function visible<T extends { since: TargetVersion }>(x: T | undefined, version?: TargetVersion): T | undefined {
  return x && (version === undefined || knownIn(x, version)) ? x : undefined;
}

/**
 * A capability by name. systemd matches names case-insensitively, so "cap_sys_admin" finds CAP_SYS_ADMIN.
 * With a version, names that version does not know give undefined.
 */
export function capability(name: string, version?: TargetVersion): Capability | undefined {
  return visible(capabilityByName.get(asciiUpper(name)), version);
}

/** A capability by number. */
export function capabilityByNumber(number: number, version?: TargetVersion): Capability | undefined {
  return visible(capabilityByNum.get(number), version);
}

/** All capabilities in number order (only those a version knows, if given). */
export function capabilities(version?: TargetVersion): readonly Capability[] {
  return version === undefined ? capabilityList : capabilityList.filter((c) => c.since <= version);
}

// ---------------------------------------------------------------------------------------------------------------
// Address families

const familyList: readonly AddressFamily[] = Object.freeze(
  addressFamiliesData.families.map(({ absentIn, ...f }): AddressFamily =>
    deepFreeze({ ...f, since: asTarget(f.since), ...(absentIn ? { absentIn: absentIn.map(asTarget) } : {}) }),
  ),
);
const familyByName = new Map(familyList.map((f) => [asciiUpper(f.name), f]));

/** An AF_* name (case-insensitive, as systemd matches it). Aliases resolve to their own entry, with aliasOf set. */
export function addressFamily(name: string, version?: TargetVersion): AddressFamily | undefined {
  return visible(familyByName.get(asciiUpper(name)), version);
}

/** All AF_* names in number order, aliases after their canonical name. */
export function addressFamilies(version?: TargetVersion): readonly AddressFamily[] {
  return version === undefined ? familyList : familyList.filter((f) => knownIn(f, version));
}

/** Special words of RestrictAddressFamilies= besides AF_* names ("none", since 249). */
export const ADDRESS_FAMILY_SPECIAL_VALUES: readonly { name: string; since: number; description: string }[] =
  deepFreeze(addressFamiliesData.special.map((s) => ({ ...s })));

// ---------------------------------------------------------------------------------------------------------------
// Namespace types

const namespaceList: readonly NamespaceType[] = Object.freeze(
  namespacesData.types.map((t) =>
    deepFreeze({
      ...t,
      since: asTarget(t.since),
      coveredByYesSince: t.coveredByYesSince === null ? null : asTarget(t.coveredByYesSince),
    }),
  ),
);
const namespaceByName = new Map(namespaceList.map((t) => [t.name, t]));

/** A namespace type name as RestrictNamespaces= accepts it (exact, lower case). */
export function namespaceType(name: string, version?: TargetVersion): NamespaceType | undefined {
  return visible(namespaceByName.get(name), version);
}

/** All namespace types in systemd's table order. */
export function namespaceTypes(version?: TargetVersion): readonly NamespaceType[] {
  return version === undefined ? namespaceList : namespaceList.filter((t) => t.since <= version);
}

// ---------------------------------------------------------------------------------------------------------------
// errno

const errnoList: readonly ErrnoName[] = Object.freeze(
  errnoData.names.map((e) => deepFreeze({ ...e, since: asTarget(e.since) })),
);
const errnoByName = new Map(errnoList.map((e) => [e.name, e]));
const errnoByNum = new Map<number, ErrnoName>();
for (const e of errnoList) if (!e.aliasOf) errnoByNum.set(e.number, e);

/** An errno name (case-insensitive, as systemd matches it); aliases resolve to their own entry, with aliasOf set. */
export function errnoName(name: string, version?: TargetVersion): ErrnoName | undefined {
  return visible(errnoByName.get(asciiUpper(name)), version);
}

/** The canonical errno name of a number (the one systemd prints). */
export function errnoByNumber(number: number, version?: TargetVersion): ErrnoName | undefined {
  return visible(errnoByNum.get(number), version);
}

/** All errno names in number order, aliases after their canonical name. */
export function errnoNames(version?: TargetVersion): readonly ErrnoName[] {
  return version === undefined ? errnoList : errnoList.filter((e) => e.since <= version);
}

/** Words SystemCallErrorNumber= (and the ":" suffix of SystemCallFilter= entries) accept instead of an errno. */
export const ERRNO_SPECIAL_VALUES: readonly ErrnoSpecialValue[] = deepFreeze(
  errnoData.special.map((s) => ({ ...s, acceptedBy: [...s.acceptedBy], since: asTarget(s.since) })),
);

/** Words that look plausible but systemd refuses (e.g. "log"), with the reason. */
export const ERRNO_NOT_ACCEPTED: readonly { name: string; description: string }[] = deepFreeze(
  errnoData.notAccepted.map((s) => ({ ...s })),
);

/** The largest number SystemCallErrorNumber= accepts as a plain number (errno_is_valid(): 1..4095). */
export const ERRNO_MAX = 4095;
