/**
 * Reads unit files and their drop-ins from disk for the CLI.
 *
 * File mode: a file given by path is loaded as systemd-analyze loads it when its folder is the only
 * search folder: drop-ins from that folder only (`NAME.d/`, the template's and dashed prefixes'
 * folders, `TYPE.d/`), none of the host's, so results never depend on the machine. An alias link
 * (`mysql.service -> mariadb.service`) is loaded as the unit it names, with the drop-ins of all its
 * names; an instance name with no file of its own (`foo@bar.service` beside `foo@.service`) is
 * loaded from its template. However the path is written (bare name, `./`, `../x/`, absolute), the
 * folder is resolved to where it really is, so every form loads the same files.
 *
 * Root mode (`--root DIR`): names are resolved along systemd's search path inside DIR, every link
 * followed inside DIR (root-path.ts).
 *
 * Scope: a file in a folder of the user search path (~/.config/systemd/user, /etc/systemd/user,
 * /usr/lib/systemd/user, ...) is a user unit, its drop-ins found along the user search path; --user
 * or --system says it instead (the search path is then the folder's own when it is the other scope's).
 * In root mode names are looked up along the system search path, or with --user the user one.
 */
import { dirname, isAbsolute, normalize, relative } from 'node:path';
import { statPath } from '../io/read-file';
import { walkTree } from '../io/walk';
import { batchService, type SourceFile, type UnitScope } from '../service';
import { commandLookup, hostCommandLookup } from '../io/command-exists';
import { resolveUnderRoot } from './root-path';
import { readUnit, UnitLookup } from './unit-lookup';

export class LoadError extends Error {
  /** Set when the same problem was already reported in this run (a file shared by several given files). */
  constructor(
    message: string,
    readonly repeated = false,
  ) {
    super(message);
  }
}

export interface LoadedUnit {
  /** The path the user gave (in root mode: the fragment's path inside the root). */
  given: string;
  /** The unit name systemd would use. */
  name: string;
  /** The path (as loaded) of the file whose diagnostics are reported: the given file, or for an alias the unit's file. */
  own: string;
  /** Unit file first (when it exists), then drop-ins in order. */
  files: SourceFile[];
  /** System or user unit: as forced (--user, --system), else from where its file lies. */
  scope: UnitScope;
  /** Whether a command named without a path exists where the unit is loaded (under --root, else on this machine). */
  commandExists: (name: string) => boolean;
  /** Drop-ins that could not be read, as messages; the unit was analysed without them. */
  problems: string[];
  /** Equal for given files of the same unit in one run (they share one load). */
  unitId: number;
  /** Whether no later given file of this run belongs to the same unit. */
  lastOfUnit: boolean;
}

/** Where a given file belongs: which unit, in which search folder. Found without reading any file. */
interface Placement {
  given: string;
  lookup: UnitLookup;
  name: string;
  fragment: string | null;
  /** The given file as loaded (its folder resolved). */
  own: string;
  /** Set when the given file is a drop-in. */
  dropin: boolean;
  /** The unit's identity in this run: its search folder and name. */
  key: string;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * The folders systemd would search for a unit whose file or drop-in folder is in `folder`, as host
 * paths. In /etc/systemd/system, /usr/lib/systemd/system or another of systemd's unit folders, that is
 * the whole search path of the same root: on the host, where `systemd-analyze security --offline=yes
 * /usr/lib/systemd/system/x.service` also reads /etc/systemd/system/x.service.d/; inside a tree
 * (an image or chroot at /srv/img), the tree's own folders (systemd-analyze without --root would read
 * the host's drop-ins there, which is never what a tree's unit means). Anywhere else, only the folder.
 */
function searchPathAround(folder: string, scope?: UnitScope): string[] {
  const own = batchService.scopeOfPath(`${folder}/x.service`);
  if (scope !== undefined && scope !== own) return [folder];
  return batchService.searchPathOfRoot(folder, 254) ?? [folder];
}

const UNIT_SUFFIXES = [
  '.service',
  '.socket',
  '.timer',
  '.path',
  '.mount',
  '.automount',
  '.swap',
  '.target',
  '.slice',
  '.scope',
];

