/**
 * Paths a service probably writes, inferred from its unit: PIDFile=, WorkingDirectory=, absolute
 * paths under /var, /run and /srv in its Exec*= arguments, and such paths named anywhere else in
 * [Service]. With ProtectSystem=strict these become read-only unless listed in ReadWritePaths= (or
 * covered by StateDirectory=, CacheDirectory=, LogsDirectory=, RuntimeDirectory=, PrivateTmp=): strict
 * mounts everything read-only but /dev, /proc, /sys (and /home, /root, /run/user, left to ProtectHome=),
 * so /run too (src/core/namespace.c, protect_system_strict_table).
 */
import { effectiveListAssignments, lastAssignment } from '../model/build';
import type { Assignment, UnitModel } from '../model/unit-model';
import { parseBoolean } from '../model/values/booleans';
import { foldExec } from '../model/values/exec';
import { unitPrintf, type SpecifierContext } from '../model/values/specifiers';

export interface WritePath {
  path: string;
  /** Why we think the service writes there, e.g. "PIDFile=". */
  reason: string;
  from: Assignment;
  /** For a file directly in /run (`/run/nginx.pid`, whose folder is /run itself): that file. */
  file?: string;
}

const WRITABLE_ROOTS = ['/var/', '/run/', '/srv/'];
const MANAGED: [string, string][] = [
  ['StateDirectory', '/var/lib/'],
  ['CacheDirectory', '/var/cache/'],
  ['LogsDirectory', '/var/log/'],
  ['RuntimeDirectory', '/run/'],
];

