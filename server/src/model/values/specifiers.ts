/**
 * `%` specifiers as unit_full_printf() (src/core/unit-printf.c + src/shared/specifier.c) expands
 * them for a system-manager unit.
 *
 * The unit-name specifiers (%i %I %j %J %n %N %p %P %f) come from the unit's name and are exact.
 * Everything else describes the machine systemd runs on, so it cannot be known from the file:
 *   %H %l %q %m %b %v %a %A %B %M %o %w %W   hostname, machine/boot id, kernel, architecture, os-release
 *   %h %s                                     home and shell of the user running the manager
 *   %y %Y                                     real path of the unit file
 *   %c %r %R                                  cgroup paths (deprecated)
 *   %T %V                                     $TMPDIR etc.
 * Those are taken from `HostInfo` (defaults below: a plain Debian-like system manager) and every
 * use of one is reported in `hostDependent`, so a caller can say the result rests on a guess.
 * System scope fixes %u=root %U=0 %g=root %G=0 and the directory roots %C %E %L %S %t %d (%D 257+).
 */
import { targetVersion } from './folded';

export interface HostInfo {
  hostname: string;
  shortHostname: string;
  prettyHostname: string;
  machineId: string;
  bootId: string;
  kernelRelease: string;
  architecture: string;
  osImageVersion: string;
  osBuildId: string;
  osImageId: string;
  osId: string;
  osVersionId: string;
  osVariantId: string;
  home: string;
  shell: string;
  tmpDir: string;
  varTmpDir: string;
}

export const DEFAULT_HOST: HostInfo = {
  hostname: 'localhost',
  shortHostname: 'localhost',
  prettyHostname: '',
  machineId: '00000000000000000000000000000000',
  bootId: '00000000000000000000000000000000',
  kernelRelease: '',
  architecture: 'x86-64',
  osImageVersion: '',
  osBuildId: '',
  osImageId: '',
  osId: 'debian',
  osVersionId: '',
  osVariantId: '',
  home: '/root',
  shell: '/bin/sh',
  tmpDir: '/tmp',
  varTmpDir: '/var/tmp',
};

export interface SpecifierContext {
  /** The unit's full name (`foo@bar.service`). */
  unitName: string;
  /** Path of the unit file (for %y %Y), if known. */
  fragmentPath?: string;
  version: number;
  host?: Partial<HostInfo>;
  /** Whether a bare command name exists on the loading machine (UnitModel.commandExists). */
  commandExists?: (name: string) => boolean;
}

export type PrintfResult =
  | { ok: true; value: string; hostDependent: string[] }
  | { ok: false; error: 'unknown-specifier' | 'too-long' | 'bad-escape'; at: number; message: string };

/** PATH_MAX-1, the limit unit_path_printf() uses. */
export const PATH_PRINTF_MAX = 4095;
/** LONG_LINE_MAX, the limit unit_full_printf() uses. */
export const FULL_PRINTF_MAX = 1024 * 1024;

interface NameParts {
  prefix: string;
  instance: string | null;
  prefixAndInstance: string;
}

function nameParts(name: string): NameParts {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const at = stem.indexOf('@');
  if (at < 0) return { prefix: stem, instance: null, prefixAndInstance: stem };
  return { prefix: stem.slice(0, at), instance: stem.slice(at + 1), prefixAndInstance: stem };
}

/** unit_name_unescape(): `-` becomes `/`, `\xNN` a byte; anything else after `\` is an error. */
export function unitNameUnescape(f: string): string | null {
  let out = '';
  for (let i = 0; i < f.length; i++) {
    const c = f[i]!;
    if (c === '-') out += '/';
    else if (c === '\\') {
      if (f[i + 1] !== 'x') return null;
      const a = parseInt(f[i + 2] ?? '', 16);
      const b = parseInt(f[i + 3] ?? '', 16);
      if (!/^[0-9a-fA-F]{2}$/.test(f.slice(i + 2, i + 4)) || Number.isNaN(a) || Number.isNaN(b)) return null;
      out += String.fromCharCode(a * 16 + b);
      i += 3;
    } else out += c;
  }
  return out;
}

/** path_is_normalized(): no `.`/`..` components and no `//`. */
function pathIsNormalized(p: string): boolean {
  if (p === '' || p.length > 4095) return false;
  const parts = p.split('/');
  for (let i = 0; i < parts.length; i++) {
    const c = parts[i]!;
    if (c === '.' || c === '..') return false;
    if (c === '' && i > 0 && i < parts.length - 1) return false;
  }
  return true;
}

/** unit_name_path_unescape(). */
export function unitNamePathUnescape(f: string): string | null {
  if (f === '') return null;
  if (f === '-') return '/';
  const w = unitNameUnescape(f);
  if (w === null) return null;
  if (w.startsWith('/') || w.endsWith('/')) return null;
  const s = '/' + w;
  return pathIsNormalized(s) ? s : null;
}

