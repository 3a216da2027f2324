/**
 * The core's exposure report in its wire shape, declared in protocol/protocol.ts (snake_case fields):
 * what the CLI's `score --format json` writes and what the language server's `systemdHardening/exposure`
 * answers. The core's types are its own; this is where the two adapters convert them, field by field.
 * Every field of the core's objects is taken out by name, so a field added on either side and not
 * converted here is a type error.
 */
import type { ExposureCheck, ExposureReport as WireReport } from '../../../protocol/protocol';
import type { ExposureReport, ReportCheck } from '../service';

export type { WireReport };

export function toWireReport(r: ExposureReport): WireReport {
  const { unit, figure, exposure, band, checks, suggestions, safeSet, notSuggested, error, ...rest } = r;
  allConverted(rest);
  return {
    unit,
    figure,
    exposure,
    band,
    checks: checks.map(toWireCheck),
    suggestions: suggestions.map((s) => ({
      setting: s.setting,
      json_fields: s.jsonFields,
      exposure_after: s.exposureAfter,
      safe: s.safe,
    })),
    safe_set: safeSet ? { setting: safeSet.setting, exposure_after: safeSet.exposureAfter } : null,
    not_suggested: notSuggested.map((a) => ({ setting: a.setting, json_fields: a.jsonFields, reason: a.reason })),
    ...(error !== undefined ? { error } : {}),
  };
}

function toWireCheck(c: ReportCheck): ExposureCheck {
  const { jsonField, name, set, exposure, description, systemdDescription, code, ...rest } = c;
  allConverted(rest);
  return { json_field: jsonField, name, set, exposure, description, systemd_description: systemdDescription, code };
}

/** What is left of a core object once the fields converted are taken out: nothing, or a type error. */
function allConverted(rest: Record<string, never>): void {
  void rest;
}
