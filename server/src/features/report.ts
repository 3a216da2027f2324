/**
 * The exposure report of a unit: what `systemd-analyze security` would print (overall exposure, band,
 * every check) plus our suggestions with the exposure after each. Shared by the CLI's JSON output and
 * the language server's `systemdHardening/exposure` request.
 */
import type { ExposureReport } from '../../../protocol/protocol';
import type { SuggestResult } from '../exposure';
import { checkProblem, sandboxCode } from '../rules/sandbox';

export type { ExposureReport } from '../../../protocol/protocol';

/** By json_field, then name. */
const questions = new Map<string, Map<string, string>>();

/** "Whether the service ..." for a check (kept: the same few dozen texts for every unit). */
function question(jsonField: string, name: string): string {
  let byName = questions.get(jsonField);
  if (byName === undefined) questions.set(jsonField, (byName = new Map()));
  let q = byName.get(name);
  if (q === undefined) byName.set(name, (q = `Whether ${checkProblem(jsonField, name)}`));
  return q;
}

/** A suggestion's lines as one setting text; suggestions share their lines arrays, so the text is kept per array. */
const settings = new WeakMap<readonly string[], string>();

function settingOf(lines: readonly string[]): string {
  let s = settings.get(lines);
  if (s === undefined) settings.set(lines, (s = lines.join('\n')));
  return s;
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
      description: question(c.json_field, c.name),
      systemd_description: c.description,
      code: sandboxCode(c.json_field),
    })),
    suggestions: result.suggestions.map((s) => ({
      setting: settingOf(s.lines),
      json_fields: [s.json_field],
      exposure_after: s.exposure.tenths / 10,
      safe: s.safe,
    })),
    safe_set: result.safeSet ? { setting: result.safeSet.lines.join('\n'), exposure_after: result.safeSet.exposure.tenths / 10 } : null,
    not_suggested: (result.avoided ?? []).map((a) => ({ setting: a.lines.join('\n'), json_fields: [a.json_field], reason: a.reason })),
    ...(base.refused ? { error: base.refused.reason } : {}),
  };
}
