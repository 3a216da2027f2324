/**
 * The two figures `systemd-analyze security` can give for a unit, per release (server/data/assessors.json
 * `versions[V].figures` and `offlinePrivateMounts`):
 * - `offline`: `--offline=yes FILE` (250 and later) scores the unit as loaded from its files;
 * - `running`: the manager's figure for the loaded unit, read over D-Bus (every release).
 * They differ in one input, PrivateMounts=: the manager counts the mount namespace that other settings
 * imply, while the offline path copies the loaded setting (and from 254 counts it as set when unset,
 * 24002121289698569bc28c0fe32dbb553a648545).
 */
import data from '../../data/assessors.json';
import { releaseLogic } from './release-behaviour';

export type Figure = 'offline' | 'running';

/** How the offline figure reads PrivateMounts=: set only when `yes` (250–253), or set unless `no` (254 on). */
export type OfflinePrivateMounts = 'explicit' | 'unset-counts';

interface VersionFigures {
  figures: readonly Figure[];
  offlinePrivateMounts: OfflinePrivateMounts | null;
}

const versions = data.versions as unknown as Record<string, VersionFigures | undefined>;

/** The figures the release can give; empty for a release the data does not describe. */
export function figuresOf(version: number): readonly Figure[] {
  return versions[String(version)]?.figures ?? [];
}

/**
 * The figure a unit is scored for at `version` when `wanted` is asked for: `wanted` where the release has
 * it, else the release's default, offline where it has one, else the manager's (so a release before 250
 * gives the running figure whatever is asked). The one answer to "which figure": building a model,
 * deriving its inputs and the features that name its figure all ask it.
 */
export function scoredFigure(version: number, wanted?: Figure): Figure {
  const figures = figuresOf(version);
  if (wanted !== undefined && figures.includes(wanted)) return wanted;
  return figures.includes('offline') ? 'offline' : 'running';
}

/** The release's offline PrivateMounts= rule (`explicit` for a release the data does not describe). */
export function offlinePrivateMounts(version: number): OfflinePrivateMounts {
  return versions[String(version)]?.offlinePrivateMounts ?? 'explicit';
}

/**
 * How a figure reads each input it reads differently from the other figure (the model's derivations
 * that declare `readsFigure` read these and nothing else of the figure):
 * - `privateMounts`: the manager's implication (`running`), or the offline copy of the setting;
 * - `filterErrnoSuffix`: the running figure of releases before 250.8/251.3/252 sees a SystemCallFilter=
 *   entry with its own errno as `name:errno` (assessors.json `logic.runningFilterErrnoSuffix`);
 * - `ipAllow`: how IPAddressAllow= entries count as localhost.
 */
export interface FigureRules {
  privateMounts: 'running' | OfflinePrivateMounts;
  filterErrnoSuffix: boolean;
  /**
   * How IPAddressAllow= is read: from the file (any loopback address is localhost), or from the manager's
   * bus property (`bus`: localhost only as 127.0.0.0/8 or ::1/128; `bus-reduced`: also with the entries
   * another entry covers dropped, as managers before 250 keep the list: `logic.runningIpAllowReduced`).
   */
  ipAllow: 'file' | 'bus' | 'bus-reduced';
}

/** The rules of `figure` at `version` (a figure the release has: see scoredFigure()). */
export function figureRules(version: number, figure: Figure): FigureRules {
  if (figure === 'running') {
    const logic = releaseLogic(version);
    return {
      privateMounts: 'running',
      filterErrnoSuffix: logic.runningFilterErrnoSuffix,
      ipAllow: logic.runningIpAllowReduced ? 'bus-reduced' : 'bus',
    };
  }
  return { privateMounts: offlinePrivateMounts(version), filterErrnoSuffix: false, ipAllow: 'file' };
}
