/**
 * The systemd releases the core knows: every release server/data/assessors.json describes (239–262),
 * each with its reference build. This is the one definition of the version type; the rest of the
 * core, the facade's supported versions and the adapters' validation all read it from here.
 */
import assessorsJson from '../../data/assessors.json';

type ReleaseKey = keyof (typeof assessorsJson)['versions'];
type AsNumber<S> = S extends `${infer N extends number}` ? N : never;

/** A release of systemd the data describes (a key of assessors.json `versions`, as a number). */
export type TargetVersion = AsNumber<ReleaseKey>;

interface ReleaseEntry {
  ref: { source: 'systemd-stable'; tag: string } | { source: 'debian'; package: string } | { source: 'none' };
  assumed?: string;
}

const releases = assessorsJson.versions as unknown as Record<string, ReleaseEntry>;

/** Every release the data describes, in ascending order. */
export const TARGET_VERSIONS: readonly TargetVersion[] = Object.freeze(
  Object.keys(releases)
    .map(Number)
    .sort((a, b) => a - b) as TargetVersion[],
);

const FIRST = TARGET_VERSIONS[0]!;
const LAST = TARGET_VERSIONS[TARGET_VERSIONS.length - 1]!;
const KNOWN: ReadonlySet<number> = new Set(TARGET_VERSIONS);

/** Whether the data describes this release. */
export function isTargetVersion(v: number): v is TargetVersion {
  return KNOWN.has(v);
}

/**
 * The release whose rules apply to `version`: itself when the data describes it, else the nearest
 * lower release (a newer number than the data knows scores as the newest; an older one as the oldest).
 */
export function targetVersion(version: number): TargetVersion {
  if (isTargetVersion(version)) return version;
  if (!(version >= FIRST)) return FIRST; // NaN too
  if (version >= LAST) return LAST;
  let best = FIRST;
  for (const v of TARGET_VERSIONS) if (v <= version) best = v;
  return best;
}

/**
 * Whether a release's data was read from its own source (a systemd-stable tag or a Debian source
 * package) rather than assumed from its neighbours (258–261: no source was available).
 */
export function hasSource(version: TargetVersion): boolean {
  return releases[String(version)]?.ref.source !== 'none';
}
