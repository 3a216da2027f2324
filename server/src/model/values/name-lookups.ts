/**
 * Names to numbers for the value folds (capabilities, address families, namespace types, errno names,
 * system-call groups and whether libseccomp resolves a call): the one place the folds touch the
 * knowledge layer (server/src/knowledge/vocabulary.ts). systemd's name lookups are gperf tables with
 * --ignore-case, which folds ASCII only, so non-ASCII names never match here either.
 */
import {
  addressFamily,
  capability,
  ERRNO_SPECIAL_VALUES,
  errnoName,
  isResolvableSyscall as resolvable,
  libseccompFor,
  namespaceType,
  namespaceTypes,
  type SeccompTable,
  syscallGroup,
} from '../../knowledge/vocabulary';
import pseudoJson from '../../../data/seccomp-pseudo-x86_64.json';
import { targetVersion } from './folded';

export type { SeccompTable };

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Capability number for a name (case-insensitive), not numeric forms. */
export function capabilityNumber(name: string, version: number): number | undefined {
  return ASCII.test(name) ? capability(name, targetVersion(version))?.number : undefined;
}

/** Address family number (AF_INET = 2, ...), case-insensitive as af_from_name(). */
export function addressFamilyNumber(name: string, version: number): number | undefined {
  return ASCII.test(name) ? addressFamily(name, targetVersion(version))?.number : undefined;
}

/** CLONE_NEW* flag of a namespace type name (`mnt`, `net`, ...), exact match. */
export function namespaceFlag(name: string, version: number): number | undefined {
  return namespaceType(name, targetVersion(version))?.value;
}

/** The namespace type names RestrictNamespaces= takes, in systemd's table order. */
export function namespaceNames(version: number): string[] {
  return namespaceTypes(targetVersion(version)).map((t) => t.name);
}

/** errno number for a name such as EPERM (case-insensitive), undefined when unknown. */
export function errnoNumber(name: string, version: number): number | undefined {
  return ASCII.test(name) ? errnoName(name, targetVersion(version))?.number : undefined;
}

/** The first release that takes `kill` for an errno (SystemCallErrorNumber=kill, NAME:kill; 005bfaf118, 247). */
const KILL_SINCE = ERRNO_SPECIAL_VALUES.find((s) => s.name === 'kill')?.since ?? Infinity;

/** Whether that release takes `kill` where an errno goes; before, it is an unknown errno name. */
export function errnoKillKnown(version: number): boolean {
  return targetVersion(version) >= KILL_SINCE;
}

/** The members of a system-call group in systemd's order (nested groups as `@name`), or undefined. */
export function syscallGroupMembers(version: number, name: string): readonly string[] | undefined {
  if (!name.startsWith('@')) return undefined;
  return syscallGroup(targetVersion(version), name)?.members;
}

/** Answers per version and table, by name (the lookups below are hot: every name of every group). */
const answers = new Map<string, Map<string, boolean>>();

function answersFor(kind: 'resolvable' | 'pseudo', version: number, table: SeccompTable): Map<string, boolean> {
  const key = `${kind} ${version} ${table}`;
  let m = answers.get(key);
  if (!m) answers.set(key, (m = new Map()));
  return m;
}

let lastVersion = 0;
let lastTable: SeccompTable = 'distribution';
let lastResolvable = new Map<string, boolean>();
let lastPseudo = new Map<string, boolean>();

function cacheFor(version: number, table: SeccompTable): void {
  if (version === lastVersion && table === lastTable) return;
  lastVersion = version;
  lastTable = table;
  lastResolvable = answersFor('resolvable', version, table);
  lastPseudo = answersFor('pseudo', version, table);
}

/** seccomp_syscall_resolve_name() >= 0 on x86_64 with the libseccomp the version runs with. */
export function isResolvableSyscall(version: number, name: string, table: SeccompTable = 'distribution'): boolean {
  const v = targetVersion(version);
  cacheFor(v, table);
  let r = lastResolvable.get(name);
  if (r === undefined) {
    r = resolvable(v, name, table);
    if (lastResolvable.size > 8192) lastResolvable.clear();
    lastResolvable.set(name, r);
  }
  return r;
}

const pseudo = new Map<string, ReadonlySet<string>>(
  Object.entries((pseudoJson as { libseccomp: Record<string, { names: string[] }> }).libseccomp).map(([k, v]) => [
    k,
    new Set(v.names),
  ]),
);

/**
 * A name libseccomp knows that is not a real x86_64 call (a pseudo number): systemd keeps it in a
 * filter without a warning, but it never matches anything.
 */
export function isPseudoSyscall(version: number, name: string, table: SeccompTable = 'distribution'): boolean {
  const v = targetVersion(version);
  cacheFor(v, table);
  let r = lastPseudo.get(name);
  if (r === undefined) {
    r = pseudo.get(libseccompFor(v, table).version)?.has(name) ?? false;
    if (lastPseudo.size > 8192) lastPseudo.clear();
    lastPseudo.set(name, r);
  }
  return r;
}
