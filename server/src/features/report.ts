/**
 * The exposure report of a unit: what `systemd-analyze security` would print (overall exposure, band,
 * every check) plus our suggestions with the exposure after each. Shared by the CLI's JSON output and
 * the language server's `systemdHardening/exposure` request.
 */
import type { SuggestResult } from '../exposure';
import { checkProblem, sandboxCode } from '../rules/sandbox';

export interface ReportCheck {
  json_field: string;
  name: string;
  set: boolean | null;
  /** As systemd prints the row's exposure: a number with one decimal, or null. */
  exposure: number | null;
  /** What the check is about, in our words ("Whether the service can ..."). */
  description: string;
  /** systemd's own text for the row. */
  systemd_description: string | null;
  code: string;
}

export interface ReportSuggestion {
  /** The exact line(s) to add under [Service]. */
  setting: string;
  json_fields: string[];
  exposure_after: number;
  safe: boolean;
}

export interface ExposureReport {
  unit: string;
  exposure: number | null;
  band: string | null;
  checks: ReportCheck[];
  suggestions: ReportSuggestion[];
  safe_set: { setting: string; exposure_after: number } | null;
  /** Fixes left out because the unit shows they would break it. */
  not_suggested: { setting: string; json_fields: string[]; reason: string }[];
  error?: string;
}

export function exposureReport(result: SuggestResult): ExposureReport {
  const base = result.base;
  return {
    unit: base.unit,
    exposure: base.exposure ? base.exposure.tenths / 10 : null,
    band: base.band,
    checks: base.checks.map((c) => ({
      json_field: c.json_field,
      name: c.name,
      set: c.set,
      exposure: c.exposure === null ? null : Number(c.exposure),
      description: `Whether ${checkProblem(c.json_field, c.name)}`,
      systemd_description: c.description,
      code: sandboxCode(c.json_field),
    })),
    suggestions: result.suggestions.map((s) => ({
      setting: s.lines.join('\n'),
      json_fields: [s.json_field],
      exposure_after: s.exposure.tenths / 10,
      safe: s.safe,
    })),
    safe_set: result.safeSet ? { setting: result.safeSet.lines.join('\n'), exposure_after: result.safeSet.exposure.tenths / 10 } : null,
    not_suggested: (result.avoided ?? []).map((a) => ({ setting: a.lines.join('\n'), json_fields: [a.json_field], reason: a.reason })),
    ...(base.refused ? { error: base.refused.reason } : {}),
  };
}
