/**
 * Walking a folder tree we do not trust, for the adapters: the CLI's `score DIR` / `check DIR` and
 * the language server's workspace scan. Links to folders are followed (a unit tree is full of them),
 * but each real folder is visited once (so `a -> .` and `b -> .` cost nothing), /proc, /sys and /dev
 * are never entered, and depth and the number of entries looked at are bounded. The walk is a
 * generator, so a caller that must stay responsive can take it a slice at a time.
 */
import { readdirSync, realpathSync, type Stats } from 'node:fs';
import { isPseudoPath, statPath } from './read-file';

export interface WalkLimits {
  /** Folders below the root that are entered at most (the root is depth 0). */
  maxDepth: number;
  /** Directory entries looked at, in all folders together. */
  maxEntries: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDepth: 32, maxEntries: 200_000 };

export type WalkItem =
  /** Anything that is not a folder (after following links): the caller decides what it wants. */
  | { kind: 'file'; path: string; stats: Stats }
  /** The walk stopped early; `reason` says which limit. Always the last item. */
  | { kind: 'truncated'; reason: string };

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function listSorted(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function realOf(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * Every non-folder under `root`, depth first in sorted name order. `skipFolder(name)` prunes folders
 * by name (`node_modules`, `.git`). A root that is itself not a folder yields nothing.
 */
export function* walkTree(
  root: string,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
  skipFolder: (name: string) => boolean = () => false,
): Generator<WalkItem> {
  const visited = new Set<string>();
  let entries = 0;
  const enter = (dir: string): boolean => {
    const st = statPath(dir);
    if (!st?.isDirectory()) return false;
    const real = realOf(dir);
    if (real === null || isPseudoPath(real)) return false;
    const key = `${st.dev}:${st.ino}`;
    if (visited.has(key)) return false;
    visited.add(key);
    return true;
  };
  if (!enter(root)) return;
  // Depth-first with an explicit stack of (folder, sorted names, next index), so deep trees cannot
  // overflow the call stack and the order matches a recursive walk.
  const stack: Array<{ dir: string; names: string[]; next: number }> = [
    { dir: root, names: listSorted(root), next: 0 },
  ];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.names.length) {
      stack.pop();
      continue;
    }
    const name = top.names[top.next++]!;
    if (++entries > limits.maxEntries) {
      yield { kind: 'truncated', reason: `stopped after ${limits.maxEntries} entries` };
      return;
    }
    const path = join(top.dir, name);
    const st = statPath(path);
    if (!st) continue;
    if (!st.isDirectory()) {
      yield { kind: 'file', path, stats: st };
      continue;
    }
    if (skipFolder(name)) continue;
    if (stack.length > limits.maxDepth) continue;
    if (enter(path)) stack.push({ dir: path, names: listSorted(path), next: 0 });
  }
}
