/**
 * Resolving a path under a root folder the way systemd does with `--root=DIR`: the root is "/" for
 * every symbolic link met on the way, so an absolute link target starts again at the root, a relative
 * one is taken relative to the folder holding the link, and `..` never climbs above the root. Links
 * are followed component by component with a bound on the hops (ELOOP), so a loop of links ends.
 * With root "/" this is the kernel's own resolution, done by hand.
 */
import { lstatSync, readlinkSync, type Stats } from 'node:fs';

/** Hops through symbolic links before giving up, as the kernel's and systemd's limit. */
export const MAX_LINK_HOPS = 40;

export type RootPath =
  /** `host`: where the file is on this machine, free of links; `inRoot`: the same path as seen inside the root. */
  | { ok: true; host: string; inRoot: string; stats: Stats }
  | { ok: false; code: 'ENOENT' | 'ENOTDIR' | 'ELOOP' | 'EACCES' | 'EIO'; reason: string };

function hostOf(root: string, parts: readonly string[]): string {
  const base = root === '/' ? '' : root;
  return parts.length ? `${base}/${parts.join('/')}` : root;
}

function lstat(path: string): Stats | NodeJS.ErrnoException {
  try {
    return lstatSync(path);
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}

function failure(code: string | undefined, reason: string): RootPath {
  const c = code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EACCES' ? code : 'EIO';
  return { ok: false, code: c, reason };
}

/**
 * Resolves `path` (as seen inside the root: absolute, or relative to `from`) under `root` (a host
 * folder without links, e.g. from realpath). Every link is followed, the last component's too.
 */
export function resolveUnderRoot(root: string, path: string, maxHops = MAX_LINK_HOPS, from = '/'): RootPath {
  // `todo` holds the components still to walk, last one first, so a link's target can be pushed on top.
  const todo = path.split('/').reverse();
  // A relative `path` starts at `from`, a folder inside the root already free of links.
  const done: string[] = path.startsWith('/') ? [] : from.split('/').filter((c) => c !== '');
  let hops = 0;
  let stats: Stats | null = null;
  while (todo.length) {
    const c = todo.pop()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      done.pop();
      stats = null;
      continue;
    }
    const host = hostOf(root, [...done, c]);
    const st = lstat(host);
    if (st instanceof Error) return failure(st.code, st.code === 'ENOENT' ? 'no such file' : (st.code ?? 'error'));
    if (st.isSymbolicLink()) {
      if (++hops > maxHops) return failure('ELOOP', `more than ${maxHops} symbolic links (a loop?)`);
      let target: string;
      try {
        target = readlinkSync(host);
      } catch (e) {
        return failure((e as NodeJS.ErrnoException).code, (e as NodeJS.ErrnoException).code ?? 'error');
      }
      if (target.startsWith('/')) done.length = 0;
      for (const t of target.split('/').reverse()) todo.push(t);
      stats = null;
      continue;
    }
    if (todo.some((t) => t !== '' && t !== '.') && !st.isDirectory())
      return failure('ENOTDIR', 'a component of the path is not a folder');
    done.push(c);
    stats = st;
  }
  if (stats === null) {
    // The path ended on the root itself or on `..`: look at where we are.
    const st = lstat(hostOf(root, done));
    if (st instanceof Error) return failure(st.code, st.code ?? 'error');
    stats = st;
  }
  return { ok: true, host: hostOf(root, done), inRoot: `/${done.join('/')}`, stats };
}
