/**
 * SystemCallFilter= (config_parse_syscall_filter + seccomp_parse_syscall_filter),
 * SystemCallArchitectures= (config_parse_syscall_archs) and SystemCallErrorNumber=
 * (config_parse_syscall_errno).
 *
 * SystemCallFilter=: the first non-empty line fixes the mode: `~` = deny-list, otherwise allow-list,
 * which starts out holding @default. Later lines add to or take away from the list (a line with the
 * other polarity removes). `@group`s are expanded while parsing, with the group tables of the
 * version. Names libseccomp does not know at all are dropped with a warning; names it knows only
 * for other architectures (pseudo numbers on x86_64) are kept silently: they never match a call,
 * but they do make a deny-list non-empty. `NAME:ERRNO` is only allowed on `~` lines; in allow-list
 * mode `~NAME:ERRNO` keeps the call in the map with an error number (it is answered with that errno,
 * so it is not allowed). An empty line resets to "no filter". Words are split without unquoting.
 * Releases before 248 read errnos otherwise, and 239 fails a line that gives a listed call another
 * errno (loader-rules.ts ParseRules).
 */
import { errnoByNumber } from '../../knowledge/vocabulary';
import { loaderRules, type ParseRules } from '../loader-rules';
import type { Assignment, ValueProblem } from '../unit-model';
import { safeAtoi } from './numbers';
import {
  BAD_QUOTING,
  type Folded,
  ignoresLine,
  orList,
  problemAt,
  problemOnValue,
  REFUSES,
  shown,
  targetVersion,
} from './folded';
import {
  errnoKillKnown,
  errnoNumber,
  isPseudoSyscall,
  isResolvableSyscall,
  type SeccompTable,
  syscallGroupMembers,
} from './name-lookups';
import { EXTRACT_UNQUOTE, splitWords, stripInversion } from './words';

/** SECCOMP_ERROR_NUMBER_KILL: the "errno" systemd stores for `kill`. */
export const ERRNO_KILL = 2147483646;
/** No errno: the call is simply allowed (allow-list) or denied with the default action (deny-list). */
export const NO_ERRNO = -1;

export interface SyscallFilter {
  /** null when no filter is in force. */
  mode: 'allow' | 'deny' | null;
  /**
   * System-call name → errno (NO_ERRNO when none), in insertion order. Holds the names libseccomp
   * knows: real x86_64 calls and pseudo ones (calls of other architectures, which match nothing).
   */
  entries: Map<string, number>;
}

/**
 * The names the analyser sees: allowed calls in allow-list mode, listed calls in deny-list mode. With
 * `errnoSuffixed` (the running figure of releases before 250.8/251.3/252), a call with its own errno is
 * exported as `name:errno`: it still makes the list non-empty, but matches no call name.
 */
export function analysedNames(f: SyscallFilter, errnoSuffixed = false): Set<string> {
  const out = new Set<string>();
  for (const [name, errno] of f.entries) {
    if (errno < 0) out.add(name);
    else if (errnoSuffixed) out.add(`${name}:${errno}`);
    else if (f.mode !== 'allow') out.add(name);
  }
  return out;
}

/** errno_is_valid(): 1..4095. */
function errnoIsValid(n: number): boolean {
  return n > 0 && n <= 4095;
}

/** parse_errno(): a known name (case-insensitive) or a number 0..4095. */
export function parseErrno(s: string, version: number): number | null {
  const byName = errnoNumber(s, version);
  if (byName !== undefined && byName > 0) return byName;
  const n = safeAtoi(s);
  if (n === null) return null;
  if (!errnoIsValid(n) && n !== 0) return null;
  return n;
}

/** parse_syscall_and_errno(): `name[:errno|kill]`. */
export function parseSyscallAndErrno(word: string, version: number): { name: string; errno: number } | null {
  const colon = word.indexOf(':');
  let errno = NO_ERRNO;
  let name = word;
  if (colon >= 0) {
    const e = word.slice(colon + 1);
    const n = e === 'kill' && errnoKillKnown(version) ? ERRNO_KILL : parseErrno(e, version);
    if (n === null) return null;
    errno = n;
    name = word.slice(0, colon);
  }
  if (name === '') return null;
  return { name, errno };
}

interface ParseFlags {
  invert: boolean;
  allowList: boolean;
  table: SeccompTable;
  rules: ParseRules;
}

/** A call a word would give another errno while 239 cannot (ParseRules.syscallErrnoConflictFails). */
interface ErrnoConflict {
  call: string;
  had: number;
}

