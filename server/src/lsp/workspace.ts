/** The workspace's service units, scored, for the client's ranking view. */
import type { WorkspaceUnit } from '../../../protocol/protocol';
import { scoreUnit, type Policy, type SupportedVersion } from '../service';
import type { Disk } from './disk';
import { resolveUnit, uriOfPath, type OpenFiles } from './units';

const SKIP = new Set(['node_modules', '.git', 'dist', '.test-artifacts']);
const MAX_FILES = 5000;

function findServices(root: string, disk: Disk, out: string[]): void {
  const stack = [root];
  while (stack.length && out.length < MAX_FILES) {
    const dir = stack.pop()!;
    for (const name of disk.list(dir)) {
      if (SKIP.has(name)) continue;
      const p = `${dir}/${name}`;
      if (name.endsWith('.service') && disk.isFile(p)) out.push(p);
      else if (!name.includes('.') || name.endsWith('.d')) {
        if (disk.list(p).length) stack.push(p);
      }
    }
  }
}

export function scanWorkspace(roots: readonly string[], open: OpenFiles, disk: Disk, version: SupportedVersion, policy: Policy | undefined): WorkspaceUnit[] {
  const paths: string[] = [];
  for (const r of roots) findServices(r, disk, paths);
  for (const p of open.paths()) if (p.endsWith('.service') && !paths.includes(p)) paths.push(p);
  const out: WorkspaceUnit[] = [];
  for (const p of paths) {
    const text = open.get(p)?.text ?? disk.readText(p);
    if (text === null) continue;
    const uri = open.get(p)?.uri ?? uriOfPath(p);
    const ctx = resolveUnit(uri, text, open, disk, version);
    const r = scoreUnit({ name: ctx.name, files: ctx.files, version }, policy);
    out.push({ uri, unit: r.unit, exposure: r.exposure, band: r.band, ...(r.error ? { error: r.error } : {}) });
  }
  out.sort((a, b) => (b.exposure ?? 11) - (a.exposure ?? 11) || a.unit.localeCompare(b.unit));
  return out;
}
