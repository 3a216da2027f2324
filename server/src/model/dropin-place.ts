/**
 * Where a new drop-in goes among a unit's files: systemd applies drop-ins in order of their file
 * names, whatever folder they are in, and a drop-in of the same name in a folder of higher priority
 * (/etc before /run and /usr/lib, or beside the unit being edited) hides the other.
 */
import type { SourceFile } from './unit-model';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A drop-in of a unit: `....d/NAME.conf`. */
export function isDropinPath(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return path.endsWith('.conf') && slash > 0 && path.slice(0, slash).endsWith('.d');
}

/** `files` (the unit file first, then its drop-ins in order) with the drop-in `path` in its place: replacing one of the same name, else sorted in by name. */
export function placeDropin(files: readonly SourceFile[], path: string, text: string): SourceFile[] {
  const name = baseName(path);
  const out = [...files];
  const fresh = { path, text };
  const same = out.findIndex((f) => isDropinPath(f.path) && baseName(f.path) === name);
  if (same >= 0) {
    out[same] = fresh;
    return out;
  }
  let at = out.length;
  for (let i = 0; i < out.length; i++) {
    if (isDropinPath(out[i]!.path) && baseName(out[i]!.path) > name) {
      at = i;
      break;
    }
  }
  out.splice(at, 0, fresh);
  return out;
}
