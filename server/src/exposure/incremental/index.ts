/**
 * The one entry of incremental scoring: the exposure of a unit with a suggestion's lines appended as
 * a drop-in after all of its files, for suggest() (each suggestion and the safe set).
 *
 * The answer is always what rebuilding the unit with the drop-in and scoring it with score() gives
 * (exposure/suggest-reference.ts does exactly that; test/conformance/suggest-reference.test.ts and
 * test/unit/incremental.test.ts hold this seam to it). How it gets there is this folder's business:
 *
 *  - appended-variants.ts: the drop-in's lines continue the unit's own folds, only the setting
 *    groups they name are folded again, and only the inputs derived from those groups are derived
 *    again (model/derive.ts declares what each derivation reads and writes);
 *  - incremental-scorer.ts: the unit scored check by check, so a variant re-assesses only the checks
 *    that read a changed input and adjusts the sums, in double arithmetic when it is exact;
 *  - outcome-memo.ts: a variant that depends on the unit only through a few values gets the change
 *    of score kept for those values by an earlier unit.
 *
 * When a shortcut does not apply (a drop-in that touches a setting folded from the whole model, a
 * policy whose weights do not fit doubles) the variant is rebuilt and scored by score().
 */
import { buildOptionsOf, buildUnit } from '../../model/build';
import { type SecurityInputs, securityInputs } from '../../model/security-inputs';
import type { UnitModel } from '../../model/unit-model';
import { dropinPath, type LinePlan } from '../plans';
import { type ScoreOptions, type ScoreResult, scoreInputs } from '../score';
import { AppendedVariants, type DropinSlot } from './appended-variants';
import { IncrementalScorer } from './incremental-scorer';
import { findOutcome, keepOutcome, type OutcomeEntry } from './outcome-memo';

/** The unit with a plan's lines appended: its overall exposure (tenths) and the badness of one check. */
export interface VariantScore {
  tenths: number;
  /** The badness after of the check asked about (null: not applicable or no check asked about). */
  badnessAfter: number | null;
}

export interface VariantScorer {
  /**
   * The score of the unit with `plan`'s lines appended, and the badness after of check `checkIndex`
   * (its position in the assessor table; -1 for none). Null when systemd would warn about or ignore
   * one of the lines, or would not score the unit with them.
   */
  score(plan: LinePlan, checkIndex: number): VariantScore | null;
}

/** What this folder keeps per plan (a plan stands for one drop-in text, shared between units). */
interface PlanState extends DropinSlot {
  /** Outcomes of this plan's variant for the units it does not depend on (outcome-memo.ts). */
  outcomes: OutcomeEntry[];
}

const planStates = new WeakMap<LinePlan, PlanState>();

function stateOf(plan: LinePlan): PlanState {
  let s = planStates.get(plan);
  if (!s) planStates.set(plan, (s = { parsed: null, outcomes: [] }));
  return s;
}

/**
 * The scorer of `model`'s variants. `model` is the model scored (modelForAnalysis()'s), `info` its
 * inputs and `base` its score(), all for the same `options`.
 */
export function variantScorer(
  model: UnitModel,
  info: SecurityInputs,
  base: ScoreResult,
  options: ScoreOptions,
): VariantScorer {
  const path = dropinPath(model);
  const scorer = IncrementalScorer.of(info, base, options);
  if (!scorer) return { score: (plan, checkIndex) => rebuiltScore(model, path, plan, checkIndex, options) };
  const variants = new AppendedVariants(model, options, info);
  const seccompTable = scorer.seccompTable;
  return {
    score(plan, checkIndex) {
      const state = stateOf(plan);
      // A variant that depends on the unit only through a few values is scored from the outcome kept
      // for those values (computed the first time: most units leave most sandbox settings unset).
      const pure = variants.pureReads(plan.text, state);
      const shape = pure ? scorer.shapeOf(pure.writes) : null;
      const kept = shape
        ? findOutcome(
            state.outcomes,
            scorer.checkTable,
            seccompTable,
            pure!.getters,
            variants.values,
            shape.getters,
            info,
          )
        : undefined;
      let scored: boolean;
      if (kept) scored = scorer.applyOutcome(kept, checkIndex);
      else {
        const v = variants.try(path, plan.text, state);
        if (!v) return rebuiltScore(model, path, plan, checkIndex, options);
        if (v.dropinProblems || v.dropinIgnored || !v.inputs) return null;
        if (shape && !v.inputs.refused) {
          const outcome = scorer.outcomeOf(shape, v.inputs, checkIndex);
          keepOutcome(
            state.outcomes,
            scorer.checkTable,
            seccompTable,
            pure!.getters,
            variants.values,
            shape.getters,
            info,
            outcome,
          );
          scored = scorer.applyOutcome(outcome, checkIndex);
        } else scored = scorer.variant(v.inputs, checkIndex, v.candidates);
      }
      return scored ? { tenths: scorer.tenths, badnessAfter: scorer.checkBadness } : null;
    },
  };
}

/** The plain path: the unit rebuilt with the drop-in and scored by score(). */
function rebuiltScore(
  model: UnitModel,
  path: string,
  plan: LinePlan,
  checkIndex: number,
  options: ScoreOptions,
): VariantScore | null {
  const m = buildUnit(
    model.name,
    [...model.files.map((f) => ({ path: f.path, text: f.tree.text })), { path, text: plan.text }],
    { ...buildOptionsOf(model), trees: new Map(model.files.map((f) => [f.path, f.tree])) },
  );
  const inputs = securityInputs(m, options);
  const file = m.files[m.files.length - 1]!;
  if (m.ignored.some((i) => i.file === file) || inputs.problems.some((p) => p.assignment.file === file)) return null;
  const r = scoreInputs(inputs, options);
  if (!r.exposure) return null;
  return { tenths: r.exposure.tenths, badnessAfter: r.checks.find((c) => c.index === checkIndex)?.badness ?? null };
}
