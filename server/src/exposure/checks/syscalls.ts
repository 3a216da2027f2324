/** assess_system_call_architectures() and assess_system_call_filter(). */
import { isResolvableSyscall, syscallGroupMembers } from '../../model/values/vocab';
import { type AssessFn, plain } from './types';

export const assessSystemCallArchitectures: AssessFn = (_a, info) => {
  const archs = info.systemCallArchitectures;
  if (archs.length === 0) return plain(10, 'Service may execute system calls with all ABIs');
  if (archs.length === 1 && archs[0] === 'native') return plain(0, 'Service may execute system calls only with native ABI');
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
  depth = 0,
): string | null {
  for (const m of syscallGroupMembers(version, group) ?? []) {
    if (m.startsWith('@')) {
      if (depth > 16) continue;
      const r = firstOffender(version, m, names, allowList, table, depth + 1);
      if (r) return r;
      continue;
    }
    if (!isResolvableSyscall(version, m, table)) continue;
    if (names.has(m) === allowList) return m;
  }
  return null;
}

export const assessSystemCallFilter: AssessFn = (a, info, ctx) => {
  const group = a.parameters?.syscallGroup ?? '';
  if (!info.systemCallFilterAllowList && info.systemCallFilter.size === 0) return plain(10, 'Service does not filter system calls');
  const offender = firstOffender(info.version, group, info.systemCallFilter, info.systemCallFilterAllowList, ctx.seccompTable);
  if (info.systemCallFilterAllowList) {
    return offender
      ? plain(9, `System call allow list defined for service, and ${group} is included (e.g. ${offender} is allowed)`)
      : plain(0, `System call allow list defined for service, and ${group} is not included`);
  }
  return offender
    ? plain(10, `System call deny list defined for service, and ${group} is not included (e.g. ${offender} is allowed)`)
    : plain(0, `System call deny list defined for service, and ${group} is included`);
};