function isAlnum(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

/** One specifier's expansion; null = lookup error, undefined = not a specifier. */
function lookupSpecifier(
  c: string,
  ctx: SpecifierContext,
  v: number,
  hostDependent: string[],
): string | null | undefined {
  const fromHost = (spec: string, value: string): string => {
    hostDependent.push(`%${spec}`);
    return value;
  };
  switch (c) {
    case 'i':
      return nameParts(ctx.unitName).instance ?? '';
    case 'I':
      return unitNameUnescape(nameParts(ctx.unitName).instance ?? '');
    case 'j':
    case 'J': {
      const prefix = nameParts(ctx.unitName).prefix;
      const dash = prefix.lastIndexOf('-');
      const w = dash >= 0 ? prefix.slice(dash + 1) : prefix;
      return c === 'j' ? w : unitNameUnescape(w);
    }
    case 'n':
      return ctx.unitName;
    case 'N':
      return nameParts(ctx.unitName).prefixAndInstance;
    case 'p':
      return nameParts(ctx.unitName).prefix;
    case 'P':
      return unitNameUnescape(nameParts(ctx.unitName).prefix);
    case 'f': {
      const parts = nameParts(ctx.unitName);
      return parts.instance !== null ? unitNamePathUnescape(parts.instance) : unitNamePathUnescape(parts.prefix);
    }
    case 'y':
      return fromHost('y', ctx.fragmentPath ?? '');
    case 'Y':
      return fromHost('Y', ctx.fragmentPath ? dirname(ctx.fragmentPath) : '');
    case 'c':
      return fromHost('c', `/system.slice/${ctx.unitName}`);
    case 'r':
      return fromHost('r', '/system.slice');
    case 'R':
      return fromHost('R', '/');
    case 'C':
      return '/var/cache';
    case 'd':
      return `/run/credentials/${ctx.unitName}`;
    case 'D':
      return v >= 257 ? '/usr/share' : undefined;
    case 'E':
      return '/etc';
    case 'L':
      return '/var/log';
    case 'S':
      return '/var/lib';
    case 't':
      return '/run';
    case 'g':
    case 'u':
      return 'root';
    case 'G':
    case 'U':
      return '0';
    default: {
      const field = HOST_FIELD[c];
      if (field === undefined) return undefined;
      const host = ctx.host;
      // As `{ ...DEFAULT_HOST, ...ctx.host }` would have it.
      return fromHost(
        c,
        (host !== undefined && Object.prototype.hasOwnProperty.call(host, field)
          ? host[field]
          : DEFAULT_HOST[field]) as string,
      );
    }
  }
}

/** The host-dependent specifiers that are plain HostInfo fields. */
const HOST_FIELD: Record<string, keyof HostInfo> = {
  h: 'home',
  s: 'shell',
  a: 'architecture',
  A: 'osImageVersion',
  b: 'bootId',
  B: 'osBuildId',
  H: 'hostname',
  l: 'shortHostname',
  q: 'prettyHostname',
  m: 'machineId',
  M: 'osImageId',
  o: 'osId',
  v: 'kernelRelease',
  w: 'osVersionId',
  W: 'osVariantId',
  T: 'tmpDir',
  V: 'varTmpDir',
};

/** unit_full_printf_full(): expands `text`; `maxLength` as systemd's (the printed result may not be longer). */
export function unitPrintf(text: string, ctx: SpecifierContext, maxLength: number = FULL_PRINTF_MAX): PrintfResult {
  // Fast path: nothing to expand.
  if (text.indexOf('%') < 0) {
    if (text.length > maxLength)
      return { ok: false, error: 'too-long', at: maxLength, message: tooLong(text, maxLength) };
    return { ok: true, value: text, hostDependent: [] };
  }
  const v = targetVersion(ctx.version);
  const hostDependent: string[] = [];
  let out = '';
  let percent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (percent) {
      percent = false;
      if (c === '%') out += '%';
      else {
        const w = lookupSpecifier(c, ctx, v, hostDependent);
        if (w === null)
          return {
            ok: false,
            error: 'bad-escape',
            at: i - 1,
            message: `%${c} in '${text}' cannot be expanded: the unit name does not unescape to a valid value`,
          };
        if (w !== undefined) out += w;
        else if (isAlnum(c)) {
          return {
            ok: false,
            error: 'unknown-specifier',
            at: i - 1,
            message: `%${c} in '${text}' is not a specifier (write %% for a literal %)`,
          };
        } else out += '%' + c;
      }
    } else if (c === '%') percent = true;
    else out += c;
    if (out.length > maxLength) return { ok: false, error: 'too-long', at: i, message: tooLong(text, maxLength) };
  }
  if (percent) {
    out += '%';
    if (out.length > maxLength)
      return { ok: false, error: 'too-long', at: text.length, message: tooLong(text, maxLength) };
  }
  return { ok: true, value: out, hostDependent };
}

function tooLong(text: string, maxLength: number): string {
  const head = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `'${head}' is longer than ${maxLength} characters once its specifiers are expanded`;
}
