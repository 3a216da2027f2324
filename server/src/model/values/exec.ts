/**
 * ExecStart= and the other command lines (config_parse_exec).
 *
 * A line holds one command, or several separated by a lone `;`. The first word is the executable,
 * after optional prefixes: `-` (failure ignored), `@` (next word is argv[0]), `:` (no variable
 * expansion), `+` (full privileges), `!` (no user switch), `!!` (ambient-capability fallback; a
 * no-op with a notice from 258), `|` (run through the shell, 258+). The executable must be an
 * absolute path or a plain file name (searched in PATH); a relative path with a slash, an empty
 * name, quotes/control characters in it or a trailing slash make systemd refuse the whole unit —
 * unless the line has `-`, in which case the rest of the line is skipped with a warning.
 * Empty resets the list.
 */
import type { Assignment, ValueProblem } from '../unit-model';
import { pathIsValid } from './paths';
import { unitPrintf, PATH_PRINTF_MAX, type SpecifierContext } from './specifiers';
import { type Folded, problemAt, REFUSES, targetVersion } from './folded';
import { EXTRACT_CUNESCAPE, EXTRACT_UNQUOTE, extractFirstWordAndWarn } from './words';
import { DEFAULT_PATH, loaderRules } from '../loader-rules';

const bareNamesLookedUp = (version: number): boolean => loaderRules(version).bareNameNotInDefaultPath;

export interface ExecCommand {
  path: string;
  argv: string[];
  ignoreFailure: boolean;
  /** `+` */
  fullyPrivileged: boolean;
  /** `!` */
  noSetuid: boolean;
  /** `!!` (up to 257) */
  ambientMagic: boolean;
  noEnvExpand: boolean;
  viaShell: boolean;
  from: Assignment;
}

