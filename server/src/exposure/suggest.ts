/**
 * Predicted deltas: for every check that is not at its best, the [Service] lines that bring it
 * there, and the exposure after adding them — computed by appending a synthetic drop-in holding
 * those lines to the unit and scoring it again, so every interaction systemd has (DynamicUser=
 * turning on other settings, ProtectClock= opening char-rtc under a device policy, merge rules of
 * list settings, ...) is accounted for. Lines are only offered when the target version parses
 * them without a warning. Also the "safe set": the suggestions that are unlikely to break a
 * typical daemon, applied together.
 *
 * Scoring "again" is incremental (the result is the same as rebuilding the unit with the drop-in and
 * scoring it from scratch: suggestByRebuilding(), which the tests hold suggest() to): the drop-in's
 * lines come after every file, so only the settings they name change; their folds continue from the
 * unit's folded state (AppendedVariants in model/appended.ts), the analyser's inputs are derived
 * again into a scratch object, and only the checks that read a changed input are assessed again
 * (Baseline in baseline.ts). Row order and full check tables are not built for variants. The lines
 * of each check are plans (plans.ts); when a variant depends on the unit only through a few values,
 * its change of the score is kept with its plan for the next unit with the same values
 * (outcome-memo.ts).
 */
import { breakageChecker } from './breakage';
import { AppendedVariants, appendedInputs } from '../model/appended';
import { modelForAnalysis, type SecurityInputs, securityInputs, execSectionOf } from '../model/security-inputs';
import type { InputAccess } from '../model/property-access';
import type { UnitModel } from '../model/types';
import { targetVersion } from '../model/values/types';
import { type Exposure, exposureOf } from './arithmetic';
import { assessorsFor } from './assessors';
import { Baseline } from './baseline';
import { findOutcome, keepOutcome } from './outcome-memo';
import { dropinPath, planFor, plansOf, safeFlags, safePlan } from './plans';
import { type CheckResult, type ScoreOptions, type ScoreResult, scoreInputs } from './score';

export { changedInputs } from './baseline';
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
  safeSet: { lines: string[]; exposure: Exposure; delta: number; result: ScoreResult } | null;
  /** Fixes not suggested because the unit shows they would break it (see breakage.ts). */
  avoided?: AvoidedSuggestion[];
}

export interface AvoidedSuggestion {
  json_field: string;
  name: string;
  lines: string[];
  reason: string;
}

/** A unit with a suggestion's drop-in: AppendedVariants.try()'s answer, or appendedInputs()'s. */
interface Variant {
  inputs: SecurityInputs | null;
  dropinProblems: number;
  dropinIgnored: number;
  candidates?: InputAccess;
}

