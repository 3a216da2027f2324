/**
 * Which systemd is installed under a root, from what an adapter read there (never by running it).
 * Pure: the adapter (server/src/io/systemd-version.ts) reads the files, this module only looks at
 * their bytes and names. It never throws, and its work is linear in what it is given.
 *
 * The order, first hit wins (see docs/handover/auto-version.md and the research in issue 14):
 *   1. the major version from PID 1's own program: the names of the private libraries it links
 *      (`libsystemd-shared-252.so`, `libsystemd-core-252.so`, or a tagged `libsystemd-shared-256.11-1.fc41.so`),
 *      which are the strings of its dynamic section. This is the library PID 1 really loads, so a stale
 *      library left by an upgrade does not mislead it;
 *   2. else the names of `libsystemd-shared-*.so` in the folders those libraries live in (the highest
 *      when several are there, with a note);
 *   then the point release, only when it agrees with that major: the ELF package note
 *   (FDO_PACKAGING_METADATA) of PID 1's program, the dpkg status of the `systemd` package, the
 *   pacman package folder, or the library's own tag;
 *   3. else, with low confidence, the release the distribution ships (os-release through
 *      server/data/distro-systemd.json);
 *   4. else nothing, with the reason: the caller states its fallback.
 */
import distroJson from '../../data/distro-systemd.json';

/** What the adapter read under the root. Paths are as seen inside the root. Every field may be missing. */
export interface SystemdEvidence {
  /** PID 1's program (`/usr/lib/systemd/systemd`, else `/lib/systemd/systemd`): its bytes, at most a bounded prefix. */
  pid1?: { path: string; bytes: Uint8Array } | null;
  /** The names in each folder systemd's private libraries may live in. */
  libraryFolders?: ReadonlyArray<{ folder: string; names: readonly string[] }> | null;
  /** The text of `/var/lib/dpkg/status`. */
  dpkgStatus?: { path: string; text: string } | null;
  /** The names in `/var/lib/pacman/local` (one folder per installed package: `systemd-257.5-1`). */
  pacmanLocal?: { path: string; names: readonly string[] } | null;
  /** `/etc/os-release`, else `/usr/lib/os-release`. */
  osRelease?: { path: string; text: string } | null;
}

export type MajorSource = 'pid1-libraries' | 'library-folder' | 'os-release';
export type PointSource = 'elf-note' | 'dpkg' | 'pacman' | 'library-name';
export type Confidence = 'high' | 'medium' | 'low';

export interface InstalledSystemd {
  /** The major version (`252`). */
  version: number;
  /** The upstream point release (`252.39`), or null when unknown or the build has none (RHEL's `252-46.el9`). */
  point: string | null;
  /** The package's own version (`252.39-1~deb12u2`), when a package source named it. */
  packageVersion: string | null;
  source: MajorSource;
  /** The file or folder (inside the root) the major version was read from. */
  from: string;
  pointSource: PointSource | null;
  /** high: PID 1's own program; medium: the library folder; low: the distribution's usual release. */
  confidence: Confidence;
  /** The distribution, from os-release (`Debian GNU/Linux 12 (bookworm)`), or null. */
  distro: string | null;
  /** What else was seen that the caller may want to say (several libraries, a package that disagrees). */
  notes: string[];
}

export type SystemdDetection =
  { ok: true; found: InstalledSystemd } | { ok: false; reason: string; distro: string | null };

/** How many bytes after `libsystemd-` a library name may take (the longest real tag is ~20). */
const MAX_LIBRARY_NAME = 128;
/** How many `libsystemd-` strings in PID 1's program are looked at (real programs have a handful). */
const MAX_LIBRARY_HITS = 1024;
/** The largest ELF package note read (real ones are ~150 bytes). */
const MAX_NOTE = 4096;

const LIBRARY_NAME = /^libsystemd-(core|shared)-(\d{3})((?:[.~+_-][0-9A-Za-z.~+_-]*)?)\.so$/;
const LIBRARY_PREFIX = bytesOf('libsystemd-');