const UNSAFE = /["'\\\x7f]|[\x01-\x1f]/;

function isDotOrDotDot(p: string): boolean {
  return p === '.' || p === '..';
}

/** filename_is_valid(): non-empty, not `.`/`..`, no `/`, at most 255 bytes. */
export function filenameIsValid(p: string): boolean {
  return p !== '' && !isDotOrDotDot(p) && !p.includes('/') && Buffer.byteLength(p, 'utf8') <= 255;
}

function impliesDirectory(path: string, version: number): boolean {
  if (targetVersion(version) >= 257)
    return isDotOrDotDot(path) || path.endsWith('/') || path.endsWith('/.') || path.endsWith('/..');
  return path.endsWith('/');
}

/** What systemd does with a bad command that has the '-' prefix (commands before it on the line stay). */
const SKIPPED = "; with the '-' prefix systemd ignores this command and the rest of the line";

/** Parses one Exec*= line into commands, or reports why systemd drops/refuses it. */
export function parseExecLine(
  a: Assignment,
  ctx: SpecifierContext,
): { commands: ExecCommand[]; problems: ValueProblem[]; fatal: boolean } {
  const v = targetVersion(ctx.version);
  const s = a.value;
  const commands: ExecCommand[] = [];
  const problems: ValueProblem[] = [];
  let pos: number | null = 0;
  const fail = (from: number, to: number, message: string, ignore: boolean) => {
    problems.push(problemAt(a, from, to, ignore ? message + SKIPPED : message + REFUSES, ignore ? 'ignored' : 'fatal'));
    return { commands, problems, fatal: !ignore };
  };

  let semicolon: boolean;
  do {
    semicolon = false;
    const first = extractFirstWordAndWarn(s, pos, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
    if (first.kind === 'end') break;
    if (first.kind === 'error') {
      problems.push(problemAt(a, first.start, s.length, `${first.message}; systemd ignores the rest of the line`));
      break;
    }
    if (first.warning) problems.push(problemAt(a, first.word.start, first.word.end, first.warning));
    pos = first.next;
    const fw = first.word.word;
    if (fw === ';') {
      semicolon = true;
      continue;
    }
    let i = 0;
    let ignore = false;
    let separateArgv0 = false;
    let noEnv = false;
    let viaShell = false;
    let full = false;
    let noSetuid = false;
    let ambient = false;
    for (; ; i++) {
      const c = fw[i];
      if (c === '-' && !ignore) ignore = true;
      else if (c === '@' && !separateArgv0) separateArgv0 = true;
      else if (c === ':' && !noEnv) noEnv = true;
      else if (c === '|' && v >= 262 && !viaShell) viaShell = true;
      else if (c === '+' && !full && !noSetuid && !ambient) full = true;
      else if (c === '!' && !full && !noSetuid && !ambient) noSetuid = true;
      else if (c === '!' && !full && !ambient) {
        noSetuid = false;
        ambient = true;
      } else break;
    }
    const f = fw.slice(i);
    const wStart = first.word.start;
    const wEnd = first.word.end;
    const argv: string[] = [];
    let path: string;
    if (viaShell) {
      path = '/bin/sh';
      argv.push(separateArgv0 ? '-sh' : 'sh');
      if (f !== '') argv.push(f);
    } else {
      const r = unitPrintf(f, ctx, PATH_PRINTF_MAX);
      if (!r.ok) return fail(wStart, wEnd, r.message, ignore);
      path = r.value;
      if (path === '') return fail(wStart, wEnd, 'The command has no program path', ignore);
      if (UNSAFE.test(path))
        return fail(
          wStart,
          wEnd,
          `'${path}' has a quote, backslash or control character, which a program path cannot have`,
          ignore,
        );
      if (impliesDirectory(path, v)) return fail(wStart, wEnd, `'${path}' names a directory, not a program`, ignore);
      const ok = path.startsWith('/') ? pathIsValid(path) : filenameIsValid(path);
      if (!ok) return fail(wStart, wEnd, `'${path}' is neither an absolute path nor a plain program name`, ignore);
      // 239–246 look a bare name up in DEFAULT_PATH when loading (loader-rules.ts); only the adapter can tell.
      // The release first: asking the adapter may touch the disk, and only 239-246 need the answer.
      if (!path.startsWith('/') && ctx.commandExists && bareNamesLookedUp(ctx.version) && !ctx.commandExists(path))
        return fail(wStart, wEnd, `Executable "${path}" not found in path "${DEFAULT_PATH.join(':')}"`, ignore);
      if (!separateArgv0) argv.push(path);
    }
    while (pos !== null && pos < s.length) {
      if (s[pos] === ';' && (pos + 1 >= s.length || ' \t\n\r'.includes(s[pos + 1]!))) {
        pos++;
        while (pos < s.length && ' \t\n\r'.includes(s[pos]!)) pos++;
        semicolon = true;
        break;
      }
      if (s[pos] === '\\' && s[pos + 1] === ';' && (pos + 2 >= s.length || ' \t\n\r'.includes(s[pos + 2]!))) {
        pos += 2;
        while (pos < s.length && ' \t\n\r'.includes(s[pos]!)) pos++;
        argv.push(';');
        continue;
      }
      const w = extractFirstWordAndWarn(s, pos, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
      if (w.kind === 'end') break;
      if (w.kind === 'error') {
        problems.push(
          problemAt(
            a,
            w.start,
            s.length,
            ignore ? w.message + SKIPPED : w.message + REFUSES,
            ignore ? 'ignored' : 'fatal',
          ),
        );
        return { commands, problems, fatal: !ignore };
      }
      if (w.warning) problems.push(problemAt(a, w.word.start, w.word.end, w.warning));
      const r = unitPrintf(w.word.word, ctx);
      if (!r.ok) return fail(w.word.start, w.word.end, r.message, ignore);
      argv.push(r.value);
      pos = w.next;
    }
    if (argv.length === 0)
      return fail(
        wStart,
        wEnd,
        "The '@' prefix needs an argument after the program path (the argv[0] to pass)",
        ignore,
      );
    commands.push({
      path: viaShell ? path : simplifyExecPath(path),
      argv,
      ignoreFailure: ignore,
      fullyPrivileged: full,
      noSetuid,
      ambientMagic: ambient,
      noEnvExpand: noEnv,
      viaShell,
      from: a,
    });
  } while (semicolon);
  return { commands, problems, fatal: false };
}

function simplifyExecPath(p: string): string {
  if (!p.startsWith('/')) return p;
  return (
    '/' +
    p
      .split('/')
      .filter((c) => c !== '' && c !== '.')
      .join('/')
  );
}

/** An Exec*= setting's command list (empty resets). `fatal` is set when systemd refuses the unit. */
export function foldExec(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
): Folded<ExecCommand[]> & { fatal: boolean } {
  let list: ExecCommand[] = [];
  const problems: ValueProblem[] = [];
  for (const a of assignments) {
    if (a.value === '') {
      list = [];
      continue;
    }
    const r = parseExecLine(a, ctx);
    for (const p of r.problems) problems.push(p);
    for (const c of r.commands) list.push(c);
    if (r.fatal) return { value: list, problems, fatal: true };
  }
  return { value: list, problems, fatal: false };
}