/**
 * seccomp_parse_syscall_filter() for one name or group: 'unknown' when the name is not known, or the
 * conflict that stopped it (the calls of a group before the conflicting one are applied).
 */
function applyName(
  version: number,
  name: string,
  errno: number,
  map: Map<string, number>,
  flags: ParseFlags,
): 'ok' | 'unknown' | ErrnoConflict {
  const names = name.startsWith('@')
    ? groupCalls(version, name, flags.table)
    : knownCall(version, name, flags.table)
      ? [name]
      : undefined;
  if (!names) return 'unknown';
  const add =
    !flags.invert === flags.allowList ||
    (flags.rules.allowListInvertedErrnoKept && flags.invert && flags.allowList && errno >= 0);
  const failsOnConflict = add && flags.rules.syscallErrnoConflictFails;
  for (let i = 0; i < names.length; i++) {
    const call = names[i]!;
    if (failsOnConflict) {
      const had = map.get(call);
      if (had !== undefined && had !== errno) return { call, had };
    }
    if (add) map.set(call, errno);
    else map.delete(call);
  }
  return 'ok';
}

/** How a filter entry holds a call, in words. */
function heldAs(errno: number, version: number): string {
  if (errno === NO_ERRNO) return 'without an error number';
  if (errno === ERRNO_KILL) return 'with kill';
  const name = errnoByNumber(errno, targetVersion(version))?.name;
  return `with error number ${name ?? errno}`;
}

/**
 * The problem of a word 239 fails on: in the unit file systemd refuses the unit; in a drop-in it keeps
 * what the line applied before the word and reads no further in that file (security-inputs.ts cuts it).
 */
function conflictProblem(
  a: Assignment,
  from: number,
  to: number,
  word: string,
  c: ErrnoConflict,
  errno: number,
  version: number,
): ValueProblem {
  const what =
    `systemd ${version} fails on '${word}': ${c.call} is already in the filter ${heldAs(c.had, version)}, ` +
    `and it cannot hold it ${heldAs(errno, version)} too (systemd 240 takes the new one)`;
  if (a.file.order === 0) return problemAt(a, from, to, what + REFUSES, 'fatal');
  return {
    ...problemAt(a, from, to, `${what}; systemd keeps the words before it and ignores the rest of this drop-in`),
    cutsRestOfFile: true,
  };
}

function knownCall(version: number, name: string, table: SeccompTable): boolean {
  return isResolvableSyscall(version, name, table) || isPseudoSyscall(version, name, table);
}

/**
 * The calls a group names, nested groups expanded in place (as systemd recurses, at most 16 deep) and
 * names libseccomp does not know left out, by version, table and group: a filter line names whole
 * groups of hundreds of calls, and a unit may repeat such lines thousands of times.
 */
const groupCallsCache = new Map<string, readonly string[] | undefined>();

function groupCalls(version: number, group: string, table: SeccompTable): readonly string[] | undefined {
  const key = `${version} ${table} ${group}`;
  if (groupCallsCache.has(key)) return groupCallsCache.get(key);
  let calls: string[] | undefined;
  if (syscallGroupMembers(version, group)) {
    calls = [];
    const expand = (name: string, depth: number): void => {
      if (!name.startsWith('@')) {
        if (knownCall(version, name, table)) calls!.push(name);
        return;
      }
      const members = syscallGroupMembers(version, name);
      if (!members || depth > 16) return;
      for (let i = 0; i < members.length; i++) expand(members[i]!, depth + 1);
    };
    expand(group, 0);
  }
  // Group names come from unit files: keep the cache from growing with made-up ones.
  if (groupCallsCache.size > 1024) groupCallsCache.clear();
  groupCallsCache.set(key, calls);
  return calls;
}

