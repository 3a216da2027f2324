/**
 * The stock service units of a guest's tree, and the offline exposure the guest's own
 * systemd-analyze gives each (run in the tree with systemd-nspawn, without booting it), so the boot
 * tier can hold our CLI to every unit a guest ships, not only the units of its cases.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inTree } from './runner';

/**
 * Every non-template service unit that is a regular file in the tree's unit folders (aliases and
 * masks are links, templates need an instance), sorted.
 */
export function stockUnits(tree: string): string[] {
  const units = new Set<string>();
  for (const dir of ['usr/lib/systemd/system', 'etc/systemd/system']) {
    let names: string[];
    try {
      names = readdirSync(join(tree, dir));
    } catch {
      continue;
    }
    for (const n of names) {
      if (!n.endsWith('.service') || n.endsWith('@.service')) continue;
      if (lstatSync(join(tree, dir, n)).isFile()) units.add(n);
    }
  }
  return [...units].sort();
}

/** Prints "UNIT FIGURE" per unit (an empty figure when systemd-analyze gives none). */
const SCRIPT = `for u in "$@"; do
  e=$(systemd-analyze security --offline=yes --no-pager "$u" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \\([0-9.]*\\).*/\\1/p')
  echo "@@ $u $e"
done`;

/** The guest's `systemd-analyze security --offline=yes UNIT` figure of each unit that has one. */
export async function guestOffline(tree: string, units: string[], unifiedCgroup: boolean): Promise<Map<string, number>> {
  const run = await inTree(tree, ['/bin/sh', '-c', SCRIPT, 'sh', ...units], { unifiedCgroup, timeoutS: 600 });
  const figures = new Map<string, number>();
  for (const m of run.console.matchAll(/^@@ (\S+) ([0-9.]+)$/gm)) figures.set(m[1], Number(m[2]));
  if (!run.console.includes('@@ ')) throw new Error(`systemd-analyze in ${tree} printed nothing (nspawn status ${run.status}):\n${run.console.slice(-2000)}`);
  return figures;
}
