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
import { targetVersion } from './types';

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

/** unit_full_printf_full(): expands `text`; `maxLength` as systemd's (the printed result may not be longer). */
export function unitPrintf(text: string, ctx: SpecifierContext, maxLength: number = FULL_PRINTF_MAX): PrintfResult {
  const host: HostInfo = { ...DEFAULT_HOST, ...ctx.host };
  const v = targetVersion(ctx.version);
  const parts = nameParts(ctx.unitName);
  const hostDependent: string[] = [];
  const fromHost = (spec: string, value: string): string => {
    hostDependent.push(`%${spec}`);
    return value;
  };

  type Lookup = () => string | null; // null = lookup error
  const table: Record<string, Lookup> = {
    i: () => parts.instance ?? '',
    I: () => unitNameUnescape(parts.instance ?? ''),
    j: () => {
      const dash = parts.prefix.lastIndexOf('-');
      return dash >= 0 ? parts.prefix.slice(dash + 1) : parts.prefix;
    },
    J: () => {
      const dash = parts.prefix.lastIndexOf('-');
      return unitNameUnescape(dash >= 0 ? parts.prefix.slice(dash + 1) : parts.prefix);
    },
    n: () => ctx.unitName,
    N: () => parts.prefixAndInstance,
    p: () => parts.prefix,
    P: () => unitNameUnescape(parts.prefix),
    f: () => (parts.instance !== null ? unitNamePathUnescape(parts.instance) : unitNamePathUnescape(parts.prefix)),
    y: () => fromHost('y', ctx.fragmentPath ?? ''),
    Y: () => fromHost('Y', ctx.fragmentPath ? dirname(ctx.fragmentPath) : ''),
    c: () => fromHost('c', `/system.slice/${ctx.unitName}`),
    r: () => fromHost('r', '/system.slice'),
    R: () => fromHost('R', '/'),
    C: () => '/var/cache',
    d: () => `/run/credentials/${ctx.unitName}`,
    E: () => '/etc',
    L: () => '/var/log',
    S: () => '/var/lib',
    t: () => '/run',
    h: () => fromHost('h', host.home),
    s: () => fromHost('s', host.shell),
    a: () => fromHost('a', host.architecture),
    A: () => fromHost('A', host.osImageVersion),
    b: () => fromHost('b', host.bootId),
    B: () => fromHost('B', host.osBuildId),
    H: () => fromHost('H', host.hostname),
    l: () => fromHost('l', host.shortHostname),
    q: () => fromHost('q', host.prettyHostname),
    m: () => fromHost('m', host.machineId),
    M: () => fromHost('M', host.osImageId),
    o: () => fromHost('o', host.osId),
    v: () => fromHost('v', host.kernelRelease),
    w: () => fromHost('w', host.osVersionId),
    W: () => fromHost('W', host.osVariantId),
    g: () => 'root',
    G: () => '0',
    u: () => 'root',
    U: () => '0',
    T: () => fromHost('T', host.tmpDir),
    V: () => fromHost('V', host.varTmpDir),
  };
  if (v >= 257) table.D = () => '/usr/share';

  let out = '';
  let percent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (percent) {
      percent = false;
      if (c === '%') out += '%';
      else {
        const lookup = table[c];
        if (lookup) {
          const w = lookup();
          if (w === null) return { ok: false, error: 'bad-escape', at: i - 1, message: `Failed to resolve specifier %${c}: Invalid argument` };
          out += w;
        } else if (isAlnum(c)) {
          return { ok: false, error: 'unknown-specifier', at: i - 1, message: `Unknown specifier %${c}` };
        } else out += '%' + c;
      }
    } else if (c === '%') percent = true;
    else out += c;
    if (out.length > maxLength) return { ok: false, error: 'too-long', at: i, message: 'Expanded value is too long' };
  }
  if (percent) {
    out += '%';
    if (out.length > maxLength) return { ok: false, error: 'too-long', at: text.length, message: 'Expanded value is too long' };
  }
  return { ok: true, value: out, hostDependent };
}
