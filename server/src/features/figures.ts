/**
 * The figure beside the one shown: where the release has both (knowledge/figures.ts), the unit's overall
 * exposure in the figure its model was not built for, and why the two differ.
 *
 * They differ only in the inputs the figure rules touch (knowledge/figures.ts figureRules(): PrivateMounts=,
 * the `name:errno` SystemCallFilter= entries of the running figure before 250.8/251.3, and how IPAddressAllow=
 * entries count as localhost), so the other
 * figure does not fold the unit again: it re-runs the derivations that read the figure on the values the
 * score already folded, and only when one of their inputs comes out different derives the rest and
 * scores again (a pass over the checks).
 */
import { scoreInputs, type Policy, type ScoreResult } from '../exposure';
import { type Figure, figuresOf, offlinePrivateMounts } from '../knowledge/figures';
import { deriveEnv, type DeriveEnv, deriveInputs, figureChangesInputs, privateMountsImpliedBy } from '../model/derive';
import { modelForAnalysis } from '../model/security-inputs';
import type { SecurityInputs, TypedValues } from '../model/security-types';
import { sameSet } from '../model/property-access';
import type { UnitModel } from '../model/unit-model';

export type { Figure } from '../knowledge/figures';

/** A unit's overall exposure in one figure. */
export interface FigureScore {
  figure: Figure;
  /** One decimal, as systemd prints it. */
  exposure: number;
  band: string;
  /** Why this figure differs from the one shown: how each reads the inputs they read differently, for this unit. */
  why: string;
}

/** The figure a model is scored for: buildUnit() resolved it with knowledge/figures.ts scoredFigure(). */
export function figureOf(model: UnitModel): Figure {
  return model.figure;
}

/** How each figure is named where both are shown. */
export const FIGURE_WORDS: Readonly<Record<Figure, string>> = { offline: 'in the file', running: 'once running' };

/**
 * The unit's exposure in the release's other figure, or null when the release has one figure, the unit
 * is refused, or the other figure prints the same number. `base` is the model's own score.
 */
export function otherFigure(
  model: UnitModel,
  base: ScoreResult,
  options: { policy?: Policy } = {},
): FigureScore | null {
  if (!base.exposure) return null;
  const figures = figuresOf(model.version);
  const own = figureOf(model);
  const other = figures.find((f) => f !== own);
  if (other === undefined) return null;
  return otherFigureIn(deriveEnv(modelForAnalysis(model, base.version), other), base, options);
}

/**
 * otherFigure() given the other figure's environment (`deriveEnv(model, other)` of the model `base` was
 * scored from): a release's figure rules come from the data, so a test can ask about rules the data
 * gives only to patch releases (knowledge/figures.ts figureRules()).
 */
export function otherFigureIn(
  env: DeriveEnv,
  base: ScoreResult,
  options: { policy?: Policy } = {},
): FigureScore | null {
  if (!base.exposure) return null;
  const info = base.inputs;
  if (!figureChangesInputs(env, info)) return null;
  const inputs = deriveInputs(env, info.values, info.problems, info.refused, null);
  const r = scoreInputs(inputs, { version: base.version, policy: options.policy });
  if (!r.exposure || !r.band || r.exposure.tenths === base.exposure.tenths) return null;
  return {
    figure: env.figure,
    exposure: r.exposure.tenths / 10,
    band: r.band,
    why: whyTheyDiffer(env.model, info, inputs),
  };
}

/** Why the figures differ: how each counts PrivateMounts=, reads SystemCallFilter= and IPAddressAllow=, where they differ. */
function whyTheyDiffer(model: UnitModel, own: SecurityInputs, other: SecurityInputs): string {
  const why: string[] = [];
  const mounts = own.privateMounts !== other.privateMounts;
  const filter = !sameSet(own.systemCallFilter, other.systemCallFilter);
  const ip =
    own.ipAddressAllowLocalhost !== other.ipAddressAllowLocalhost ||
    own.ipAddressAllowOther !== other.ipAddressAllowOther;
  if (mounts || !(filter || ip)) why.push(privateMountsWhy(model, own.values));
  if (filter)
    why.push(
      `Once running, systemd ${model.version} sees a SystemCallFilter= entry with its own errno as name:errno, which matches no system call (fixed in 250.8, 251.3 and 252); in the file, each entry counts by its name.`,
    );
  if (ip)
    why.push(
      `Once running, the manager shows IPAddressAllow= as a list of prefixes, where only 127.0.0.0/8 and ::1/128 count as localhost (so 127.0.0.1 counts as another address); in the file, any loopback address counts as localhost.`,
    );
  return why.join(' ');
}

/** One sentence per figure: whether it counts PrivateMounts= as set for this unit, and from what. */
function privateMountsWhy(model: UnitModel, values: TypedValues): string {
  const implied = privateMountsImpliedBy(values);
  const explicit = values.privateMounts;
  const running =
    explicit === true
      ? 'the manager counts PrivateMounts=yes'
      : implied.length
        ? `the manager counts PrivateMounts= as set: ${implied.join(', ')} ${implied.length > 1 ? 'give' : 'gives'} the service a mount namespace`
        : 'the manager does not count PrivateMounts=: nothing gives the service a mount namespace';
  const unsetCounts = offlinePrivateMounts(model.version) === 'unset-counts';
  const offline =
    explicit === true
      ? 'systemd-analyze security --offline=yes counts PrivateMounts=yes'
      : explicit === null && unsetCounts
        ? `systemd-analyze security --offline=yes counts an unset PrivateMounts= as set (from systemd 254 on)`
        : `systemd-analyze security --offline=yes reads PrivateMounts= alone, which is ${explicit === false ? 'no' : 'not set'}`;
  return `Once running, ${running}; in the file, ${offline}.`;
}
