/**
 * `--systemd-version auto`: the version of the systemd installed under `--root` (or on this machine),
 * read from files by io/systemd-version.ts and judged by the core. The CLI's default stays a fixed
 * version, so a CI result does not depend on the runner; auto is asked for by name.
 */
import { isAbsolute } from 'node:path';
import { batchService, type AutoTarget } from '../service';
import { readSystemdFiles } from '../io/systemd-version';
import { resolveUnderRoot } from './root-path';
import { UsageError } from './args';

/** The target for `auto` under `root` (a folder; "/" when not given). A root that is no folder is a usage error. */
export function autoTargetUnder(root: string | undefined): AutoTarget {
  let locate = (p: string): string | null => p;
  if (root !== undefined && root !== '/') {
    const r = resolveUnderRoot('/', isAbsolute(root) ? root : `${process.cwd()}/${root}`);
    if (!r.ok || !r.stats.isDirectory())
      throw new UsageError(`--systemd-version auto: cannot read root ${root}: ${r.ok ? 'not a folder' : r.reason}`);
    const host = r.host;
    locate = (p) => {
      const inRoot = resolveUnderRoot(host, p);
      return inRoot.ok ? inRoot.host : null;
    };
  }
  const files = readSystemdFiles(locate);
  return batchService.autoTarget(files, batchService.defaultVersion);
}