/** One run's loading: folder listings and name maps are read once per folder and reused. */
export class Loader {
  private readonly lookups = new Map<string, UnitLookup>();
  private readonly folders = new Map<string, string | LoadError>();
  private readonly cwd = process.cwd();
  private nextId = 0;
  private readonly reported = new Set<string>();

  /** `scope`: --user or --system, when given. */
  constructor(private readonly scope?: UnitScope) {}

  /** A lookup over `folders` (highest priority first), made once per run. */
  private lookupOver(folders: readonly string[]): UnitLookup {
    const key = folders.join('\0');
    let l = this.lookups.get(key);
    if (!l) {
      l = new UnitLookup('/', folders);
      this.lookups.set(key, l);
    }
    return l;
  }

  /** The lookup that finds the files of a unit in `folder`: the whole search path of its root when the folder is one of systemd's unit folders, else the folder alone. */
  private lookupFor(folder: string): UnitLookup {
    return this.lookupOver(searchPathAround(folder, this.scope));
  }

  /** The real (link-free) path of the folder holding `given`, as typed. */
  private folderOf(given: string): string | LoadError {
    const i = given.lastIndexOf('/');
    const typed = i < 0 ? '.' : i === 0 ? '/' : given.slice(0, i);
    let real = this.folders.get(typed);
    if (real === undefined) {
      const r = resolveUnderRoot('/', isAbsolute(typed) ? typed : `${this.cwd}/${typed}`);
      real = !r.ok
        ? new LoadError(`cannot read ${given}: ${r.reason}`)
        : r.stats.isDirectory()
          ? r.inRoot
          : new LoadError(`cannot read ${given}: ${typed} is not a folder`);
      this.folders.set(typed, real);
    }
    return real;
  }

  /** Paths in messages: as the user wrote them (relative to the working folder when they gave a relative path). */
  private display(given: string, p: string): string {
    if (isAbsolute(given)) return p;
    const rel = relative(this.cwd, p);
    return rel === '' ? '.' : rel;
  }

  private place(given: string): Placement {
    const folder = this.folderOf(given);
    if (folder instanceof LoadError) throw folder;
    const base = baseOf(given);
    const folderName = baseOf(folder);
    if (base.endsWith('.conf') && folderName.endsWith('.d')) {
      // A drop-in: part of the unit its folder names, in the folder above.
      const searchDir = dirOf(folder);
      const lookup = this.lookupFor(searchDir);
      const unit = folderName.slice(0, -2);
      const r = batchService.parseUnitName(unit) ? lookup.resolve(unit) : null;
      const name = r?.ok ? r.name : unit;
      return {
        given,
        lookup,
        name,
        fragment: r?.ok ? r.fragment : null,
        own: `${folder}/${base}`,
        dropin: true,
        key: `${searchDir}\0${name}`,
      };
    }
    const lookup = this.lookupFor(folder);
    const path = `${folder === '/' ? '' : folder}/${base}`;
    if (!batchService.parseUnitName(base))
      return { given, lookup, name: base, fragment: path, own: path, dropin: false, key: `${folder}\0${base}` };
    // The given file is the fragment, even where a folder of higher priority has a file of the same name.
    const r = this.lookupOver([folder]).resolve(base);
    if (!r.ok) {
      const st = statPath(path);
      throw new LoadError(
        `cannot read ${given}: ${st ? `systemd finds no unit ${base} there (${r.reason})` : 'no such file'}`,
      );
    }
    return {
      given,
      lookup,
      name: r.name,
      fragment: r.fragment,
      own: r.fragment,
      dropin: false,
      key: `${folder}\0${r.name}`,
    };
  }

