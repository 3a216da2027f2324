/**
 * The exposure report of a unit: what `systemd-analyze security` would print (overall exposure, band,
 * every check) plus our suggestions with the exposure after each. The core's own shape: the adapters
 * convert it to the wire shape of protocol/protocol.ts with one function (server/src/wire/exposure-report.ts)
 * for the CLI's JSON output and the language server's `systemdHardening/exposure` answer.
 */
import type { SuggestResult } from '../exposure';
import type { Figure } from '../knowledge/figures';
import { checkProblem, sandboxCode } from '../rules/sandbox';

/** One check of the report, in systemd's row order. */
export interface ReportCheck {
  /** The check's field in `systemd-analyze security --json` (`PrivateTmp=`, `RestrictNamespaces=~cgroup`). */
  jsonField: string;
  /** The check's id as systemd prints it. */
  name: string;
  /** true = at its best, false = not, null = not applicable. */
  set: boolean | null;
  /** As systemd prints the row's exposure: a number with one decimal, or null. */
  exposure: number | null;
  /** What the check is about, in our words ("Whether the service can ..."). */
  description: string;
  /** systemd's own text for the row. */
  systemdDescription: string | null;
  /** Our rule id for the check (`sandbox-…`). */
  code: string;
}

/** Lines that bring one check to its best, and the exposure of the unit with them. */
export interface ReportSuggestion {
  /** The exact line(s) to add under [Service], one text. */
  setting: string;
  jsonFields: string[];
  exposureAfter: number;
  /** Part of the safe set (no known way to break a service). */
  safe: boolean;
}

/** A fix left out because the unit shows it would break it. */
export interface ReportAvoided {
  setting: string;
  jsonFields: string[];
  reason: string;
}

export interface ExposureReport {
  unit: string;
  /** Which of systemd-analyze security's figures the numbers are (knowledge/figures.ts). */
  figure: Figure;
  /** The overall exposure with one decimal; null when systemd would refuse the unit (see `error`). */
  exposure: number | null;
  band: string | null;
  checks: ReportCheck[];
  /** Best improvement first. */
  suggestions: ReportSuggestion[];
  /** Every safe suggestion at once; null when there is none. */
  safeSet: { setting: string; exposureAfter: number } | null;
  notSuggested: ReportAvoided[];
  /** Why systemd would not load the unit. */
  error?: string;
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

/** The report of a unit scored for `figure` (features/figures.ts figureOf()). */
export function exposureReport(result: SuggestResult, figure: Figure): ExposureReport {
  const base = result.base;
  return {
    unit: base.unit,
    figure,
    exposure: base.exposure ? base.exposure.tenths / 10 : null,
    band: base.band,
    checks: base.checks.map((c) => ({
      jsonField: c.json_field,
      name: c.name,
      set: c.set,
      exposure: c.exposure === null ? null : Number(c.exposure),
      description: question(c.json_field, c.name),
      systemdDescription: c.description,
      code: sandboxCode(c.json_field),
    })),
    suggestions: result.suggestions.map((s) => ({
      setting: settingOf(s.lines),
      jsonFields: [s.json_field],
      exposureAfter: s.exposure.tenths / 10,
      safe: s.safe,
    })),
    safeSet: result.safeSet
      ? { setting: result.safeSet.lines.join('\n'), exposureAfter: result.safeSet.exposure.tenths / 10 }
      : null,
    notSuggested: (result.avoided ?? []).map((a) => ({
      setting: a.lines.join('\n'),
      jsonFields: [a.json_field],
      reason: a.reason,
    })),
    ...(base.refused ? { error: base.refused.reason } : {}),
  };
}
