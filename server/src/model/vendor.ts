/**
 * Vendor folders: where a unit file belongs to the distribution (or to systemd itself) and the
 * administrator's changes go into a drop-in under /etc of the same root instead.
 */
import type { LoadedFile, UnitModel } from './unit-model';

/**
 * Unit folders whose files the administrator should not edit, relative to a root, and the folder of
 * that root where the administrator's drop-ins go instead. From systemd.unit(5) (man/systemd.unit.xml,
 * "Unit File Load Path"): /usr/lib/systemd/{system,user} hold "units installed by the distribution
 * package manager" (and /lib/systemd/... on distributions that search it, see model/search-path.ts),
 * /usr/share/systemd/user and ~/.local/share/systemd/user user units of packages (the XDG data
 * folders); /run/systemd/generator{,.early,.late} hold generated units and /run/systemd/transient
 * transient ones, both rewritten by systemd itself. /usr/local/lib/systemd/system holds "units installed
 * by the administrator", and /usr/local/share is the administrator's too: not vendor folders (null).
 * Longer entries first, so `usr/local/lib/...` and `usr/lib/...` win over `lib/...`.
 */
const VENDOR_FOLDERS: readonly (readonly [folder: string, adminFolder: string | null])[] = [
  ['usr/local/lib/systemd/system', null],
  ['usr/local/lib/systemd/user', null],
  ['usr/local/share/systemd/user', null],
  ['usr/lib/systemd/system', 'etc/systemd/system'],
  ['usr/lib/systemd/user', 'etc/systemd/user'],
  ['usr/share/systemd/user', 'etc/systemd/user'],
  ['.local/share/systemd/user', '.config/systemd/user'],
  ['lib/systemd/system', 'etc/systemd/system'],
  ['lib/systemd/user', 'etc/systemd/user'],
  ['run/systemd/generator.early', 'etc/systemd/system'],
  ['run/systemd/generator.late', 'etc/systemd/system'],
  ['run/systemd/generator', 'etc/systemd/system'],
  ['run/systemd/transient', 'etc/systemd/system'],
];

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

/** The folder a unit's file is in; for a drop-in (`DIR/NAME.d/x.conf`, when no unit file was found), DIR. */
function unitFolderOf(path: string): string {
  const dir = dirOf(path);
  return path.endsWith('.conf') && dir.endsWith('.d') ? dirOf(dir) : dir;
}

/**
 * For a vendor folder, the administrator's folder of the same root: `/etc/systemd/system` for
 * `/usr/lib/systemd/system`, `/srv/chroot/bookworm/etc/systemd/system` for that folder inside the
 * chroot (an image, a container tree under /var/lib/machines, ...). Null for other folders.
 */
function adminFolderOf(dir: string): string | null {
  for (const [folder, admin] of VENDOR_FOLDERS) {
    // The root is what comes before the folder: '' for a relative path, '/' for the host, '/srv/chroot/x/' for a tree.
    if (dir === folder || dir.endsWith('/' + folder))
      return admin === null ? null : dir.slice(0, dir.length - folder.length) + admin;
  }
  return null;
}

/** Whether the unit file lies in a vendor folder (also inside a tree): edit it through a drop-in under /etc instead. */
export function isVendorPath(path: string): boolean {
  return adminFolderOf(unitFolderOf(path)) !== null;
}

/** The drop-in a hardening action writes: beside the unit, or in the administrator's folder of the same root for a vendor unit. */
export function hardeningDropinPath(model: UnitModel, unitFile: LoadedFile): string {
  const dir = unitFolderOf(unitFile.path);
  const base = adminFolderOf(dir) ?? dir;
  const folder = base.endsWith('/') ? base : base + '/';
  return `${folder}${model.name}.d/hardening.conf`;
}
