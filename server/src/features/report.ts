/**
 * The exposure report of a unit: what `systemd-analyze security` would print (overall exposure, band,
 * every check) plus our suggestions with the exposure after each. Shared by the CLI's JSON output and
 * the language server's `systemdHardening/exposure` request.
 */
import type { SuggestResult } from '../exposure';
import { checkProblem, sandboxCode } from '../rules/sandbox';

/**
 * The report's shape is the core's own (the core does not import protocol/): protocol/'s ExposureReport,
 * the wire format of the exposure request, is declared apart, and the language server answers that
 * request with this one, so the compiler checks that every report is a valid answer.
 */
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

/** One check, as systemd prints its row, with our words and rule id beside it. */
export interface ReportCheck {
  json_field: string;
  /** The check's id as systemd prints it. */
  name: string;
  /** true = at its best, false = not, null = not applicable. */
  set: boolean | null;
  /** As systemd prints the row's exposure: a number with one decimal, or null. */
  exposure: number | null;
  /** What the check is about, in our words ("Whether the service ..."). */
  description: string;
  /** systemd's own text for the row. */
  systemd_description: string | null;
  /** Our rule id for the check (`sandbox-…`). */
  code: string;
}

/** One suggestion: the line(s) to add under [Service] and the exposure after them. */
export interface ReportSuggestion {
  setting: string;
  json_fields: string[];
  exposure_after: number;
  safe: boolean;
}

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
