/**
 * What the derivations of model/derive.ts share: the environment of one unit (its release, figure and
 * kind) and the shape of a derivation (the TypedValues fields it reads, the SecurityInputs it writes).
 */
import { type TargetVersion, targetVersion } from '../values/folded';
import { type Figure, figureRules, type FigureRules, scoredFigure } from '../../knowledge/figures';
import { releaseLogic, type ReleaseLogic } from '../../knowledge/release-behaviour';
import { cgroupSectionOf, hasExecContext } from '../sections';
import type { SecurityInputs, TypedValues } from '../security-types';
import type { UnitModel } from '../unit-model';
import type { DerivedInput, FieldPath } from '../property-access';

/** What every derivation of one unit shares. */
export interface DeriveEnv {
  model: UnitModel;
  version: TargetVersion;
  /** The figure derived for: the one asked for, or the release's only one. */
  figure: Figure;
  /** How the figure reads the inputs the two figures read differently (only derivations with `readsFigure` look). */
  rules: FigureRules;
  /** The release's logic flags (server/data/assessors.json `logic`). */
  logic: Readonly<ReleaseLogic>;
  hasExec: boolean;
  hasCgroup: boolean;
  isService: boolean;
}

/**
 * The environment of the derivations; `wanted` scores the model for another figure than its own. A release
 * without an offline figure (before 250) gives the manager's, whatever is asked for.
 */
export function deriveEnv(model: UnitModel, wanted: Figure = model.figure): DeriveEnv {
  const figure = scoredFigure(model.version, wanted);
  return {
    model,
    version: targetVersion(model.version),
    figure,
    rules: figureRules(model.version, figure),
    logic: releaseLogic(model.version),
    hasExec: hasExecContext(model.type),
    hasCgroup: cgroupSectionOf(model.type) !== null,
    isService: model.type === 'service' || model.type === null,
  };
}

export interface Derivation {
  reads: readonly FieldPath[];
  writes: readonly DerivedInput[];
  /** It reads the unit's name (through `env.model`), besides its `reads`. */
  readsUnitName?: true;
  /** It reads the figure (`env.figure`, `env.rules`): its outputs can differ between the two figures. */
  readsFigure?: true;
  /** `base`: the unit's own inputs when deriving a variant of it (to share equal lists), else null. */
  run(out: SecurityInputs, values: TypedValues, env: DeriveEnv, base: SecurityInputs | null): void;
}
