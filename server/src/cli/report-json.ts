/**
 * The core's exposure report as the CLI's JSON writes it: the wire shape of protocol/protocol.ts
 * (snake_case fields, shared with the language server's `systemdHardening/exposure` answer), field by
 * field, so that a change on either side is a type error here.
 */
import type { ExposureReport as JsonReport } from '../../../protocol/protocol';
import type { ExposureReport } from '../service';

export type { JsonReport };

export function toJsonReport(r: ExposureReport): JsonReport {
  return {
    unit: r.unit,
    exposure: r.exposure,
    band: r.band,
    checks: r.checks.map((c) => ({
      json_field: c.jsonField,
      name: c.name,
      set: c.set,
      exposure: c.exposure,
      description: c.description,
      systemd_description: c.systemdDescription,
      code: c.code,
    })),
    suggestions: r.suggestions.map((s) => ({ setting: s.setting, json_fields: s.jsonFields, exposure_after: s.exposureAfter, safe: s.safe })),
    safe_set: r.safeSet ? { setting: r.safeSet.setting, exposure_after: r.safeSet.exposureAfter } : null,
    not_suggested: r.notSuggested.map((a) => ({ setting: a.setting, json_fields: a.jsonFields, reason: a.reason })),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}
