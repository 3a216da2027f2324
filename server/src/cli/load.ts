/**
 * Reads unit files and their drop-ins from disk for the CLI. A file given by path is taken with
 * the drop-ins beside it (`NAME.d/*.conf`, its template's and dashed prefixes' folders, `TYPE.d/`
 * in the same folder) and none of the host's, so results never depend on the machine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decodeBytes, dropinNames, dropinsBeside, FileSet, parseUnitName, type SourceFile } from '../service';

export interface LoadedUnit {
  /** The path the user gave. */
  given: string;
  /** The unit name systemd would use. */
  name: string;
  /** Unit file first (when it exists), then drop-ins in order. */
  files: SourceFile[];
}

export class LoadError extends Error {}

export function readText(path: string): string {
  try {
    return decodeBytes(readFileSync(path));
  } catch (e) {
    throw new LoadError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The names in a folder, read once per run (a run scores many units of the same folders). */
const folders = new Map<string, ReadonlySet<string>>();

function namesIn(dir: string): ReadonlySet<string> {
  let names = folders.get(dir);
  if (!names) {
    try {
      names = new Set(readdirSync(dir));
    } catch {
      names = new Set();
    }
    folders.set(dir, names);
  }
  return names;
}

/** Paths of candidate drop-ins in `dir` for unit `name`. */
function dropinCandidates(dir: string, name: string): string[] {
  const u = parseUnitName(name);
  const names = [...dropinNames(name), ...(u ? [u.type] : [])];
  const present = namesIn(dir);
  return names.flatMap((n) => (present.has(`${n}.d`) ? listDir(join(dir, `${n}.d`)) : []));
}

/** The unit a drop-in path belongs to, from its folder (`foo.service.d/x.conf` → `foo.service`). */
export function unitOfDropin(path: string): string | null {
  const folder = basename(dirname(path));
  return folder.endsWith('.d') ? folder.slice(0, -2) : null;
}

export function loadUnit(given: string): LoadedUnit {
  const dropinOf = given.endsWith('.conf') ? unitOfDropin(given) : null;
  if (dropinOf !== null) {
    const dir = dirname(dirname(given));
    const text = readText(given);
    const files = new FileSet(dropinCandidates(dir, dropinOf));
    const u = parseUnitName(dropinOf);
    const basePath = [join(dir, dropinOf), ...(u && u.instance ? [join(dir, `${u.prefix}@.${u.type}`)] : [])].find(isFile);
    const out: SourceFile[] = basePath ? [{ path: basePath, text: readText(basePath) }] : [];
    const dropins = dropinsBeside(join(dir, dropinOf), dropinOf, files);
    if (!dropins.includes(given)) dropins.push(given);
    for (const d of dropins) out.push({ path: d, text: d === given ? text : readText(d) });
    return { given, name: dropinOf, files: out };
  }
  const text = readText(given);
  const name = basename(given);
  const files = new FileSet(dropinCandidates(dirname(given), name));
  const dropins = dropinsBeside(given, name, files);
  return { given, name, files: [{ path: given, text }, ...dropins.map((d) => ({ path: d, text: readText(d) }))] };
}

/** loadUnit(), with a read failure recorded in `errors` (and null returned) instead of thrown. */
export function tryLoadUnit(given: string, errors: string[]): LoadedUnit | null {
  try {
    return loadUnit(given);
  } catch (e) {
    if (e instanceof LoadError) {
      errors.push(e.message);
      return null;
    }
    throw e;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

const UNIT_SUFFIXES = ['.service', '.socket', '.timer', '.path', '.mount', '.automount', '.swap', '.target', '.slice', '.scope'];

/** Expands folders into the unit files and drop-ins inside them (sorted); files pass through. */
export function expandPaths(paths: readonly string[], suffixes = UNIT_SUFFIXES): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      continue;
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    const found: string[] = [];
    const walk = (d: string): void => {
      for (const f of listDir(d).sort()) {
        let s;
        try {
          s = statSync(f);
        } catch {
          continue;
        }
        if (s.isDirectory()) walk(f);
        else if (suffixes.some((x) => f.endsWith(x)) && (!f.endsWith('.conf') || dirname(f).endsWith('.d'))) found.push(f);
      }
    };
    walk(p);
    if (found.length === 0) errors.push(`no unit files in ${p}`);
    files.push(...found);
  }
  return { files, errors };
}