/** `from`: the filter folded so far (not changed; the fold continues on a copy). */
export function foldSyscallFilter(
  assignments: readonly Assignment[],
  version: number,
  table: SeccompTable = 'distribution',
  from?: SyscallFilter,
): Folded<SyscallFilter> {
  const rules = loaderRules(version).parse;
  let mode: SyscallFilter['mode'] = from ? from.mode : null;
  let map: Map<string, number> | null = from && from.mode !== null ? new Map(from.entries) : null;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      mode = null;
      map = null;
      continue;
    }
    const { text, invert, offset } = stripInversion(a.value);
    if (map === null) {
      map = new Map();
      if (invert) mode = 'deny';
      else {
        mode = 'allow';
        applyName(version, '@default', NO_ERRNO, map, { invert: false, allowList: true, table, rules });
      }
    }
    const split = splitWords(text, 0);
    let failed = false;
    for (const w of split.words) {
      const from = offset + w.start;
      const to = offset + w.end;
      const parsed = parseSyscallAndErrno(w.word, version);
      if (!parsed) {
        problems.push(
          problemAt(
            a,
            from,
            to,
            `'${w.word}' is not NAME or NAME:ERRNO (ERRNO an errno name such as EPERM, a number up to 4095${errnoKillKnown(version) ? ', or kill' : ''}); systemd skips it`,
          ),
        );
        continue;
      }
      if (!invert && parsed.errno >= 0 && !rules.allowListWordTakesErrno) {
        problems.push(
          problemAt(
            a,
            from,
            to,
            `An allow-list entry cannot carry an error number ('${w.word.slice(w.word.indexOf(':'))}'); systemd skips '${w.word}'`,
          ),
        );
        continue;
      }
      const applied = applyName(version, parsed.name, parsed.errno, map, {
        invert,
        allowList: mode === 'allow',
        table,
        rules,
      });
      if (applied !== 'ok' && applied !== 'unknown') {
        problems.push(conflictProblem(a, from, to, w.word, applied, parsed.errno, version));
        failed = true;
        break;
      }
      if (applied === 'unknown') {
        problems.push(
          problemAt(
            a,
            from,
            from + parsed.name.length,
            parsed.name.startsWith('@')
              ? `'${parsed.name}' is not a system call group of systemd ${version} (systemd-analyze syscall-filter lists them); systemd skips it`
              : `'${parsed.name}' is not a system call libseccomp knows; systemd skips it`,
          ),
        );
      }
    }
    if (split.error && !failed)
      problems.push(
        problemAt(
          a,
          offset + split.error.start,
          a.value.length,
          `${BAD_QUOTING}; systemd ignores the rest of the line`,
        ),
      );
  }
  return { value: { mode, entries: map ?? new Map() }, problems };
}

/** The architecture names seccomp_arch_from_string() knows. */
export function knownArchitectures(version: number): readonly string[] {
  const base = [
    'native',
    'x86',
    'x86-64',
    'x32',
    'arm',
    'arm64',
    'mips',
    'mips64',
    'mips64-n32',
    'mips-le',
    'mips64-le',
    'mips64-le-n32',
    'parisc',
    'parisc64',
    'ppc',
    'ppc64',
    'ppc64-le',
    'riscv64',
    's390',
    's390x',
  ];
  return version >= 257 ? [...base.slice(0, 6), 'loongarch64', ...base.slice(6)] : base;
}

/** SystemCallArchitectures=: a set of architecture names; the empty value resets. */
export function foldSyscallArchitectures(
  assignments: readonly Assignment[],
  version: number,
  from?: readonly string[],
): Folded<string[]> {
  let archs: string[] = from ? [...from] : [];
  const problems = [];
  const known = knownArchitectures(version);
  for (const a of assignments) {
    if (a.value === '') {
      archs = [];
      continue;
    }
    const split = splitWords(a.value, EXTRACT_UNQUOTE);
    for (const w of split.words) {
      if (!known.includes(w.word)) {
        problems.push(
          problemAt(
            a,
            w.start,
            w.end,
            `'${w.word}' is not an architecture name (such as native, x86-64 or x86); systemd skips it`,
          ),
        );
        continue;
      }
      if (!archs.includes(w.word)) archs.push(w.word);
    }
    if (split.error)
      problems.push(
        problemAt(a, split.error.start, a.value.length, `${BAD_QUOTING}; systemd ignores the rest of the line`),
      );
  }
  return { value: archs, problems };
}

/** SystemCallErrorNumber=: an errno (name or number), `kill`, or empty (= kill). */
export function foldSyscallErrorNumber(assignments: readonly Assignment[], version: number): Folded<number> {
  let value = ERRNO_KILL;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '' || (a.value === 'kill' && errnoKillKnown(version))) {
      value = ERRNO_KILL;
      continue;
    }
    const e = parseErrno(a.value, version);
    if (e === null) {
      problems.push(
        problemOnValue(
          a,
          `${a.key}= takes ${orList(['an errno name such as EPERM', 'a number from 1 to 4095', ...(errnoKillKnown(version) ? ['kill'] : [])])}; systemd ignores ${shown(a.value)}`,
        ),
      );
      continue;
    }
    if (e === 0) {
      problems.push(problemOnValue(a, `An error number must be from 1 to 4095, not ${a.value}${ignoresLine(a)}`));
      continue;
    }
    value = e;
  }
  return { value, problems };
}
