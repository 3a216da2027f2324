/** The systemd versions whose rules the core knows. */
export const SUPPORTED_VERSIONS = [252, 254, 257, 262] as const;
export type SupportedVersion = (typeof SUPPORTED_VERSIONS)[number];
export const DEFAULT_VERSION: SupportedVersion = 252;

export function isSupportedVersion(v: number): v is SupportedVersion {
  return (SUPPORTED_VERSIONS as readonly number[]).includes(v);
}
