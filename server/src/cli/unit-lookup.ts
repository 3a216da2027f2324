/**
 * Finding a unit's files the way systemd's unit loader does, over a search path under a root: the
 * fragment (following alias links, falling back to the template for an instance), the unit's other
 * names (every alias link that leads to it) and the drop-ins of all its names. In file mode the root
 * is "/" and the search path is the folder of the file; with `--root` it is systemd's search path.
 *
 * Every path here is as seen inside the root; every read goes through root-path.ts (links resolved
 * inside the root) and io/read-file.ts (regular files only, bounded).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { formatBytes, MAX_FILE_BYTES, MAX_UNIT_BYTES, readRegularFile } from '../io/read-file';
import { batchService, type SourceFile } from '../service';
import { MAX_LINK_HOPS, resolveUnderRoot, type RootPath } from './root-path';

/** What a name in a search folder stands for. */
type Entry =
  /** A unit file (or a link to one outside the search path: a "linked unit file"), read at `path`. */
  | { kind: 'file'; path: string }
  /** A link to a unit in the search path: another name of that unit. */
  | { kind: 'alias'; target: string };

export type Resolved = { ok: true; fragment: string; name: string } | { ok: false; reason: string };

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Names systemd accepts as aliases of each other (unit_validate_alias_symlink_or_warn()). */
function validAlias(from: string, to: string): boolean {
  const a = batchService.parseUnitName(from);
  const b = batchService.parseUnitName(to);
  if (!a || !b || a.type !== b.type) return false;
  if (a.instance === '') return b.instance === '';
  if (a.instance === null) return b.instance === null;
  return b.instance !== null;
}

/** `foo@.service` + `bar` → `foo@bar.service`; other names pass through. */
function withInstance(name: string, instance: string): string {
  const u = batchService.parseUnitName(name);
  return u && u.instance === '' ? `${u.prefix}@${instance}.${u.type}` : name;
}

interface Folder {
  /** The folder as seen inside the root, after its links are resolved. */
  real: string;
  names: Set<string>;
}

export class UnitLookup {
  private readonly folders = new Map<string, Folder | null>();
  private ids: Map<string, Entry> | null = null;
  private groups: Map<string, string[]> | null = null;
  private readonly resolved = new Map<string, RootPath>();

  /** `root`: a host folder free of links ("/" in file mode); `searchPath`: folders inside it, highest priority first. */
  constructor(
    readonly root: string,
    readonly searchPath: readonly string[],
  ) {}

  /** A folder inside the root, listed once. */
  private folder(dir: string): Folder | null {
    if (this.folders.has(dir)) return this.folders.get(dir)!;
    let out: Folder | null = null;
    const r = resolveUnderRoot(this.root, dir);
    if (r.ok && r.stats.isDirectory()) {
      try {
        out = { real: r.inRoot, names: new Set(readdirSync(r.host)) };
      } catch {
        out = null;
      }
    }
    this.folders.set(dir, out);
    return out;
  }

  /** What each unit name in the search path stands for, the first folder to have a name winning (systemd's name map). */
  private idMap(): Map<string, Entry> {
    if (this.ids) return this.ids;
    const ids = new Map<string, Entry>();
    const reals = this.searchPath.map((d) => this.folder(d)?.real).filter((d): d is string => d !== undefined);
    for (const dir of this.searchPath) {
      const f = this.folder(dir);
      if (!f) continue;
      const host = resolveUnderRoot(this.root, dir);
      if (!host.ok) continue;
      for (const name of [...f.names].sort()) {
        if (ids.has(name) || !batchService.parseUnitName(name)) continue;
        const e = this.classify(host.host, dir, name, reals);
        if (e) ids.set(name, e);
      }
    }
    this.ids = ids;
    return ids;
  }

