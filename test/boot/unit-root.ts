/**
 * A small root folder holding only the tree's unit folders plus, optionally, one drop-in and the
 * files the service places in the guest (its own unit, say: services.json `files`), for
 * scoring a boot case or a stock unit offline (our CLI's --root, or systemd-analyze --offline=yes
 * --root=) without touching the cached tree. Debian 12 and 13 have a merged /usr, so /lib is a
 * link to usr/lib as in the tree.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GuestFile } from './data';

/** Returns the new root; the caller removes it. */
export function unitRoot(tree: string, unit: string | null, dropin: string | null, files: GuestFile[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'boot-units-'));
  for (const dir of ['usr/lib/systemd/system', 'etc/systemd/system']) {
    cpSync(join(tree, dir), join(root, dir), { recursive: true, verbatimSymlinks: true });
  }
  symlinkSync('usr/lib', join(root, 'lib'));
  for (const f of files) {
    const to = join(root, f.guest);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(f.host, to);
  }
  if (unit !== null && dropin !== null) {
    const dir = join(root, 'etc', 'systemd', 'system', `${unit}.d`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '50-hardening.conf'), dropin);
  }
  return root;
}
