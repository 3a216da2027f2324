/**
 * The system unit search path and drop-in resolution, as systemd's path-lookup.c and dropin.c do
 * it, over a list of file paths handed in by an adapter (the core never reads the disk).
 */
import { dropinNames, isInstance, parseUnitName, templateOf } from './unit-name';
import { userFolderOf, userSearchPath } from './scope';

/**
 * The system-scope unit search path, highest priority first. systemd 252 and 254 as Debian 12
 * builds them also search /lib/systemd/system (before /usr/lib); from 255 on only /usr/lib.
 */
export function systemSearchPath(version: number): string[] {
  return [
    '/etc/systemd/system.control',
    '/run/systemd/system.control',
    '/run/systemd/transient',
    '/run/systemd/generator.early',
    '/etc/systemd/system',
    '/etc/systemd/system.attached',
    '/run/systemd/system',
    '/run/systemd/system.attached',
    '/run/systemd/generator',
    '/usr/local/lib/systemd/system',
    ...(version < 255 ? ['/lib/systemd/system'] : []),
    '/usr/lib/systemd/system',
    '/run/systemd/generator.late',
  ];
}

/**
 * The search path of the root that `folder` belongs to, when it is one of systemd's unit folders: on
 * the host (`/etc/systemd/system`) the system's search path; inside a tree (`/srv/img/etc/systemd/system`)
 * the same folders under the tree. Null for any other folder. (Folders are matched longest first, so
 * /usr/lib/systemd/system is not taken for /lib/systemd/system under a root called /usr.)
 */
export function searchPathOfRoot(folder: string, version: number): string[] | null {
  // A user unit folder: the user search path of the same root (and home or runtime folder, when it is one of those).
  const user = userFolderOf(folder);
  if (user) {
    const path = userSearchPath(user.root, user.home, user.runtime);
    return path.includes(folder) ? path : [folder, ...path];
  }
  const all = systemSearchPath(Math.min(version, 254));
  const byLength = [...all].sort((a, b) => b.length - a.length);
  for (const d of byLength) {
    if (folder !== d && !folder.endsWith(d)) continue;
    const root = folder.slice(0, folder.length - d.length);
    if (root !== '' && !root.startsWith('/')) continue;
    const path = systemSearchPath(version).map((s) => root + s);
    // From 255 on /lib/systemd/system is not searched (it is /usr/lib's link on merged-/usr systems): a
    // document there still belongs to the search, where /usr/lib's files are.
    if (!path.includes(folder)) path.splice(path.indexOf(root + '/usr/lib/systemd/system'), 0, folder);
    return path;
  }
  return null;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** An index of file paths by folder, so lookups do not scan every path. */
export class FileSet {
  private readonly byDir = new Map<string, string[]>();
  private readonly all = new Set<string>();

  constructor(paths: Iterable<string>) {
    for (const p of paths) {
      if (this.all.has(p)) continue;
      this.all.add(p);
      const d = dirname(p);
      const list = this.byDir.get(d);
      if (list) list.push(p);
      else this.byDir.set(d, [p]);
    }
  }

  has(path: string): boolean {
    return this.all.has(path);
  }

  filesIn(dir: string): string[] {
    return this.byDir.get(dir) ?? [];
  }
}

/**
 * Finds the fragment (main unit file) for `name` along `searchPath`: the first folder that has the
 * file, or for an instance, the first that has its template.
 */
export function findFragment(name: string, files: FileSet, searchPath: readonly string[]): string | null {
  for (const dir of searchPath) {
    const p = join(dir, name);
    if (files.has(p)) return p;
  }
  const u = parseUnitName(name);
  const tpl = u && isInstance(u) ? templateOf(u) : null;
  if (tpl) {
    for (const dir of searchPath) {
      const p = join(dir, tpl);
      if (files.has(p)) return p;
    }
  }
  return null;
}

/**
 * The drop-in files (`*.conf`) that apply to unit `name`, in the order systemd applies them.
 *
 * Folders are visited per search-path folder: the unit's own `NAME.d/`, its template's and its
 * dashed prefixes'; then the type-wide `service.d/` in every search folder. Of files with the same
 * name, the one in the first folder visited wins; the survivors are sorted by file name.
 */
export function findDropins(name: string, files: FileSet, searchPath: readonly string[]): string[] {
  const u = parseUnitName(name);
  if (!u) return [];
  const dirs: string[] = [];
  const names = dropinNames(name);
  for (const dir of searchPath) for (const n of names) dirs.push(join(dir, `${n}.d`));
  for (const dir of searchPath) dirs.push(join(dir, `${u.type}.d`));

  const chosen = new Map<string, string>();
  for (const d of dirs) {
    for (const p of files.filesIn(d)) {
      const base = basename(p);
      if (!base.endsWith('.conf') || base.startsWith('.')) continue;
      if (!chosen.has(base)) chosen.set(base, p);
    }
  }
  return [...chosen.keys()].sort(compareNames).map((b) => chosen.get(b)!);
}

/** systemd sorts drop-ins with strcmp() on their file names: byte order, which is UTF-16 order for ASCII. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Drop-ins that sit beside a unit file given by path (`DIR/NAME.d/*.conf`, and the template's and
 * dashed prefixes' folders in the same DIR), the way `systemd-analyze --offline=yes DIR/NAME`
 * finds them when DIR is the only search folder.
 */
export function dropinsBeside(unitPath: string, name: string, files: FileSet): string[] {
  return findDropins(name, files, [dirname(unitPath)]);
}
