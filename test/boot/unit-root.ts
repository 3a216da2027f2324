/**
 * A small root folder holding only the tree's unit folders plus, optionally, one drop-in, for
 * scoring a boot case or a stock unit offline (our CLI's --root, or systemd-analyze --offline=yes
 * --root=) without touching the cached tree. Debian 12 and 13 have a merged /usr, so /lib is a
 * link to usr/lib as in the tree.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns the new root; the caller removes it. */
export function unitRoot(tree: string, unit: string | null, dropin: string | null): string {
  const root = mkdtempSync(join(tmpdir(), 'boot-units-'));
  for (const dir of ['usr/lib/systemd/system', 'etc/systemd/system']) {
    cpSync(join(tree, dir), join(root, dir), { recursive: true, verbatimSymlinks: true });
  }
  symlinkSync('usr/lib', join(root, 'lib'));
  if (unit !== null && dropin !== null) {
    const dir = join(root, 'etc', 'systemd', 'system', `${unit}.d`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '50-hardening.conf'), dropin);
  }
  return root;
}
