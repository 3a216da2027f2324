/**
 * User=, Group= (config_parse_user_group_compat), SupplementaryGroups=
 * (config_parse_user_group_strv_compat) and the name check valid_user_group_name() with
 * VALID_USER_ALLOW_NUMERIC|VALID_USER_RELAX (src/basic/user-util.c).
 *
 * Specifiers are expanded first; an expansion failure or a name the relaxed rules refuse makes
 * systemd refuse the whole unit. No passwd lookup happens: a user that does not exist is fine.
 */
import type { Assignment } from '../unit-model';
import { unitPrintf, type SpecifierContext } from './specifiers';
import { BAD_QUOTING, type Folded, problemAt, problemOnValue, REFUSES } from './folded';
import { splitWords } from './words';

const DIGITS = /^[0-9]+$/;

/** parse_uid(): decimal, no sign, no leading zero or whitespace, 32 bit, not 65535 or 4294967295. */
export function parseUid(s: string): number | null {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) return null;
  if (s.length > 10) return null;
  const n = Number(s);
  if (n > 0xffffffff || n === 0xffffffff || n === 0xffff) return null;
  return n;
}

/** True when the only reason parse_uid() refuses `s` is that it is one of the reserved numbers or too large. */
function looksNumeric(s: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(s);
}

/** The strict (POSIX-ish) rules systemd uses for names it makes up. */
export function isStrictUserGroupName(u: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(u) && u.length <= 31;
}

function hasControlChar(u: string): boolean {
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

function isValidUtf16(u: string): boolean {
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = u.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** valid_user_group_name(u, VALID_USER_ALLOW_NUMERIC|VALID_USER_RELAX): why it is refused, or null when accepted. */
export function userGroupNameProblem(u: string): string | null {
  if (u === '') return 'empty name';
  if (parseUid(u) !== null) return null;
  if (looksNumeric(u)) return 'numeric ID out of range (65535 and 4294967295 are reserved)';
  if (u.startsWith(' ') || u.endsWith(' ')) return 'leading or trailing space';
  if (!isValidUtf16(u)) return 'not valid UTF-8';
  if (hasControlChar(u)) return 'control character';
  if (/[:/]/.test(u)) return "contains ':' or '/'";
  if (DIGITS.test(u)) return 'all digits';
  if (u[0] === '-' && DIGITS.test(u.slice(1))) return 'negative number';
  if (u === '.' || u === '..') return "'.' or '..'";
  return null;
}

export interface UserValue {
  /** The effective name after specifier expansion, or null when unset. */
  name: string | null;
  /** The assignment the value came from. */
  from: Assignment | null;
  /** Specifiers whose value depends on the host (see specifiers.ts). */
  hostDependent: string[];
}

function notUserOrGroup(value: string, why: string): string {
  return `'${value}' is not a valid user or group name or numeric ID (${why})${REFUSES}`;
}

/** User= / Group=: the last assignment wins, the empty value unsets. */
export function foldUserOrGroup(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  from?: UserValue,
): Folded<UserValue> {
  let value: UserValue = from ?? { name: null, from: null, hostDependent: [] };
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      value = { name: null, from: a, hostDependent: [] };
      continue;
    }
    const r = unitPrintf(a.value, ctx);
    if (!r.ok) {
      problems.push(problemOnValue(a, r.message + REFUSES, 'fatal'));
      break;
    }
    const why = userGroupNameProblem(r.value);
    if (why) {
      problems.push(problemOnValue(a, notUserOrGroup(r.value, why), 'fatal'));
      break;
    }
    value = { name: r.value, from: a, hostDependent: r.hostDependent };
  }
  return { value, problems };
}

/** SupplementaryGroups=: words (no unquoting) appended in order; the empty value resets. */
export function foldSupplementaryGroups(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  from?: readonly string[],
): Folded<string[]> {
  let groups: string[] = from ? [...from] : [];
  const problems = [];
  outer: for (const a of assignments) {
    if (a.value === '') {
      groups = [];
      continue;
    }
    const split = splitWords(a.value, 0);
    for (const w of split.words) {
      const r = unitPrintf(w.word, ctx);
      if (!r.ok) {
        problems.push(problemAt(a, w.start, w.end, r.message + REFUSES, 'fatal'));
        break outer;
      }
      const why = userGroupNameProblem(r.value);
      if (why) {
        problems.push(problemAt(a, w.start, w.end, notUserOrGroup(r.value, why), 'fatal'));
        break outer;
      }
      groups.push(r.value);
    }
    if (split.error) {
      problems.push(problemAt(a, split.error.start, a.value.length, BAD_QUOTING + REFUSES, 'fatal'));
      break;
    }
  }
  return { value: groups, problems };
}

/** The user name DynamicUser= picks when User= is unset: the unit prefix when it is a strict name, else a hashed `_du…` name. */
export function dynamicUserName(unitName: string): string {
  const dot = unitName.lastIndexOf('.');
  const stem = dot > 0 ? unitName.slice(0, dot) : unitName;
  const at = stem.indexOf('@');
  const prefix = at >= 0 ? stem.slice(0, at) : stem;
  if (isStrictUserGroupName(prefix)) return prefix;
  // systemd uses siphash24 of the prefix with a fixed key; any non-root name scores the same.
  let h = 0;
  for (let i = 0; i < prefix.length; i++) h = (h * 31 + prefix.charCodeAt(i)) >>> 0;
  return `_du${h.toString(16).padStart(16, '0')}`;
}