  /**
   * Loads given files one by one, each unit once: files that belong to the same unit (a unit file
   * and its drop-ins) share one load, kept only until the last of them. Yields, in order, the unit
   * (with `unitId`, equal for files of the same unit, and `lastOfUnit`) or the error.
   */
  *loadEach(givens: readonly string[]): Generator<LoadedUnit | LoadError> {
    const placed = givens.map((g) => {
      try {
        return this.place(g);
      } catch (e) {
        if (e instanceof LoadError) return e;
        throw e;
      }
    });
    const extras = new Map<string, string[]>();
    const last = new Map<string, number>();
    placed.forEach((p, i) => {
      if (p instanceof LoadError) return;
      last.set(p.key, i);
      if (!p.dropin) return;
      const list = extras.get(p.key);
      if (list) list.push(p.own);
      else extras.set(p.key, [p.own]);
    });
    const loaded = new Map<
      string,
      { id: number; files: SourceFile[]; unread: Array<{ path: string; reason: string }> }
    >();
    for (let i = 0; i < placed.length; i++) {
      const p = placed[i]!;
      if (p instanceof LoadError) {
        yield p;
        continue;
      }
      let unit = loaded.get(p.key);
      if (!unit) {
        unit = { id: this.nextId++, ...readUnit(p.lookup, p.name, p.fragment, extras.get(p.key) ?? []) };
        loaded.set(p.key, unit);
      }
      const lastOfUnit = last.get(p.key) === i;
      if (lastOfUnit) loaded.delete(p.key);
      yield this.finish(p, unit.files, unit.unread, unit.id, lastOfUnit);
    }
  }

  private finish(
    p: Placement,
    files: SourceFile[],
    unread: Array<{ path: string; reason: string }>,
    unitId: number,
    lastOfUnit: boolean,
  ): LoadedUnit | LoadError {
    // Each unreadable file is reported once per run, however many given files share it.
    const own = unread.find((u) => u.path === p.own || u.path === p.fragment);
    if (own) {
      const repeated = this.reported.has(own.path);
      this.reported.add(own.path);
      return new LoadError(`cannot read ${this.display(p.given, own.path)}: ${own.reason}`, repeated);
    }
    const problems = unread
      .filter((u) => !this.reported.has(u.path))
      .map(
        (u) => `cannot read drop-in ${this.display(p.given, u.path)}: ${u.reason} (the unit is analysed without it)`,
      );
    for (const u of unread) this.reported.add(u.path);
    const scope = this.scope ?? batchService.scopeOfPath(p.fragment ?? p.own);
    return {
      given: p.given,
      name: p.name,
      own: p.own,
      files,
      scope,
      // the host's commands, as systemd 239-246 look them up when loading a unit given by path
      commandExists: hostCommandLookup(batchService.commandFolders),
      problems,
      unitId,
      lastOfUnit,
    };
  }

  /**
   * Expands folders into the unit files (and, with `.conf` among the suffixes, drop-ins) inside
   * them, in sorted order; files pass through. In a folder, an alias link is left out (its unit is
   * there under its own name), and with `instances`, an instance drop-in folder (`foo@bar.service.d/`)
   * with no unit file of its own gives the instance (`foo@bar.service`, loaded from its template).
   */
  expand(
    paths: readonly string[],
    suffixes: readonly string[],
    instances: boolean,
  ): { files: string[]; errors: string[] } {
    const files: string[] = [];
    const errors: string[] = [];
    for (const p of paths) {
      if (!statPath(p)?.isDirectory()) {
        files.push(p);
        continue;
      }
      const found: string[] = [];
      const added = new Set<string>();
      for (const item of walkTree(p)) {
        if (item.kind === 'truncated') {
          errors.push(`${p}: ${item.reason}; the rest of the folder is left out`);
          break;
        }
        const path = normalize(item.path);
        const base = baseOf(path);
        const inDropinFolder = baseOf(dirname(path)).endsWith('.d');
        if (base.endsWith('.conf') && inDropinFolder) {
          if (suffixes.includes('.conf')) found.push(path);
          if (instances) this.instanceOf(path, suffixes, added, found);
          continue;
        }
        if (!suffixes.some((s) => base.endsWith(s)) || base.endsWith('.conf')) continue;
        if (this.isFolderAlias(path)) continue;
        found.push(path);
      }
      if (found.length === 0) errors.push(`no unit files in ${p}`);
      files.push(...found);
    }
    return { files, errors };
  }