export function suggest(model: UnitModel, options: ScoreOptions = {}): SuggestResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  const info = securityInputs(m, options);
  const base = scoreInputs(info, options);
  if (!base.exposure) return { base, suggestions: [], safeSet: null };
  const section = execSectionOf(m.type) ?? 'Service';
  const path = dropinPath(m);
  const fast = Baseline.of(info, base, options);
  const variants = new AppendedVariants(m, options, info);
  const byIndex: CheckResult[] = [];
  for (const c of base.checks) byIndex[c.index] = c;
  const suggestions: Suggestion[] = [];
  const avoided: AvoidedSuggestion[] = [];
  const breaks = options.avoidBreakage === false ? null : breakageChecker(m);
  const assessors = assessorsFor(version);
  const sectionPlans = plansOf(section, m.version);
  const safe = safeFlags(assessors);
  const seccompTable = fast?.seccompTable ?? '';
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
    let tenths: number;
    let badnessAfter: number | null;
    if (fast) {
      // A variant that depends on the unit only through a key is scored from the outcome kept for
      // that key (computed the first time: most units leave most sandbox settings unset).
      const pure = variants.pureReads(plan.text, plan);
      const shape = pure ? fast.shapeOf(pure.writes) : null;
      const kept = shape ? findOutcome(plan.outcomes, fast.checkTable, seccompTable, pure!.getters, variants.values, shape.getters, info) : undefined;
      let scored: boolean;
      if (kept) scored = fast.applyOutcome(kept, index);
      else {
        const v: Variant = variants.try(path, plan.text, plan) ?? appendedInputs(m, { path, text: plan.text }, options, info);
        if (v.dropinProblems || v.dropinIgnored || !v.inputs) continue;
        if (shape && !v.inputs.refused) {
          const outcome = fast.outcomeOf(shape, v.inputs, index);
          keepOutcome(plan.outcomes, fast.checkTable, seccompTable, pure!.getters, variants.values, shape.getters, info, outcome);
          scored = fast.applyOutcome(outcome, index);
        } else scored = fast.variant(v.inputs, index, v.candidates ?? null);
      }
      if (!scored) continue;
      tenths = fast.tenths;
      badnessAfter = fast.own;
    } else {
      const v = variants.try(path, plan.text, plan) ?? appendedInputs(m, { path, text: plan.text }, options, info);
      if (v.dropinProblems || v.dropinIgnored || !v.inputs) continue;
      const r = scoreInputs(v.inputs, options);
      if (!r.exposure) continue;
      tenths = r.exposure.tenths;
      badnessAfter = r.checks.find((k) => k.json_field === a.json_field)?.badness ?? null;
    }
    if (badnessAfter !== null && badnessAfter >= c.badness) continue;
    suggestions.push({
      json_field: a.json_field,
      name: a.name,
      badness: c.badness,
      badnessAfter,
      lines: plan.lines,
      exposure: exposureOf(tenths),
      delta: tenths - base.exposure.tenths,
      safe: safe[index]!,
    });
  }
  sortSuggestions(suggestions);

  let safeSet: SuggestResult['safeSet'] = null;
  const plan = safePlan(suggestions, section, m.version);
  if (plan) {
    const safeLines = plan.lines.slice();
    const dropin = { path, text: plan.text };
    const full = (): ScoreResult => scoreInputs(appendedInputs(m, dropin, options, info).inputs, options);
    const v = fast ? variants.try(dropin.path, dropin.text, plan) : null;
    if (fast && v?.inputs) {
      // The exposure from the changed checks; the full result only when someone asks for it.
      const after = fast.variant(v.inputs, 0, v.candidates) ? { tenths: fast.tenths } : null;
      if (after) safeSet = lazyResult({ lines: safeLines, exposure: exposureOf(after.tenths), delta: after.tenths - base.exposure.tenths }, full);
    } else {
      const result = full();
      if (result.exposure) safeSet = { lines: safeLines, exposure: result.exposure, delta: result.exposure.tenths - base.exposure.tenths, result };
    }
  }
  return { base, suggestions, safeSet, avoided };
}

type SafeSet = NonNullable<SuggestResult['safeSet']>;

/** The safe set with `result` computed on first use (and kept). */
function lazyResult(s: Omit<SafeSet, 'result'>, compute: () => ScoreResult): SafeSet {
  return new LazySafeSet(s.lines, s.exposure, s.delta, compute);
}

/**
 * A class getter, not an accessor defined on each object: V8 gives an object with an accessor of its
 * own a hidden class of its own, which holds the getter's closure (and through it the unit scored) from
 * the old generation, so every scored unit survived young-generation collections.
 */
class LazySafeSet implements SafeSet {
  #compute: (() => ScoreResult) | null;
  #result: ScoreResult | null = null;

  constructor(
    readonly lines: string[],
    readonly exposure: Exposure,
    readonly delta: number,
    compute: () => ScoreResult,
  ) {
    this.#compute = compute;
  }

  get result(): ScoreResult {
    if (this.#compute) {
      this.#result = this.#compute();
      this.#compute = null;
    }
    return this.#result!;
  }
}

/** Best improvement first, then the lower badness after; otherwise in check order (a stable sort). */
function sortSuggestions(list: Suggestion[]): void {
  const n = list.length;
  if (n < 2) return;
  // A counting sort (stable) on (delta, badness after): both are small integers.
  let lo = Infinity;
  let hi = -Infinity;
  let width = 1;
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    if (s.delta < lo) lo = s.delta;
    if (s.delta > hi) hi = s.delta;
    if ((s.badnessAfter ?? 0) >= width) width = (s.badnessAfter ?? 0) + 1;
  }
  const buckets = (hi - lo + 1) * width;
  if (buckets >= SORT_COUNTS.length) {
    list.sort((x, y) => x.delta - y.delta || (x.badnessAfter ?? 0) - (y.badnessAfter ?? 0));
    return;
  }
  const counts = SORT_COUNTS;
  counts.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) counts[(list[i]!.delta - lo) * width + (list[i]!.badnessAfter ?? 0) + 1]!++;
  for (let k = 1; k <= buckets; k++) counts[k]! += counts[k - 1]!;
  const copy = list.slice();
  for (let i = 0; i < n; i++) {
    const s = copy[i]!;
    list[counts[(s.delta - lo) * width + (s.badnessAfter ?? 0)]!++] = s;
  }
}

/** Scratch counts of sortSuggestions() (suggest() does not re-enter itself). */
const SORT_COUNTS = new Int32Array(4096);
