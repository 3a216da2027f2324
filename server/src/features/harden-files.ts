/**
 * The unit's files as `harden` sees them: without an existing hardening.conf (the recommendation
 * replaces it), and with the new one placed where systemd would apply it: drop-ins are applied in
 * order of their file names, whatever folder they are in, and a drop-in of the same name in a
 * folder earlier on the search path (/etc before /run and /usr/lib) hides the others.
 */
import { isDropinPath, placeDropin } from '../model/dropin-place';
import type { SourceFile } from '../model/unit-model';

export const HARDENING_CONF = 'hardening.conf';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The unit's files without any drop-in named hardening.conf: the one `harden` writes hides them all. */
export function withoutHardening(files: readonly SourceFile[]): SourceFile[] {
  return files.filter((f) => !(isDropinPath(f.path) && baseName(f.path) === HARDENING_CONF));
}

/** `base` (no hardening.conf in it) with the drop-in at `path` inserted at its place by file name. */
export function withDropin(base: readonly SourceFile[], path: string, text: string): SourceFile[] {
  return placeDropin(base, path, text);
}