  private classify(hostDir: string, dir: string, name: string, reals: readonly string[]): Entry | null {
    const p = join(dir, name);
    let target: string;
    try {
      target = readlinkSync(join(hostDir, name));
    } catch (e) {
      // Not a link (EINVAL): a file, or something the read will refuse with a reason.
      return (e as NodeJS.ErrnoException).code === 'EINVAL' ? { kind: 'file', path: p } : null;
    }
    const abs = target.startsWith('/') ? target : join(dir, target);
    if (abs === '/dev/null') return { kind: 'file', path: p };
    const targetDir = resolveUnderRoot(this.root, dirOf(abs));
    const inSearchPath =
      targetDir.ok && reals.some((r) => targetDir.inRoot === r || targetDir.inRoot.startsWith(`${r}/`));
    if (!inSearchPath) return { kind: 'file', path: p };
    const to = baseOf(abs);
    // A link to the same name elsewhere in the search path is ignored, as systemd does.
    if (to === name) return null;
    return validAlias(name, to) ? { kind: 'alias', target: to } : null;
  }

  /** The fragment of unit `name` and the name systemd gives the unit, following aliases and templates. */
  resolve(name: string): Resolved {
    const ids = this.idMap();
    let n = name;
    for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      const e = ids.get(n);
      if (e?.kind === 'file') return { ok: true, fragment: e.path, name: n };
      if (e?.kind === 'alias') {
        const u = batchService.parseUnitName(n);
        n = u && u.instance ? withInstance(e.target, u.instance) : e.target;
        continue;
      }
      const u = batchService.parseUnitName(n);
      if (!u || !u.instance) return { ok: false, reason: 'not found' };
      const tpl = this.resolve(`${u.prefix}@.${u.type}`);
      if (!tpl.ok) return { ok: false, reason: 'not found (nor its template)' };
      return { ok: true, fragment: tpl.fragment, name: withInstance(tpl.name, u.instance) };
    }
    return { ok: false, reason: `more than ${MAX_LINK_HOPS} aliases in a row (a loop?)` };
  }

  /** Every alias link in the search path, grouped by the name of the unit it leads to. */
  private aliasGroups(): Map<string, string[]> {
    if (this.groups) return this.groups;
    const groups = new Map<string, string[]>();
    for (const [n, e] of this.idMap()) {
      if (e.kind !== 'alias') continue;
      const r = this.resolve(n);
      if (!r.ok || r.name === n) continue;
      const list = groups.get(r.name);
      if (list) list.push(n);
      else groups.set(r.name, [n]);
    }
    this.groups = groups;
    return groups;
  }

  /** The other names of unit `name` (which is what resolve() returned): its aliases, and for an instance its template's aliases. */
  aliasesOf(name: string): string[] {
    const groups = this.aliasGroups();
    const out = [...(groups.get(name) ?? [])];
    const u = batchService.parseUnitName(name);
    if (u && u.instance) {
      for (const a of groups.get(`${u.prefix}@.${u.type}`) ?? [])
        if (!out.includes(withInstance(a, u.instance))) out.push(withInstance(a, u.instance));
    }
    return out;
  }

  /**
   * The drop-ins of a unit with these names (its own first), in the order systemd applies them:
   * each name's folders along the search path, then `TYPE.d/`; of files with the same name the
   * first folder's wins; the survivors sorted by file name (unit_file_find_dropin_paths()).
   */
  dropins(names: readonly string[]): string[] {
    const u = batchService.parseUnitName(names[0] ?? '');
    if (!u) return [];
    const dirs: string[] = [];
    for (const n of names)
      for (const dir of this.searchPath) for (const d of batchService.dropinNames(n)) dirs.push(join(dir, `${d}.d`));
    for (const dir of this.searchPath) dirs.push(join(dir, `${u.type}.d`));
    const chosen = new Map<string, string>();
    const seen = new Set<string>();
    for (const d of dirs) {
      if (seen.has(d)) continue;
      seen.add(d);
      if (!this.folder(dirOf(d))?.names.has(baseOf(d))) continue;
      const f = this.folder(d);
      if (!f) continue;
      for (const base of f.names) {
        if (!base.endsWith('.conf') || base.startsWith('.')) continue;
        if (!chosen.has(base)) chosen.set(base, join(d, base));
      }
    }
    return [...chosen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((b) => chosen.get(b)!);
  }

  /** Where `path` (inside the root) is on this machine; its folder is resolved once per lookup. */
  locate(path: string): RootPath {
    const dir = dirOf(path);
    let d = this.resolved.get(dir);
    if (!d) {
      d = resolveUnderRoot(this.root, dir);
      this.resolved.set(dir, d);
    }
    if (!d.ok) return d;
    if (!d.stats.isDirectory())
      return { ok: false, code: 'ENOTDIR', reason: 'a component of the path is not a folder' };
    return resolveUnderRoot(this.root, baseOf(path), MAX_LINK_HOPS, d.inRoot);
  }

  /** Whether `name` is an alias link in the search path (another name of a unit whose file is there too). */
  isAlias(name: string): boolean {
    return this.idMap().get(name)?.kind === 'alias';
  }
}

