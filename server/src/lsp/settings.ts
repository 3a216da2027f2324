/** The server's view of `systemdHardening.*` settings, merged over the defaults and checked. */
import { DEFAULT_SETTINGS, type HardeningSettings } from '../../../protocol/protocol';
import { hardeningService, type SupportedVersion } from '../service';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const SANDBOX_SEVERITIES = new Set(['warning', 'information', 'hint', 'off']);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Takes whatever the client sent and keeps only well-formed values. */
export function normalizeSettings(raw: unknown): HardeningSettings {
  const out: HardeningSettings = structuredClone(DEFAULT_SETTINGS);
  if (!isRecord(raw)) return out;
  const v = String(raw.systemdVersion ?? '');
  if (v === 'auto' || hardeningService.isSupportedVersion(Number(v)))
    out.systemdVersion = v as HardeningSettings['systemdVersion'];
  if (typeof raw.policyFile === 'string') out.policyFile = raw.policyFile;
  if (isRecord(raw.severity)) {
    for (const [k, s] of Object.entries(raw.severity))
      if (typeof s === 'string' && SEVERITIES.has(s)) out.severity[k] = s as HardeningSettings['severity'][string];
  }
  if (isRecord(raw.checks) && Array.isArray(raw.checks.exclude))
    out.checks.exclude = raw.checks.exclude.filter((x): x is string => typeof x === 'string');
  if (typeof raw.debounceMs === 'number' && raw.debounceMs >= 0 && raw.debounceMs <= 5000)
    out.debounceMs = raw.debounceMs;
  if (isRecord(raw.exposure) && typeof raw.exposure.enabled === 'boolean') out.exposure.enabled = raw.exposure.enabled;
  const sandbox = isRecord(raw.sandboxDiagnostics) ? raw.sandboxDiagnostics.severity : undefined;
  if (typeof sandbox === 'string' && SANDBOX_SEVERITIES.has(sandbox))
    out.sandboxDiagnostics.severity = sandbox as HardeningSettings['sandboxDiagnostics']['severity'];
  return out;
}

/** The version a setting names; `auto` is resolved by the caller (ServerState.version), so it gives `auto`'s fallback here. */
export function versionOf(s: HardeningSettings): SupportedVersion {
  return s.systemdVersion === 'auto' ? hardeningService.defaultVersion : (Number(s.systemdVersion) as SupportedVersion);
}
