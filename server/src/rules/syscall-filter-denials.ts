/**
 * What SystemCallFilter= does to one system call, for the breaks-user-switch and breaks-syscall-filter
 * findings: whether it is denied, whether the denial kills the process, the line that denies it, and
 * the edit that allows it again.
 */
import { effectiveListAssignments, lastAssignment } from '../model/build';
import type { TypedValues } from '../model/security-types';
import type { Assignment, UnitModel } from '../model/unit-model';
import { ERRNO_KILL } from '../model/values/syscalls';
import { syscallGroupMembers } from '../model/values/name-lookups';
import { lineAfter } from './breakage-context';
import type { TextEdit } from './diagnostic';

/** Whether SystemCallFilter= keeps `call` from running (denied, or answered with an error). */
export function callDenied(values: TypedValues, call: string): boolean {
  const f = values.systemCallFilter;
  if (f.mode === 'allow') {
    const e = f.entries.get(call);
    return e === undefined || e >= 0;
  }
  if (f.mode === 'deny') return f.entries.has(call);
  return false;
}

/** True when a denied call kills the process (no SystemCallErrorNumber=, no `:ERRNO` of its own). */
export function callKills(values: TypedValues, call: string): boolean {
  const callErrno = values.systemCallFilter.entries.get(call);
  if (values.systemCallFilter.mode === 'deny' && callErrno !== undefined && callErrno >= 0)
    return callErrno === ERRNO_KILL;
  const filterErrno = values.systemCallErrorNumber;
  return filterErrno <= 0 || filterErrno === ERRNO_KILL;
}

/** Whether a filter word (a call, `call:ERRNO` or a group, nested groups followed) names `call`. */
function wordMatches(version: number, word: string, call: string, seen = new Set<string>()): boolean {
  const name = word.split(':')[0]!;
  if (name === call) return true;
  if (!name.startsWith('@') || seen.has(name)) return false;
  seen.add(name);
  const members = syscallGroupMembers(version, name) ?? [];
  return members.some((m) => wordMatches(version, m, call, seen));
}

/**
 * The SystemCallFilter= line that denies `call`: the last `~` line naming it (or a group holding it),
 * else the line that started the allow-list.
 */
export function filterLineDenying(model: UnitModel, values: TypedValues, call: string): Assignment | undefined {
  const list = effectiveListAssignments(model, 'Service', 'SystemCallFilter');
  for (let i = list.length - 1; i >= 0; i--) {
    const v = list[i]!.value.trim();
    if (!v.startsWith('~')) continue;
    if (
      v
        .slice(1)
        .split(/\s+/)
        .some((w) => w !== '' && wordMatches(model.version, w, call))
    )
      return list[i];
  }
  return values.systemCallFilter.mode === 'allow' ? list.find((a) => a.value.trim() !== '') : undefined;
}

/** Adds the calls back after the filter's last line (an allow-list gains them, a deny-list loses them). */
export function allowCallsEdit(
  model: UnitModel,
  calls: readonly string[],
): { title: string; edits: TextEdit[] } | null {
  const last = lastAssignment(model, 'Service', 'SystemCallFilter');
  if (!last) return null;
  const line = `SystemCallFilter=${calls.join(' ')}`;
  return { title: `Allow ${calls.join(', ')} (add ${line})`, edits: [lineAfter(last, [line])] };
}