/** A unit's byte budget: every read of one unit together stays under MAX_UNIT_BYTES. */
export class UnitBudget {
  private left = MAX_UNIT_BYTES;

  /** Reads `path` (inside `root`) as text, or says why not. A link to /dev/null reads as empty, as systemd reads it. */
  read(lookup: UnitLookup, path: string): { ok: true; text: string } | { ok: false; reason: string } {
    const r = lookup.locate(path);
    if (!r.ok) return { ok: false, reason: r.reason };
    if (r.inRoot === '/dev/null') return { ok: true, text: '' };
    const max = Math.min(MAX_FILE_BYTES, this.left);
    const res = readRegularFile(r.host, max);
    if (!res.ok) {
      const overUnit = res.failure === 'too-large' && max < MAX_FILE_BYTES;
      return {
        ok: false,
        reason: overUnit
          ? `over the ${formatBytes(MAX_UNIT_BYTES)} this tool reads for one unit (its file and drop-ins together)`
          : res.reason,
      };
    }
    this.left -= res.bytes.length;
    return { ok: true, text: batchService.decodeBytes(res.bytes) };
  }
}

export interface UnitFiles {
  /** The fragment first (when the unit has one), then the drop-ins that could be read, in order. */
  files: SourceFile[];
  /** Files that could not be read, with the reason; the unit is analysed without them. */
  unread: Array<{ path: string; reason: string }>;
}

/**
 * Reads the files of unit `name` (as resolve() named it, with `fragment` as its fragment or null
 * when it has only drop-ins): the fragment, then the drop-ins of all its names, then `extra` files
 * (drop-ins given by path that the search did not pick). A template is read as systemd scores it,
 * as the instance `foo@i.service`, so `foo@i.service.d/` applies too. Everything read for one unit
 * together stays within MAX_UNIT_BYTES.
 */
export function readUnit(
  lookup: UnitLookup,
  name: string,
  fragment: string | null,
  extra: readonly string[] = [],
): UnitFiles {
  const budget = new UnitBudget();
  const u = batchService.parseUnitName(name);
  const asInstance = (n: string): string => (u && u.instance === '' ? withInstance(n, 'i') : n);
  const paths = [
    ...(fragment === null ? [] : [fragment]),
    ...lookup.dropins([name, ...lookup.aliasesOf(name)].map(asInstance)),
  ];
  const found = new Set(paths);
  for (const x of extra) if (!found.has(x)) paths.push(x);
  const files: SourceFile[] = [];
  const unread: UnitFiles['unread'] = [];
  for (const p of paths) {
    const r = budget.read(lookup, p);
    if (r.ok) files.push({ path: p, text: r.text });
    else unread.push({ path: p, reason: r.reason });
  }
  return { files, unread };
}
