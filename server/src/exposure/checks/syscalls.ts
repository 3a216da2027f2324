/** assess_system_call_architectures() and assess_system_call_filter(). */
import { releaseLogic } from '../../knowledge/release-behaviour';
import { isResolvableSyscall, syscallGroupMembers } from '../../model/values/name-lookups';
import type { Assessor } from '../assessors';
import { type Assessment, type AssessFn, plain } from './assessment';

export const assessSystemCallArchitectures: AssessFn = (_a, info) => {
  const archs = info.systemCallArchitectures;
  if (archs.length === 0) return plain(10, 'Service may execute system calls with all ABIs');
  if (archs.length === 1 && archs[0] === 'native')
    return plain(0, 'Service may execute system calls only with native ABI');
  return plain(8, 'Service may execute system calls with multiple ABIs');
};

/**
 * syscall_names_in_filter(): walks the group in systemd's order (nested groups recursively) and
 * returns the first member that libseccomp resolves and that the filter lets through.
 */
export function firstOffender(
  version: number,
  group: string,
  names: ReadonlySet<string>,
  allowList: boolean,
  table: 'distribution' | 'oracle',
): string | null {
  for (const m of resolvableMembers(version, group, table)) if (names.has(m) === allowList) return m;
  return null;
}

const DIST_KEYS: Record<number, string> = {
  252: '252 distribution',
  254: '254 distribution',
  257: '257 distribution',
  262: '262 distribution',
};
const ORACLE_KEYS: Record<number, string> = {
  252: '252 oracle',
  254: '254 oracle',
  257: '257 oracle',
  262: '262 oracle',
};
const flattened = new Map<string, Map<string, readonly string[]>>();

/** The members of a group that libseccomp resolves, nested groups expanded in place, in the order syscall_names_in_filter() visits them. */
function resolvableMembers(version: number, group: string, table: 'distribution' | 'oracle'): readonly string[] {
  const key =
    version === 252 || version === 254 || version === 257 || version === 262
      ? table === 'oracle'
        ? ORACLE_KEYS[version]
        : DIST_KEYS[version]
      : `${version} ${table}`;
  let byGroup = flattened.get(key);
  if (!byGroup) flattened.set(key, (byGroup = new Map()));
  let list = byGroup.get(group);
  if (list) return list;
  const out: string[] = [];
  const walk = (g: string, depth: number): void => {
    for (const m of syscallGroupMembers(version, g) ?? []) {
      if (m.startsWith('@')) {
        if (depth <= 16) walk(m, depth + 1);
        continue;
      }
      if (isResolvableSyscall(version, m, table)) out.push(m);
    }
  };
  walk(group, 0);
  list = out;
  byGroup.set(group, list);
  return list;
}

/** First offenders per filter (the analysed-name sets are shared between variants of a unit and between units). */
const offenders = new WeakMap<ReadonlySet<string>, Map<string, string | null>>();

function cachedOffender(
  version: number,
  group: string,
  names: ReadonlySet<string>,
  allowList: boolean,
  table: 'distribution' | 'oracle',
): string | null {
  let byKey = offenders.get(names);
  if (!byKey) offenders.set(names, (byKey = new Map()));
  const key = `${version}${allowList ? '+' : '-'}${table === 'oracle' ? 'o' : 'd'}${group}`;
  let r = byKey.get(key);
  if (r === undefined) {
    r = firstOffender(version, group, names, allowList, table);
    byKey.set(key, r);
  }
  return r;
}

/**
 * syscall_names_in_filter() of 239 and 240 (ec16f3b6dd; fixed by 95832a0f8c in 241): a nested group's
 * "bad" answer is compared with the filter's mode as if it meant "contained", so for a deny-list the
 * verdict on every nested group comes out inverted (for an allow-list it comes out right by accident).
 */
function nestedGroupInvertedBad(
  version: number,
  group: string,
  names: ReadonlySet<string>,
  allowList: boolean,
  table: 'distribution' | 'oracle',
  depth: number,
): boolean {
  for (const m of syscallGroupMembers(version, group) ?? []) {
    let b: boolean;
    if (m.startsWith('@')) {
      if (depth > 16) continue;
      b = nestedGroupInvertedBad(version, m, names, allowList, table, depth + 1);
    } else {
      if (!isResolvableSyscall(version, m, table)) continue;
      b = names.has(m);
    }
    if (allowList === b) return true;
  }
  return false;
}

/**
 * assess_system_call_filter(), with the release's words and logic (knowledge/release-behaviour.ts):
 * "whitelist"/"blacklist" before 246, the "(e.g. X is allowed)" suffix from 247, badness 5 for a
 * deny-list that includes the group before 01ecb3674a, the nested-group bug of 239/240 and the
 * inverted test of some 249–251 point releases.
 */
export const assessSystemCallFilter: AssessFn = (a, info, ctx) => {
  const group = a.parameters?.syscallGroup ?? '';
  const allowList = info.systemCallFilterAllowList;
  if (!allowList && info.systemCallFilter.size === 0) return plain(10, 'Service does not filter system calls');
  const logic = releaseLogic(info.version);
  let offender: string | null = null;
  let bad: boolean;
  if (logic.nestedGroupDenyListInverted && !allowList) {
    bad = nestedGroupInvertedBad(info.version, group, info.systemCallFilter, allowList, ctx.seccompTable, 0);
  } else {
    // The inverted releases compare `set_contains() != allow_list` for each member.
    const mode = logic.invertedSyscallTest ? !allowList : allowList;
    offender = cachedOffender(info.version, group, info.systemCallFilter, mode, ctx.seccompTable);
    bad = offender !== null;
  }
  const allowWord = logic.allowListWording;
  const denyWord = allowWord === 'whitelist' ? 'blacklist' : 'deny list';
  const eg = logic.egAllowedSuffix && offender !== null ? ` (e.g. ${offender} is allowed)` : '';
  if (allowList) {
    return bad
      ? plain(9, `System call ${allowWord} defined for service, and ${group} is included${eg}`)
      : plain(0, `System call ${allowWord} defined for service, and ${group} is not included`);
  }
  return bad
    ? plain(10, `System call ${denyWord} defined for service, and ${group} is not included${eg}`)
    : plain(logic.denyListIncludedBadness, `System call ${denyWord} defined for service, and ${group} is included`);
};

/**
 * assessSystemCallFilter() for one check: the result is kept per analysed-name set (those sets are
 * shared between a unit's variants and between units with the same filter), mode and libseccomp table.
 */
export function prepareSystemCallFilter(a: Assessor): AssessFn {
  const memo = {
    distribution: [new WeakMap<ReadonlySet<string>, Assessment>(), new WeakMap<ReadonlySet<string>, Assessment>()],
    oracle: [new WeakMap<ReadonlySet<string>, Assessment>(), new WeakMap<ReadonlySet<string>, Assessment>()],
  };
  return (_a, info, ctx) => {
    const m = memo[ctx.seccompTable][info.systemCallFilterAllowList ? 1 : 0]!;
    let r = m.get(info.systemCallFilter);
    if (r === undefined) {
      r = assessSystemCallFilter(a, info, ctx);
      m.set(info.systemCallFilter, r);
    }
    return r;
  };
}
