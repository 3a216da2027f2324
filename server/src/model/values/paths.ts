/**
 * Path-valued settings:
 *   RootDirectory=, RootImage=      config_parse_unit_path_printf with "fatal" set: a bad value
 *                                   (specifier error, relative or un-normalized path) refuses the unit.
 *   ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, ExecPaths=, NoExecPaths= (and the old
 *   *Directories= names)           config_parse_namespace_path_strv: words (unquoted), each
 *                                   optionally prefixed `-` (ignore if missing) then `+` (relative
 *                                   to the root directory); bad words are skipped with a warning.
 *   IPIngressFilterPath=, IPEgressFilterPath=   config_parse_ip_filter_bpf_progs: one absolute path
 *                                   per line, appended unless already present.
 */
import type { Assignment } from '../unit-model';
import { unitPrintf, PATH_PRINTF_MAX, type SpecifierContext } from './specifiers';
import { BAD_QUOTING, type Folded, ignoresLine, problemAt, problemOnValue, REFUSES } from './folded';
import { EXTRACT_UNQUOTE, splitWords } from './words';

const PATH_MAX = 4096;
const NAME_MAX = 255;

/** path_simplify(): drops `.` components, repeated and trailing slashes (keeps "/"). */
export function pathSimplify(p: string): string {
  if (p === '') return p;
  const abs = p.startsWith('/');
  const parts = p.split('/').filter((c) => c !== '' && c !== '.');
  const joined = parts.join('/');
  if (abs) return '/' + joined;
  return joined === '' ? '.' : joined;
}

function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '');
}

/** path_is_valid(): non-empty, shorter than PATH_MAX, no component longer than NAME_MAX. */
export function pathIsValid(p: string): boolean {
  if (p === '' || Buffer.byteLength(p, 'utf8') >= PATH_MAX) return false;
  return components(p).every((c) => Buffer.byteLength(c, 'utf8') <= NAME_MAX);
}

/** path_is_normalized(): valid, no `..`, no `.` component, no `//`. */
export function pathIsNormalized(p: string): boolean {
  if (!pathIsValid(p)) return false;
  if (components(p).some((c) => c === '..')) return false;
  if (p === '.' || p.startsWith('./') || p.endsWith('/.') || p.includes('/./')) return false;
  return !p.includes('//');
}

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/** path_simplify_and_warn(PATH_CHECK_ABSOLUTE). */
export function checkAbsolutePath(path: string, key: string): PathCheck {
  if (!path.startsWith('/')) return { ok: false, message: `${key}= takes an absolute path, not '${path}'` };
  const s = pathSimplify(path);
  if (!pathIsValid(s))
    return {
      ok: false,
      message: `The path is too long: it must stay under ${PATH_MAX} bytes, each name at most ${NAME_MAX}`,
    };
  if (!pathIsNormalized(s)) return { ok: false, message: `'${s}' has a '..' component` };
  return { ok: true, path: s };
}

/** RootDirectory= / RootImage=: the last assignment wins, empty unsets; every error is fatal. */
export function foldRootPath(assignments: readonly Assignment[], ctx: SpecifierContext): Folded<string | null> {
  let value: string | null = null;
  const problems = [];
  for (const a of assignments) {
    const r = unitPrintf(a.value, ctx, PATH_PRINTF_MAX);
    if (!r.ok) {
      problems.push(problemOnValue(a, r.message + REFUSES, 'fatal'));
      break;
    }
    if (r.value === '') {
      value = null;
      continue;
    }
    const c = checkAbsolutePath(r.value, a.key);
    if (!c.ok) {
      problems.push(problemOnValue(a, c.message + REFUSES, 'fatal'));
      break;
    }
    value = c.path;
  }
  return { value, problems };
}

export interface NamespacePath {
  path: string;
  /** `-`: a missing path is not an error. */
  ignoreMissing: boolean;
  /** `+`: relative to RootDirectory=/RootImage=. */
  underRoot: boolean;
}

