/**
 * Predicted deltas: for every check that is not at its best, the [Service] lines that bring it
 * there, and the exposure after adding them: the unit scored with a drop-in holding those lines
 * appended after all of its files, so every interaction systemd has (DynamicUser= turning on other
 * settings, ProtectClock= opening char-rtc under a device policy, merge rules of list settings, ...)
 * is accounted for. Lines are only offered when the target version parses them without a warning.
 * Also the "safe set": the suggestions that are unlikely to break a typical daemon, applied together.
 *
 * The lines of each check are plans (plans.ts). The exposure after them comes from
 * incremental/index.ts, which gives what rebuilding the unit with the drop-in and scoring it gives
 * (suggestByRebuilding() in suggest-reference.ts does exactly that; the tests hold the two equal).
 */
import { breakageChecker } from './breakage';
import { modelForAnalysis, securityInputs, execSectionOf } from '../model/security-inputs';
import type { UnitModel } from '../model/unit-model';
import { targetVersion } from '../model/values/folded';
import { type Exposure, exposureOf } from './arithmetic';
import { assessorsFor } from './assessors';
import { variantScorer } from './incremental';
import { planFor, plansOf, safeFlags, safePlan } from './plans';
import { type CheckResult, type ScoreOptions, type ScoreResult, scoreInputs } from './score';

export { linesFor, SAFE_CHECKS, SUGGESTION_DROPIN } from './plans';
export { suggestByRebuilding } from './suggest-reference';

export interface Suggestion {
  json_field: string;
  name: string;
  /** Badness now and after applying `lines` (0 unless systemd adds something back, e.g. char-rtc). */
  badness: number;
  badnessAfter: number | null;
  /** Lines to add under [Service], in order (shared between units: do not change). */
  lines: readonly string[];
  /** Overall exposure after adding the lines (tenths and as printed). */
  exposure: Exposure;
  /** Change of the overall exposure in tenths (negative = better). */
  delta: number;
  /** Part of the safe set (unlikely to break a typical daemon). */
  safe: boolean;
}

export interface SuggestResult {
  base: ScoreResult;
  /** Best improvement first. */
  suggestions: Suggestion[];
  /** All safe suggestions at once; null when there is none or the unit is refused. */
  safeSet: { lines: string[]; exposure: Exposure; delta: number } | null;
  /** Fixes not suggested because the unit shows they would break it (see breakage.ts). */
  avoided?: AvoidedSuggestion[];
}

export interface AvoidedSuggestion {
  json_field: string;
  name: string;
  lines: string[];
  reason: string;
}

export function suggest(model: UnitModel, options: ScoreOptions = {}): SuggestResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  const info = securityInputs(m, options);
  const base = scoreInputs(info, options);
  if (!base.exposure) return { base, suggestions: [], safeSet: null };
  const before = base.exposure.tenths;
  const section = execSectionOf(m.type) ?? 'Service';
  const variants = variantScorer(m, info, base, options);
  const byIndex: CheckResult[] = [];
  for (const c of base.checks) byIndex[c.index] = c;
  const suggestions: Suggestion[] = [];
  const avoided: AvoidedSuggestion[] = [];
  const breaks = options.avoidBreakage === false ? null : breakageChecker(m);
  const assessors = assessorsFor(version);
  const sectionPlans = plansOf(section, m.version);
  const safe = safeFlags(assessors);
  for (let index = 0; index < assessors.length; index++) {
    const a = assessors[index]!;
    const c = byIndex[index];
    if (!c || c.badness === null || c.badness === 0) continue;
    const plan = planFor(sectionPlans, index, a, info, section, m.version);
    if (!plan || !plan.known) continue;
    const risk = breaks?.(plan.cut) ?? null;
    if (risk) {
      avoided.push({ json_field: a.json_field, name: a.name, lines: [...plan.lines], reason: risk });
      continue;
    }
    // The exposure after applying the plan's lines.
    const after = variants.score(plan, index);
    if (!after || (after.badnessAfter !== null && after.badnessAfter >= c.badness)) continue;
    suggestions.push({
      json_field: a.json_field,
      name: a.name,
      badness: c.badness,
      badnessAfter: after.badnessAfter,
      lines: plan.lines,
      exposure: exposureOf(after.tenths),
      delta: after.tenths - before,
      safe: safe[index]!,
    });
  }
  // Best improvement first, then the lower badness after; otherwise in check order (a stable sort).
  suggestions.sort((x, y) => x.delta - y.delta || (x.badnessAfter ?? 0) - (y.badnessAfter ?? 0));

  let safeSet: SuggestResult['safeSet'] = null;
  const plan = safePlan(suggestions, section, m.version);
  const after = plan ? variants.score(plan, -1) : null;
  if (plan && after)
    safeSet = { lines: plan.lines.slice(), exposure: exposureOf(after.tenths), delta: after.tenths - before };
  return { base, suggestions, safeSet, avoided };
}
