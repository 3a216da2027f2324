/**
 * The workspace's service units, scored, for the client's ranking view ("Unit Exposure").
 *
 * The folders are walked with io/walk.ts: each real folder once (`a -> .` costs nothing), never
 * /proc, /sys or /dev, bounded in depth and entries. A unit reached by two paths (a link to a unit
 * file) is listed once, by its real path. The walk and the scoring run in slices of a few
 * milliseconds with the event loop free in between, so hover, completion and diagnostics are served
 * during a scan of thousands of units; the request's cancellation is honoured between slices, and
 * progress is reported to whoever listens.
 */
import { performance } from 'node:perf_hooks';
import type { WorkspaceUnit } from '../../../protocol/protocol';
import { walkTree, DEFAULT_WALK_LIMITS } from '../io/walk';
import { hardeningService, type Policy, type SupportedVersion } from '../service';
import { realPath, type Disk } from './disk';
import { resolveUnit, uriOfPath, type OpenFiles } from './units';

/** Folders a unit tree never needs and that can be huge. */
const SKIP = new Set(['node_modules', '.git', 'dist', '.test-artifacts']);
/** The most units listed (and scored). */
export const MAX_UNITS = 5000;
/**
 * Time the scan keeps the event loop before letting other work in. A request waits several slices, not
 * one: vscode-jsonrpc takes a message through a few turns of the event loop (decode, queue, answer),
 * and the scan takes a slice between each. With 8 ms slices a hover during the scan of bench/workspace.ts
 * waited 42 ms (median), with 2 ms slices 15 ms, and the scan took no longer.
 */
const SLICE_MS = 2;

export interface ScanControl {
  /** True once the client has cancelled the request. */
  cancelled(): boolean;
  /** `done` of `total` (total null while the files are still being listed). */
  progress(message: string, done: number, total: number | null): void;
}

export interface ScanResult {
  units: WorkspaceUnit[];
  /** Why the list is incomplete, when it is. */
  truncated?: string;
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Lets pending I/O and messages run: resolves on the event loop's next check phase. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Null when cancelled. */
export async function scanWorkspace(
  roots: readonly string[],
  open: OpenFiles,
  disk: Disk,
  version: SupportedVersion,
  policy: Policy | undefined,
  control: ScanControl,
): Promise<ScanResult | null> {
  const paths: string[] = [];
  /** real path → index in `paths`. Of two paths to one file, the one named as the file is kept (not an alias link). */
  const seen = new Map<string, number>();
  const add = (p: string): void => {
    const key = realPath(p) ?? p;
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, paths.length);
      paths.push(p);
    } else if (baseOf(p) === baseOf(key) && baseOf(paths[at]!) !== baseOf(key)) {
      paths[at] = p;
    }
  };
  let truncated: string | undefined;
  let sliceStart = performance.now();
  /** Yields when the slice is used up; false when the request was cancelled. */
  const pause = async (): Promise<boolean> => {
    if (performance.now() - sliceStart < SLICE_MS) return true;
    await yieldToLoop();
    sliceStart = performance.now();
    return !control.cancelled();
  };

  control.progress('listing unit files', 0, null);
  walk: for (const root of roots) {
    for (const item of walkTree(root, DEFAULT_WALK_LIMITS, (name) => SKIP.has(name))) {
      if (item.kind === 'truncated') {
        truncated = `${root}: the folder walk ${item.reason}`;
        break;
      }
      if (item.path.endsWith('.service') && item.stats.isFile()) {
        if (paths.length >= MAX_UNITS) {
          truncated = `more than ${MAX_UNITS} units: the first ${MAX_UNITS} are listed`;
          break walk;
        }
        add(item.path);
      }
      if (!(await pause())) return null;
    }
  }
  for (const p of open.paths()) if (p.endsWith('.service') && paths.length < MAX_UNITS) add(p);

  const out: WorkspaceUnit[] = [];
  for (let i = 0; i < paths.length; i++) {
    if (!(await pause())) return null;
    if (i % 50 === 0) control.progress(`scoring ${paths.length} units`, i, paths.length);
    const p = paths[i]!;
    const text = open.get(p)?.text ?? disk.readText(p);
    if (text === null) continue;
    const uri = open.get(p)?.uri ?? uriOfPath(p);
    const ctx = resolveUnit(uri, text, open, disk, version);
    const r = hardeningService.scoreUnit({ name: ctx.name, files: ctx.files, version }, policy);
    out.push({ uri, unit: r.unit, exposure: r.exposure, band: r.band, ...(r.error ? { error: r.error } : {}) });
  }
  out.sort((a, b) => (b.exposure ?? 11) - (a.exposure ?? 11) || a.unit.localeCompare(b.unit));
  return { units: out, ...(truncated ? { truncated } : {}) };
}