function normalize(p: string): string {
  let out = p.replace(/\/+/g, '/');
  if (out.startsWith('/var/run/')) out = '/run/' + out.slice('/var/run/'.length);
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

function resolve(text: string, ctx: SpecifierContext): string | null {
  if (!text.includes('%')) return text;
  const r = unitPrintf(text, ctx);
  return r.ok && r.hostDependent.length === 0 ? r.value : null;
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** Folders systemd keeps writable for the service even under ProtectSystem=strict. */
export function writableByConfig(model: UnitModel, section = 'Service'): string[] {
  const out: string[] = [];
  for (const [key, root] of MANAGED) {
    for (const a of effectiveListAssignments(model, section, key)) {
      for (const word of a.value.split(/\s+/)) if (word) out.push(normalize(root + word.split(':')[0]!));
    }
  }
  for (const key of ['ReadWritePaths', 'ReadWriteDirectories', 'BindPaths']) {
    for (const a of effectiveListAssignments(model, section, key)) {
      for (const word of a.value.split(/\s+/)) {
        const p = word.replace(/^[-+]+/, '').split(':')[0]!;
        if (p.startsWith('/')) out.push(normalize(p));
      }
    }
  }
  // A private /tmp is writable: PrivateTmp=yes, or DynamicUser=yes, which implies it (systemd.exec(5)).
  const privateTmp = lastAssignment(model, section, 'PrivateTmp')?.value.toLowerCase() ?? '';
  const dynamicUser = lastAssignment(model, section, 'DynamicUser')?.value ?? '';
  if (
    parseBoolean(privateTmp) ||
    privateTmp === 'connected' ||
    privateTmp === 'disconnected' ||
    parseBoolean(dynamicUser)
  )
    out.push('/tmp', '/var/tmp');
  return out;
}

/** Paths under /var, /run and /srv the unit names and would need to write, not yet writable by configuration. */
export function inferWritePaths(model: UnitModel, section = 'Service'): WritePath[] {
  const ctx: SpecifierContext = { unitName: model.name, fragmentPath: model.files[0]?.path, version: model.version };
  const found: WritePath[] = [];
  const add = (raw: string, reason: string, from: Assignment, isDir: boolean): void => {
    const resolved = resolve(raw, ctx);
    if (!resolved || !resolved.startsWith('/')) return;
    let p = normalize(resolved);
    const file = p;
    if (!isDir) p = p.slice(0, p.lastIndexOf('/')) || '/';
    // A file directly in /run (a PID file, a socket) needs /run itself: a file that does not exist yet
    // cannot be made writable on its own. Folders directly in /var or /srv are left alone (too wide).
    if (!isDir && p === '/run') return void found.push({ path: p, reason, from, file });
    if (!WRITABLE_ROOTS.some((r) => under(p, r.slice(0, -1)) && p !== r.slice(0, -1))) return;
    found.push({ path: p, reason, from });
  };
  const pid = lastAssignment(model, section, 'PIDFile');
  if (pid?.value) add(pid.value, 'PIDFile=', pid, false);
  const wd = lastAssignment(model, section, 'WorkingDirectory');
  if (wd?.value && !wd.value.startsWith('~')) add(wd.value.replace(/^-/, ''), 'WorkingDirectory=', wd, true);
  for (const key of ['ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost']) {
    const { value: commands } = foldExec(effectiveListAssignments(model, section, key), ctx);
    for (const c of commands) {
      for (const arg of c.argv.slice(1)) {
        const m = /(?:^|=)(\/[^\s:,;'"]+)/.exec(arg);
        if (m) add(m[1]!, `${key}=`, c.from, !/\.[a-z0-9]{1,5}$/i.test(m[1]!));
      }
    }
  }
  for (const a of effectiveListAssignments(model, section, 'Environment')) {
    for (const m of a.value.matchAll(/(?:^|[=\s"])(\/(?:var|run|srv)\/[^\s"':;,]+)/g))
      add(m[1]!, `${a.key}=`, a, !/\.[a-z0-9]{1,5}$/i.test(m[1]!));
  }
  const writable = outermostKeys(writableByConfig(model, section).map(folderKey));
  const seen = new Set<string>();
  const out: WritePath[] = [];
  for (const w of found) {
    // A file directly in /run counts as writable when configuration names it (ReadWritePaths=/run/x.pid).
    if (
      seen.has(w.path) ||
      underAny(folderKey(w.path), writable) ||
      (w.file !== undefined && underAny(folderKey(w.file), writable))
    )
      continue;
    seen.add(w.path);
    out.push(w);
  }
  // Keep the outermost folder only.
  const outermost = new Set(outermostKeys(out.map((w) => folderKey(w.path))));
  return out.filter((w) => outermost.has(folderKey(w.path)));
}

// Folder containment for many paths at once: comparing every path with every folder was quadratic
// (16,000 ExecStartPre= lines naming folders under /var took 12 s).

/**
 * A path as a key in which `/` is NUL (below every other character) and a NUL ends it, so that
 * under(path, dir) is "key(path) starts with key(dir)", and the paths in a folder sort right after it.
 */
function folderKey(path: string): string {
  return (path === '/' ? '' : path.replaceAll('/', '\0')) + '\0';
}

/** The sorted keys of the folders that no other one of them contains. */
function outermostKeys(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of [...keys].sort()) if (out.length === 0 || !k.startsWith(out[out.length - 1]!)) out.push(k);
  return out;
}

/**
 * Whether a key lies in one of the folders of `roots` (outermostKeys()). Only the greatest root not
 * after the key can hold it: every string between a folder's key and a key in that folder is in it too.
 */
function underAny(key: string, roots: readonly string[]): boolean {
  let lo = 0;
  let hi = roots.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (roots[mid]! <= key) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && key.startsWith(roots[found]!);
}

/**
 * The lines that make the written paths writable. A folder /run/NAME (or one inside it) of a unit named
 * NAME gets RuntimeDirectory=NAME: systemd creates it writable at start, owned by User=, even when it
 * does not exist yet, where ReadWritePaths=-/run/NAME would be skipped (and without `-` the unit would
 * fail to start). Not for templates: their instances would share the folder, removed as the first one
 * stops; nor for other names (/run/php, /run/lock), which other units own. Other paths get
 * ReadWritePaths=, with `-` so a path that does not exist does not fail the unit; /run itself always exists.
 */
export function writePathLines(model: UnitModel, paths: readonly WritePath[]): string[] {
  const u = model.unitName;
  const own = u && u.instance === null ? u.prefix : null;
  const runtime: string[] = [];
  const readWrite: string[] = [];
  for (const w of paths) {
    const name = w.path.startsWith('/run/') ? w.path.slice('/run/'.length).split('/')[0]! : null;
    if (name !== null && name === own) {
      if (!runtime.includes(name)) runtime.push(name);
    } else readWrite.push(w.path === '/run' ? '/run' : `-${w.path}`);
  }
  const out: string[] = [];
  if (runtime.length) out.push(`RuntimeDirectory=${runtime.join(' ')}`);
  if (readWrite.length) out.push(`ReadWritePaths=${readWrite.join(' ')}`);
  return out;
}
