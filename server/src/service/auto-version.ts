/**
 * `auto`: the target version from the systemd installed under a root (knowledge/installed-systemd.ts
 * reads the evidence), mapped onto the versions the core scores, with the words the adapters show:
 * a log line, a status-bar label, and a note when the version used is not the one found.
 */
import {
  detectInstalledSystemd,
  type InstalledSystemd,
  type SystemdDetection,
  type SystemdEvidence,
} from '../knowledge/installed-systemd';
import { SUPPORTED_VERSIONS, type SupportedVersion } from './versions';

export interface AutoTarget {
  /** The version the analysis follows. */
  version: SupportedVersion;
  detection: SystemdDetection;
  /** How the version was chosen: the one found, the nearest supported one, or the fallback. */
  how: 'found' | 'nearest' | 'fallback';
  /** One line for a log: what was found, where, and the version used. */
  message: string;
  /** A short label for a status bar: `252 (auto)`, `252 (auto: 255.4 found)`, `252 (assumed)`. */
  label: string;
  /** Why the version used differs from the one found (or why none was found), for stderr; null when it is the one found. */
  note: string | null;
}

/** The supported version nearest to `v` (the older one on a tie: 253 scores as 252). */
export function nearestSupported(v: number): SupportedVersion {
  let best: SupportedVersion = SUPPORTED_VERSIONS[0];
  for (const s of SUPPORTED_VERSIONS) if (Math.abs(s - v) < Math.abs(best - v)) best = s;
  return best;
}

const POINT_SOURCES: Record<NonNullable<InstalledSystemd['pointSource']>, string> = {
  'elf-note': 'its package note',
  dpkg: 'the dpkg status',
  pacman: "pacman's package database",
  'library-name': "the library's name",
};

/** What was found, in words: `systemd 252.39 (package 252.39-1~deb12u2), from /usr/lib/systemd/systemd, …`. */
export function describeInstalled(f: InstalledSystemd): string {
  const shown = f.point ?? String(f.version);
  const pkg = f.packageVersion && f.packageVersion !== shown ? ` (package ${f.packageVersion})` : '';
  const how =
    f.source === 'pid1-libraries'
      ? `the libraries ${f.from} links`
      : f.source === 'library-folder'
        ? f.from
        : `the usual systemd of the distribution named in ${f.from}`;
  const point = f.pointSource ? `; point release from ${POINT_SOURCES[f.pointSource]}` : '';
  const distro = f.distro ? `, on ${f.distro}` : '';
  const notes = f.notes.length ? ` (${f.notes.join('; ')})` : '';
  return `systemd ${shown}${pkg}, from ${how}${point}${distro}, ${f.confidence} confidence${notes}`;
}

/**
 * The target for `auto`: the version found when the core scores it, else the nearest one it scores,
 * else (nothing found) `fallback`. Total: any evidence gives an answer.
 */
export function autoTarget(evidence: SystemdEvidence, fallback: SupportedVersion): AutoTarget {
  const detection = detectInstalledSystemd(evidence);
  if (!detection.ok) {
    const note = `auto: ${detection.reason}; using systemd ${fallback}, the fallback`;
    return { version: fallback, detection, how: 'fallback', message: note, label: `${fallback} (assumed)`, note };
  }
  const f = detection.found;
  const found = describeInstalled(f);
  const shown = f.point ?? String(f.version);
  if ((SUPPORTED_VERSIONS as readonly number[]).includes(f.version)) {
    const version = f.version as SupportedVersion;
    return {
      version,
      detection,
      how: 'found',
      message: `auto: target systemd ${version}: found ${found}`,
      label: f.confidence === 'low' ? `${version} (auto, guessed)` : `${version} (auto)`,
      note: null,
    };
  }
  const version = nearestSupported(f.version);
  const note =
    `auto: systemd ${shown} found, which this version of the extension does not score; ` +
    `using systemd ${version}, the nearest of ${SUPPORTED_VERSIONS[0]}–${SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]}`;
  return {
    version,
    detection,
    how: 'nearest',
    message: `${note} (found ${found})`,
    label: `${version} (auto: ${shown} found)`,
    note,
  };
}