function bytesOf(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** Where `needle` starts in `hay` at or after `from`, or -1. Linear for needles without repeated prefixes. */
function indexOf(hay: Uint8Array, needle: readonly number[], from: number): number {
  const first = needle[0]!;
  const last = hay.length - needle.length;
  outer: for (let i = Math.max(0, from); i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The bytes from `start` up to a NUL (or `max` bytes, or the end) as Latin-1 text, and whether a NUL ended them. */
function cString(bytes: Uint8Array, start: number, max: number): { text: string; terminated: boolean } {
  let text = '';
  for (let i = start; i < bytes.length && i < start + max; i++) {
    if (bytes[i] === 0) return { text, terminated: true };
    text += String.fromCharCode(bytes[i]!);
  }
  return { text, terminated: false };
}

interface LibraryName {
  kind: 'core' | 'shared';
  major: number;
  /** The tag after the major (`.11-1.fc41`), empty when the name has none. */
  tag: string;
  name: string;
}

export function parseLibraryName(name: string): LibraryName | null {
  const m = LIBRARY_NAME.exec(name);
  if (!m) return null;
  return { kind: m[1] as 'core' | 'shared', major: Number(m[2]), tag: m[3]!, name };
}

/** The private library names PID 1's program links: every NUL-terminated `libsystemd-(core|shared)-N….so` string. */
export function linkedLibraries(bytes: Uint8Array): LibraryName[] {
  const out: LibraryName[] = [];
  const seen = new Set<string>();
  let at = 0;
  let hits = 0;
  while (hits < MAX_LIBRARY_HITS) {
    const i = indexOf(bytes, LIBRARY_PREFIX, at);
    if (i < 0) break;
    hits++;
    at = i + LIBRARY_PREFIX.length;
    // A dynamic string starts after a NUL; the same text inside a longer string (a path, a message) is not a link.
    if (i > 0 && bytes[i - 1] !== 0) continue;
    const s = cString(bytes, i, MAX_LIBRARY_NAME);
    if (!s.terminated || seen.has(s.text)) continue;
    const lib = parseLibraryName(s.text);
    if (lib) {
      seen.add(s.text);
      out.push(lib);
    }
  }
  return out;
}

const NOTE_TYPE_FDO = 0xcafe1a7e;

function u32(bytes: Uint8Array, at: number, little: boolean): number {
  const b = [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!];
  if (!little) b.reverse();
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

/**
 * The package metadata of the ELF note `FDO_PACKAGING_METADATA` (type 0xcafe1a7e, owner "FDO"; see
 * https://systemd.io/ELF_PACKAGE_METADATA/): a JSON object such as
 * `{"type":"deb","os":"Debian","name":"systemd","version":"252.39-1~deb12u2",…}`. Found by its header
 * (namesz 4, descsz, type, "FDO\0") in either byte order; null when absent or not JSON.
 */
export function packageNote(bytes: Uint8Array): { name: string | null; version: string; os: string | null } | null {
  const owner = bytesOf('FDO\0');
  let at = 0;
  for (let tries = 0; tries < 64; tries++) {
    const i = indexOf(bytes, owner, at);
    if (i < 0) return null;
    at = i + 1;
    if (i < 12 || i + 4 > bytes.length) continue;
    for (const little of [true, false]) {
      if (u32(bytes, i - 12, little) !== 4 || u32(bytes, i - 4, little) !== NOTE_TYPE_FDO) continue;
      const size = u32(bytes, i - 8, little);
      if (size === 0 || size > MAX_NOTE || i + 4 + size > bytes.length) continue;
      const text = cString(bytes, i + 4, size).text;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        continue;
      }
      if (typeof json !== 'object' || json === null) continue;
      const o = json as Record<string, unknown>;
      if (typeof o.version !== 'string' || o.version === '') continue;
      return {
        version: o.version,
        name: typeof o.name === 'string' ? o.name : null,
        os: typeof o.os === 'string' ? o.os : null,
      };
    }
  }
  return null;
}

/**
 * The `Version:` of the installed `systemd` package in a dpkg status file (the stanza whose `Status:`
 * ends in ` installed`), or null.
 */
export function dpkgVersion(status: string): string | null {
  let pkg = '';
  let state = '';
  let version = '';
  const end = (): string | null => (pkg === 'systemd' && / installed$/.test(state) && version ? version : null);
  let lineStart = 0;
  while (lineStart <= status.length) {
    let nl = status.indexOf('\n', lineStart);
    if (nl < 0) nl = status.length;
    const line = status.slice(lineStart, nl).replace(/\r$/, '');
    lineStart = nl + 1;
    if (line.trim() === '') {
      const v = end();
      if (v) return v;
      pkg = state = version = '';
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'package') pkg = value;
    else if (key === 'status') state = value;
    else if (key === 'version') version = value;
  }
  return end();
}

/** The version of the `systemd` package in pacman's local database folder names (`systemd-257.5-1`), or null. */
export function pacmanVersion(names: readonly string[]): string | null {
  for (const n of names) {
    const m = /^systemd-(\d[0-9A-Za-z.+~_:]*-[0-9.]+)$/.exec(n);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * The upstream major and point release of a package version: `252.39-1~deb12u2` → 252 and 252.39,
 * `255.4-1ubuntu8.4` → 255.4, `256.11-1.fc41` → 256.11, `239-82.el8_10` → 239 without a point
 * (RHEL's builds are no upstream point release), `1:257.5-1` → 257.5. null when it is not a systemd version.
 */
export function upstreamOf(packageVersion: string): { major: number; point: string | null } | null {
  const m = /^(?:\d+:)?(\d{3})(?:\.(\d+))?(?:$|[-~+_])/.exec(packageVersion);
  if (!m) return null;
  return { major: Number(m[1]), point: m[2] === undefined ? null : `${m[1]}.${m[2]}` };
}

export interface OsRelease {
  id: string;
  idLike: string[];
  versionId: string;
  prettyName: string;
}

/** The fields of an os-release file that matter here (shell-like `KEY=value`, quotes optional). */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n', 200)) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(raw.slice(0, 4096));
    if (!m) continue;
    let v = m[2]!.trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) v = v.slice(1, -1);
    v = v.replace(/\\(["'$`\\])/g, '$1');
    if (!fields.has(m[1]!)) fields.set(m[1]!, v);
  }
  const id = (fields.get('ID') ?? '').toLowerCase();
  const versionId = fields.get('VERSION_ID') ?? '';
  return {
    id,
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId,
    prettyName: fields.get('PRETTY_NAME') ?? (id ? `${id} ${versionId}`.trim() : ''),
  };
}

interface DistroRow {
  id: string;
  versionId: string;
  systemd: number;
  verified: boolean;
}
const DISTROS: readonly DistroRow[] = (distroJson as { releases: DistroRow[] }).releases;

/** The systemd major a release usually ships (ID, then each ID_LIKE, with VERSION_ID or its major), or null. */
export function distroSystemd(os: OsRelease): DistroRow | null {
  const versions = [os.versionId, os.versionId.split('.')[0]!].filter(Boolean);
  for (const id of [os.id, ...os.idLike])
    for (const v of versions) {
      const row = DISTROS.find((r) => r.id === id && r.versionId === v);
      if (row) return row;
    }
  return null;
}

/** The point release from the package sources, when one agrees with `major`; disagreements become notes. */
function pointOf(
  major: number,
  ev: SystemdEvidence,
  libraryTag: LibraryName | null,
  notes: string[],
): Pick<InstalledSystemd, 'point' | 'packageVersion' | 'pointSource'> {
  const candidates: Array<[PointSource, string, string]> = [];
  const note = ev.pid1 ? packageNote(ev.pid1.bytes) : null;
  if (note) candidates.push(['elf-note', note.version, `the package note of ${ev.pid1!.path}`]);
  const dpkg = ev.dpkgStatus ? dpkgVersion(ev.dpkgStatus.text) : null;
  if (dpkg) candidates.push(['dpkg', dpkg, ev.dpkgStatus!.path]);
  const pacman = ev.pacmanLocal ? pacmanVersion(ev.pacmanLocal.names) : null;
  if (pacman) candidates.push(['pacman', pacman, ev.pacmanLocal!.path]);
  if (libraryTag && /^\.\d/.test(libraryTag.tag))
    candidates.push(['library-name', `${libraryTag.major}${libraryTag.tag}`, libraryTag.name]);
  for (const [source, version, where] of candidates) {
    const up = upstreamOf(version);
    if (!up) continue;
    if (up.major !== major) {
      notes.push(`${where} names systemd ${version}, not ${major}: ignored`);
      continue;
    }
    return { point: up.point, packageVersion: source === 'library-name' ? null : version, pointSource: source };
  }
  return { point: null, packageVersion: null, pointSource: null };
}

/** The systemd installed under the root the evidence was read from, or why none was found. Never throws. */
export function detectInstalledSystemd(ev: SystemdEvidence): SystemdDetection {
  try {
    return detect(ev ?? {});
  } catch (e) {
    return { ok: false, reason: `the files read could not be understood (${String(e)})`, distro: null };
  }
}

function detect(ev: SystemdEvidence): SystemdDetection {
  const notes: string[] = [];
  const os = ev.osRelease ? parseOsRelease(ev.osRelease.text) : null;
  const distro = os?.prettyName || null;

  // 1. PID 1's own program.
  if (ev.pid1) {
    const libs = linkedLibraries(ev.pid1.bytes);
    const shared = libs.find((l) => l.kind === 'shared');
    const chosen = shared ?? libs[0];
    if (chosen) {
      const others = [...new Set(libs.map((l) => l.major))].filter((m) => m !== chosen.major);
      if (others.length) notes.push(`${ev.pid1.path} also names libraries of systemd ${others.join(', ')}`);
      return {
        ok: true,
        found: {
          version: chosen.major,
          ...pointOf(chosen.major, ev, chosen, notes),
          source: 'pid1-libraries',
          from: ev.pid1.path,
          confidence: 'high',
          distro,
          notes,
        },
      };
    }
    notes.push(`${ev.pid1.path} names no libsystemd-shared library`);
  }

  // 2. The library folders.
  const found: Array<{ lib: LibraryName; folder: string }> = [];
  for (const f of ev.libraryFolders ?? [])
    for (const n of f.names) {
      const lib = parseLibraryName(n);
      if (lib?.kind === 'shared') found.push({ lib, folder: f.folder });
    }
  if (found.length) {
    found.sort((a, b) => b.lib.major - a.lib.major || a.lib.name.localeCompare(b.lib.name));
    const best = found[0]!;
    const majors = [...new Set(found.map((f) => f.lib.major))];
    if (majors.length > 1)
      notes.push(`several systemd libraries are installed (${majors.join(', ')}): the newest counts`);
    return {
      ok: true,
      found: {
        version: best.lib.major,
        ...pointOf(best.lib.major, { ...ev, pid1: null }, best.lib, notes),
        source: 'library-folder',
        from: `${best.folder.replace(/\/$/, '')}/${best.lib.name}`,
        confidence: majors.length > 1 ? 'low' : 'medium',
        distro,
        notes,
      },
    };
  }

  // 3. The distribution's usual release.
  if (os && ev.osRelease) {
    const row = distroSystemd(os);
    if (row) {
      notes.push(
        `no systemd program or library was found; ${distro} usually ships systemd ${row.systemd}` +
          (row.verified ? '' : ' (not verified by this project)'),
      );
      return {
        ok: true,
        found: {
          version: row.systemd,
          point: null,
          packageVersion: null,
          pointSource: null,
          source: 'os-release',
          from: ev.osRelease.path,
          confidence: 'low',
          distro,
          notes,
        },
      };
    }
  }
  return {
    ok: false,
    reason: distro
      ? `no systemd program or library was found, and ${distro} is not a release this extension knows`
      : 'no systemd program, library or os-release file was found',
    distro,
  };
}
