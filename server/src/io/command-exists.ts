/**
 * Whether a command named without a path exists on the machine that loads a unit: systemd 239–246
 * look such a name up in DEFAULT_PATH with access(F_OK) when they load the unit, and refuse the unit
 * when no folder has it (the core asks through UnitModel.commandExists; it does no I/O itself).
 */
import { accessSync, constants } from 'node:fs';

/**
 * A predicate for the core: `name` exists in one of `folders` (paths inside the root). `exists` tells
 * whether a path inside the root exists, following links as the root sees them; by default the
 * path is looked up on this machine under `root`. Answers are kept per name.
 */
export function commandLookup(
  folders: readonly string[],
  root = '/',
  exists: (pathInRoot: string) => boolean = (p) => accessible(root === '/' ? p : `${root.replace(/\/+$/, '')}${p}`),
): (name: string) => boolean {
  const known = new Map<string, boolean>();
  return (name) => {
    let r = known.get(name);
    if (r === undefined) {
      r = name !== '' && !name.includes('/') && folders.some((d) => exists(`${d}/${name}`));
      if (known.size < 4096) known.set(name, r);
    }
    return r;
  };
}

function accessible(path: string): boolean {
  try {
    accessSync(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

let host: ((name: string) => boolean) | null = null;

/** This machine's commands in systemd's DEFAULT_PATH folders (`folders`), for the language server. */
export function hostCommandLookup(folders: readonly string[]): (name: string) => boolean {
  return (host ??= commandLookup(folders));
}