  private isFolderAlias(path: string): boolean {
    const folder = this.folderOf(path);
    if (folder instanceof LoadError) return false;
    const lookup = this.lookupFor(folder);
    return lookup.isAlias(baseOf(path)) && lookup.resolve(baseOf(path)).ok;
  }

  /**
   * For a drop-in `DIR/foo@bar.service.d/x.conf`: adds `DIR/foo@bar.service` when only the template
   * has a file. Not for the instance `i`: that is the unit the template itself is scored as.
   */
  private instanceOf(dropin: string, suffixes: readonly string[], added: Set<string>, found: string[]): void {
    const dFolder = dirname(dropin);
    const unit = baseOf(dFolder).slice(0, -2);
    const u = batchService.parseUnitName(unit);
    if (!u || !u.instance || u.instance === 'i' || !suffixes.some((s) => unit.endsWith(s))) return;
    const path = normalize(`${dirname(dFolder)}/${unit}`);
    if (added.has(path) || statPath(path)) return;
    const folder = this.folderOf(path);
    if (folder instanceof LoadError || !this.lookupFor(folder).resolve(unit).ok) return;
    added.add(path);
    found.push(path);
  }
}

/** Unit names resolved under `root` as `systemd-analyze --offline=yes --root=ROOT NAME` does. */
export function* loadUnderRoot(
  root: string,
  names: readonly string[],
  version: number,
  scope: UnitScope = 'system',
): Generator<LoadedUnit | LoadError> {
  const r = resolveUnderRoot('/', isAbsolute(root) ? root : `${process.cwd()}/${root}`);
  if (!r.ok || !r.stats.isDirectory()) {
    yield new LoadError(`cannot read root ${root}: ${r.ok ? 'not a folder' : r.reason}`);
    return;
  }
  const lookup = new UnitLookup(
    r.host,
    scope === 'user' ? batchService.userSearchPath() : batchService.systemSearchPath(version),
  );
  const rootHost = r.host;
  const commandExists = commandLookup(batchService.commandFolders, rootHost, (p) => resolveUnderRoot(rootHost, p).ok);
  const shown = (p: string): string => `${root.replace(/\/+$/, '')}${p}`;
  for (const arg of names) {
    const name = baseOf(arg);
    const found = batchService.parseUnitName(name) ? lookup.resolve(name) : null;
    if (!found?.ok) {
      yield new LoadError(
        `unit ${name} not found under ${root}${found && found.reason !== 'not found' ? ` (${found.reason})` : ''}`,
      );
      continue;
    }
    const { files, unread } = readUnit(lookup, found.name, found.fragment);
    const own = unread.find((u) => u.path === found.fragment);
    if (own) {
      yield new LoadError(`cannot read ${shown(own.path)}: ${own.reason}`);
      continue;
    }
    const problems = unread.map(
      (u) => `cannot read drop-in ${shown(u.path)}: ${u.reason} (the unit is analysed without it)`,
    );
    yield {
      given: found.fragment,
      name: found.name,
      own: found.fragment,
      files,
      scope,
      commandExists,
      problems,
      unitId: -1,
      lastOfUnit: true,
    };
  }
}

/**
 * Loads the units of `paths` one by one as `score` and `harden` take them: unit names under `root`, or
 * files and folders (folders give their services and instances), handing each to `each` as soon as it
 * is loaded. A unit that cannot be loaded goes to `errors` (once, however many given paths share it).
 */
export function forEachLoaded(
  paths: readonly string[],
  options: { version: number; root?: string; scope?: UnitScope },
  errors: string[],
  each: (unit: LoadedUnit) => void,
): void {
  const take = (unit: LoadedUnit | LoadError): void => {
    if (unit instanceof LoadError) {
      if (!unit.repeated) errors.push(unit.message);
    } else each(unit);
  };
  if (options.root) {
    for (const unit of loadUnderRoot(options.root, paths, options.version, options.scope)) take(unit);
    return;
  }
  const loader = new Loader(options.scope);
  const { files, errors: expandErrors } = loader.expand(paths, ['.service'], true);
  errors.push(...expandErrors);
  for (const given of files) for (const unit of loader.loadEach([given])) take(unit);
}

export { UNIT_SUFFIXES };
