/**
 * The unit's files as `harden` sees them: without an existing hardening.conf (the recommendation
 * replaces it), and with the new one placed where systemd would apply it: drop-ins are applied in
 * order of their file names, whatever folder they are in, and a drop-in of the same name in a
 * folder earlier on the search path (/etc before /run and /usr/lib) hides the others.
 */
import type { SourceFile } from '../model/types';

export const HARDENING_CONF = 'hardening.conf';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A drop-in of a unit: `....d/NAME.conf`. */
function isDropin(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return path.endsWith('.conf') && slash > 0 && path.slice(0, slash).endsWith('.d');
}

/** The unit's files without any drop-in named hardening.conf: the one `harden` writes hides them all. */
export function withoutHardening(files: readonly SourceFile[]): SourceFile[] {
  return files.filter((f) => !(isDropin(f.path) && baseName(f.path) === HARDENING_CONF));
}

/** `base` (no hardening.conf in it) with the drop-in at `path` inserted at its place by file name. */
export function withDropin(base: readonly SourceFile[], path: string, text: string): SourceFile[] {
  const name = baseName(path);
  const out = [...base];
  let at = out.length;
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!.path;
    if (isDropin(p) && baseName(p) > name) {
      at = i;
      break;
    }
  }
  out.splice(at, 0, { path, text });
  return out;
}