export function foldNamespacePaths(assignments: readonly Assignment[], ctx: SpecifierContext): Folded<NamespacePath[]> {
  let list: NamespacePath[] = [];
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      list = [];
      continue;
    }
    const split = splitWords(a.value, EXTRACT_UNQUOTE);
    for (const w of split.words) {
      let word = w.word;
      let ignoreMissing = false;
      let underRoot = false;
      if (word.startsWith('-')) {
        ignoreMissing = true;
        word = word.slice(1);
      }
      if (word.startsWith('+')) {
        underRoot = true;
        word = word.slice(1);
      }
      const r = unitPrintf(word, ctx, PATH_PRINTF_MAX);
      if (!r.ok) {
        problems.push(problemAt(a, w.start, w.end, `${r.message}; systemd skips this path`));
        continue;
      }
      const c = checkAbsolutePath(r.value, a.key);
      if (!c.ok) {
        problems.push(problemAt(a, w.start, w.end, `${c.message}; systemd skips this path`));
        continue;
      }
      list.push({ path: c.path, ignoreMissing, underRoot });
    }
    if (split.error)
      problems.push(
        problemAt(a, split.error.start, a.value.length, `${BAD_QUOTING}; systemd ignores the rest of the line`),
      );
  }
  return { value: list, problems };
}

/** IPIngressFilterPath= / IPEgressFilterPath=: absolute paths (BPF programs in bpffs); empty resets. */
export function foldFilterPaths(assignments: readonly Assignment[], ctx: SpecifierContext): Folded<string[]> {
  let list: string[] = [];
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      list = [];
      continue;
    }
    const r = unitPrintf(a.value, ctx, PATH_PRINTF_MAX);
    if (!r.ok) {
      problems.push(problemOnValue(a, r.message + ignoresLine(a)));
      continue;
    }
    const c = checkAbsolutePath(r.value, a.key);
    if (!c.ok) {
      problems.push(problemOnValue(a, c.message + ignoresLine(a)));
      continue;
    }
    if (!list.includes(c.path)) list.push(c.path);
  }
  return { value: list, problems };
}

/**
 * WorkingDirectory= (config_parse_working_directory): `~` is the user's home, anything else a path
 * (specifiers expanded, absolute, simplified). A leading `-` makes a bad path a warning ("missing
 * ok"); without it a bad path refuses the unit. Empty resets. Only whether it is `~` matters here
 * (257+ refuse `~` under DynamicUser=yes).
 */
export function foldWorkingDirectory(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  from = false,
): Folded<boolean> {
  let home = from;
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      home = false;
      continue;
    }
    const missingOk = a.value.startsWith('-');
    const rest = missingOk ? a.value.slice(1) : a.value;
    if (rest === '~') {
      home = true;
      continue;
    }
    const r = unitPrintf(rest, ctx, PATH_PRINTF_MAX);
    if (!r.ok) {
      problems.push(
        missingOk
          ? problemOnValue(a, `${r.message}; with the '-' prefix systemd only ignores this line`)
          : problemOnValue(a, r.message + REFUSES, 'fatal'),
      );
      if (missingOk) continue;
      break;
    }
    const c = checkAbsolutePath(r.value, a.key);
    if (!c.ok) {
      problems.push(
        missingOk
          ? problemOnValue(a, `${c.message}; with the '-' prefix systemd only ignores this line`)
          : problemOnValue(a, c.message + REFUSES, 'fatal'),
      );
      if (missingOk) continue;
      break;
    }
    home = false;
  }
  return { value: home, problems };
}

/**
 * config_parse_unit_path_printf() without "fatal" (UserNamespacePath=): specifiers expanded, then an
 * absolute path (simplified); empty unsets; a bad value is logged and ignored.
 */
export function foldOptionalPath(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  from: string | null = null,
): Folded<string | null> {
  let value = from;
  const problems = [];
  for (const a of assignments) {
    const r = unitPrintf(a.value, ctx, PATH_PRINTF_MAX);
    if (!r.ok) {
      problems.push(problemOnValue(a, r.message + ignoresLine(a)));
      continue;
    }
    if (r.value === '') {
      value = null;
      continue;
    }
    const c = checkAbsolutePath(r.value, a.key);
    if (!c.ok) {
      problems.push(problemOnValue(a, c.message + ignoresLine(a)));
      continue;
    }
    value = c.path;
  }
  return { value, problems };
}
