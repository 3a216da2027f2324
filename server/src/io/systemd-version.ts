/**
 * Reading what shows which systemd is installed under a root, for `auto` (the CLI's
 * `--systemd-version auto`, the editor's `systemdHardening.systemdVersion: "auto"`). Only files are
 * read, never a process run: PID 1's program, the names in the library folders, the dpkg status,
 * pacman's package folder names, os-release. Files go through readRegularFile() (regular files only,
 * non-blocking, bounded), folders are listed with a bound on their entries, and nothing under /proc,
 * /sys or /dev is read. What was read is handed, as it is, to the core (`hardeningService.autoTarget`),
 * which does the looking; the shape below is the core's `SystemdEvidence`.
 */
import { opendirSync } from 'node:fs';
import { isPseudoPath, MAX_FILE_BYTES, readRegularFile, statPath } from './read-file';

/** The places PID 1's program lives: usr-merged and split-/usr systems. */
export const PID1_PATHS = ['/usr/lib/systemd/systemd', '/lib/systemd/systemd'];
/** Folders systemd's private libraries live in: before 252 the libexec folder, from 252 `<libdir>/systemd`. */
export const LIBRARY_FOLDERS = ['/usr/lib/systemd', '/lib/systemd', '/usr/lib64/systemd', '/lib64/systemd'];
/** Folders whose `*-linux-*` subfolders (Debian's multiarch triplets) may hold a `systemd` library folder. */
const MULTIARCH_PARENTS = ['/usr/lib', '/lib'];
export const DPKG_STATUS = '/var/lib/dpkg/status';
export const PACMAN_LOCAL = '/var/lib/pacman/local';
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'];

/** The dpkg status of a big system is a few MiB; more is not a dpkg status. */
export const MAX_DPKG_STATUS_BYTES = 32 << 20;
/** Entries looked at in one folder (/usr/lib has a few hundred; pacman's database a few thousand). */
export const MAX_FOLDER_ENTRIES = 20_000;

/**
 * Where a path inside the root is on this machine (links resolved with the root as "/"), or null when
 * it does not resolve. For the root "/" this is the path itself.
 */
export type Locate = (pathInRoot: string) => string | null;

export interface SystemdFiles {
  pid1: { path: string; bytes: Uint8Array } | null;
  libraryFolders: Array<{ folder: string; names: string[] }>;
  dpkgStatus: { path: string; text: string } | null;
  pacmanLocal: { path: string; names: string[] } | null;
  osRelease: { path: string; text: string } | null;
  /** What could not be read and why (a FIFO, too large, …), for a log; a missing file is not listed. */
  skipped: string[];
}

/** The names in a folder, at most `max` of them, sorted; null when it is no folder (or a pseudo file system's). */
export function listFolder(host: string, max = MAX_FOLDER_ENTRIES): string[] | null {
  const st = statPath(host);
  if (!st?.isDirectory() || isPseudoPath(host)) return null;
  const names: string[] = [];
  try {
    const dir = opendirSync(host);
    try {
      for (let e = dir.readSync(); e !== null && names.length < max; e = dir.readSync()) names.push(e.name);
    } finally {
      dir.closeSync();
    }
  } catch {
    return null;
  }
  return names.sort();
}

/** Reads the evidence under a root. `locate` maps a path inside the root to this machine's (identity for "/"). */
export function readSystemdFiles(locate: Locate = (p) => p): SystemdFiles {
  const skipped: string[] = [];
  const read = (path: string, max: number): Uint8Array | null => {
    const host = locate(path);
    if (host === null) return null;
    const r = readRegularFile(host, max);
    if (r.ok) return r.bytes;
    if (r.failure !== 'missing') skipped.push(`${path}: ${r.reason}`);
    return null;
  };
  const list = (path: string): string[] | null => {
    const host = locate(path);
    return host === null ? null : listFolder(host);
  };
  // The dpkg status is read as Latin-1 (its fields that matter are ASCII; any byte decodes), os-release as UTF-8.
  const text = (bytes: Uint8Array, encoding: 'latin1' | 'utf8'): string =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(encoding);

  let pid1: SystemdFiles['pid1'] = null;
  for (const path of PID1_PATHS) {
    const bytes = read(path, MAX_FILE_BYTES);
    if (bytes) {
      pid1 = { path, bytes };
      break;
    }
  }

  const folders = [...LIBRARY_FOLDERS];
  for (const parent of MULTIARCH_PARENTS)
    for (const n of list(parent) ?? [])
      if (/^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(n)) folders.push(`${parent}/${n}/systemd`);
  const libraryFolders: SystemdFiles['libraryFolders'] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    const host = locate(folder);
    if (host === null || seen.has(host)) continue;
    seen.add(host);
    const names = listFolder(host);
    const libs = names?.filter((n) => n.startsWith('libsystemd-'));
    if (libs?.length) libraryFolders.push({ folder, names: libs });
  }

  const dpkg = read(DPKG_STATUS, MAX_DPKG_STATUS_BYTES);
  const pacman = list(PACMAN_LOCAL);
  let osRelease: SystemdFiles['osRelease'] = null;
  for (const path of OS_RELEASE_PATHS) {
    const bytes = read(path, 64 << 10);
    if (bytes) {
      osRelease = { path, text: text(bytes, 'utf8') };
      break;
    }
  }
  return {
    pid1,
    libraryFolders,
    dpkgStatus: dpkg ? { path: DPKG_STATUS, text: text(dpkg, 'latin1') } : null,
    pacmanLocal: pacman ? { path: PACMAN_LOCAL, names: pacman.filter((n) => n.startsWith('systemd-')) } : null,
    osRelease,
    skipped,
  };
}
