/**
 * Which unit an open document belongs to, and the files that make up that unit: the unit file and
 * its drop-ins, found on disk beside the document and along the system unit search path, with the
 * text of open editors winning over the disk.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_FILE_BYTES, MAX_UNIT_BYTES } from '../io/read-file';
import { hardeningService, type SourceFile } from '../service';
import { isLink, realPath, type Disk } from './disk';
import { linkNote, notReadNote, overBudgetNote, type FileNote } from './file-notes';

export interface OpenText {
  readonly uri: string;
  readonly text: string;
}

/** The open editors' files, by file-system path. */
export interface OpenFiles {
  get(path: string): OpenText | undefined;
  has(path: string): boolean;
  /** Every open path. */
  paths(): Iterable<string>;
  /** The open paths in a folder. */
  in(dir: string): Iterable<string>;
}

export interface UnitContext {
  /** The unit's name, e.g. `nginx.service`. */
  name: string;
  /** Unit file first (when found), then drop-ins in application order; paths are file-system paths (or URIs for non-file documents). */
  files: SourceFile[];
  /** The document's own path in `files`. */
  path: string;
  /** path → URI, for every file. */
  uris: Map<string, string>;
  /** Files of the unit not read from disk, and merged files that live elsewhere (for diagnostics). */
  notes: FileNote[];
}

export function pathOfUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function uriOfPath(path: string): string {
  return path.startsWith('/') ? pathToFileURL(path).href : path;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The unit a path names: its own name, or the folder's for a drop-in (`foo.service.d/x.conf`). */
export function unitNameOfPath(path: string): { name: string; dir: string; isDropin: boolean } {
  const file = baseOf(path);
  const folderPath = dirOf(path);
  const folder = baseOf(folderPath);
  if (file.endsWith('.conf') && folder.endsWith('.d'))
    return { name: folder.slice(0, -2), dir: dirOf(folderPath), isDropin: true };
  return { name: file, dir: folderPath, isDropin: false };
}

/**
 * The unit name of a document that is not a file on disk (an untitled editor, a diff view's `git:` URI):
 * the base name of the URI's path, without its query; '' (no name: the core checks the text as a
 * service and says nothing of its name) when that has no type suffix, as for `untitled:Untitled-1`.
 */
export function unitNameOfUri(uri: string): string {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL: its text is the path.
  }
  const { name } = unitNameOfPath(path);
  return name.includes('.') ? name : '';
}

/** `dir/name` as the core's search-path functions join them. */
function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Resolves the unit of a document. `open` holds the open editors' texts (by path). */
export function resolveUnit(uri: string, text: string, open: OpenFiles, disk: Disk, version: number): UnitContext {
  const path = pathOfUri(uri);
  const { name, dir, isDropin } = unitNameOfPath(path);
  const uris = new Map<string, string>([[path, uri]]);
  const onDisk = path.startsWith('/');
  if (!onDisk) return { name: unitNameOfUri(uri), files: [{ path, text }], path, uris, notes: [] };
  if (!hardeningService.parseUnitName(name)) return { name, files: [{ path, text }], path, uris, notes: [] };

  // In one of systemd's unit folders (on the host or inside a tree): that root's search path; elsewhere
  // (a workspace folder), the document's folder first, then the host's.
  const searchPath = hardeningService.searchPathOfRoot(dir, version) ?? [
    dir,
    ...hardeningService.systemSearchPath(version),
  ];
  const u = hardeningService.parseUnitName(name)!;
  const folders = [...hardeningService.dropinNames(name), u.type];
  const candidates: string[] = [];
  for (const d of searchPath) {
    candidates.push(`${d}/${name}`);
    if (u.instance) candidates.push(`${d}/${u.prefix}@.${u.type}`);
    // Only what systemd lists in a drop-in folder: names ending in .conf, not starting with '.'.
    for (const f of folders)
      for (const n of disk.list(`${d}/${f}.d`)) if (isDropinName(n)) candidates.push(`${d}/${f}.d/${n}`);
  }
  // Open files count wherever the lookup below can find them: along the search path and in its drop-in folders.
  const lookedIn = new Set(searchPath);
  for (const d of searchPath) for (const f of folders) lookedIn.add(joinPath(d, `${f}.d`));
  for (const d of lookedIn) for (const p of open.in(d)) if (p.startsWith('/')) candidates.push(p);
  // Anything but a folder counts (a FIFO or a device too: it is reported below, not silently dropped).
  const exists = (p: string): boolean => p === path || open.has(p) || present(disk, p);
  const set = hardeningService.fileSet(candidates.filter(exists));

  // A unit file being edited is the fragment; a drop-in looks for its unit along the search path.
  const fragment = isDropin ? hardeningService.findFragment(name, set, searchPath) : path;
  const dropins = hardeningService.findDropins(name, set, searchPath);
  const paths = [...(fragment ? [fragment] : []), ...dropins];
  if (!paths.includes(path)) paths.push(path);
  const files: SourceFile[] = [];
  const notes: FileNote[] = [];
  const shown = (p: string): string => (p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p);
  let readBytes = 0;
  for (const p of paths) {
    const opened = p === path ? text : open.get(p)?.text;
    if (opened !== undefined) {
      files.push({ path: p, text: opened });
      uris.set(p, open.get(p)?.uri ?? uri);
      continue;
    }
    const st = disk.stat(p);
    if (st?.isFile() && readBytes + st.size > MAX_UNIT_BYTES && st.size <= MAX_FILE_BYTES) {
      notes.push(overBudgetNote(shown(p), readBytes));
      continue;
    }
    const r = disk.read(p, MAX_UNIT_BYTES - readBytes);
    if (!r.ok) {
      const note = notReadNote(shown(p), r, isLink(p), realPath(p));
      if (note) notes.push(note);
      continue;
    }
    readBytes += r.bytes;
    files.push({ path: p, text: r.text });
    uris.set(p, uriOfPath(p));
  }
  notes.push(...linkNotes(files, path, shown));
  return { name, files, path, uris, notes };
}

function isDropinName(n: string): boolean {
  return n.endsWith('.conf') && !n.startsWith('.');
}

function present(disk: Disk, p: string): boolean {
  const st = disk.stat(p);
  return st !== undefined && !st.isDirectory();
}

/**
 * Merged files read from disk whose settings come from somewhere else: the file is a link, or its
 * folder is (`nginx.service.d -> /etc` merges every /etc/*.conf). One note per linked file, one per
 * linked folder; paths are compared after resolving the parent folders, so a workspace reached
 * through a link of its own is not reported.
 */
function linkNotes(files: readonly SourceFile[], self: string, shown: (p: string) => string): FileNote[] {
  const notes: FileNote[] = [];
  const folders = new Map<string, string[]>();
  for (const f of files) {
    if (f.path === self || !f.path.startsWith('/')) continue;
    const folder = dirOf(f.path);
    folders.set(folder, [...(folders.get(folder) ?? []), f.path]);
  }
  for (const [folder, paths] of folders) {
    const realFolder = realPath(folder);
    const realParent = realPath(dirOf(folder));
    if (realFolder && realParent && realFolder !== joinPath(realParent, baseOf(folder))) {
      const names = paths.map(baseOf);
      const listed =
        names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
      notes.push(
        linkNote(
          shown(folder),
          realFolder,
          `: ${names.length === 1 ? 'the drop-in' : `the ${names.length} drop-ins`} merged from it (${listed}) live there`,
        ),
      );
    }
    for (const p of paths) {
      if (!isLink(p)) continue;
      const real = realPath(p);
      if (real) notes.push(linkNote(shown(p), real, ''));
    }
  }
  return notes;
}
