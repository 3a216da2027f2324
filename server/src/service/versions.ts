import { TARGET_VERSIONS, type TargetVersion } from '../knowledge/versions';

/** The systemd versions whose rules the core knows: every release the data describes (239–262). */
export const SUPPORTED_VERSIONS: readonly SupportedVersion[] = TARGET_VERSIONS;
export type SupportedVersion = TargetVersion;
export const DEFAULT_VERSION: SupportedVersion = 252;

export function isSupportedVersion(v: number): v is SupportedVersion {
  return (SUPPORTED_VERSIONS as readonly number[]).includes(v);
}
