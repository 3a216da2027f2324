/**
 * score(): the overall exposure and every check of `systemd-analyze security --offline=yes` for a
 * unit, computed from its files (no I/O, no binaries).
 */
import {
  modelForAnalysis,
  type SecurityInputOptions,
  securityInputs,
  type SecurityInputs,
  type Refusal,
} from '../model/security-inputs';
import type { UnitModel } from '../model/unit-model';
import { targetVersion, type TargetVersion } from '../model/values/folded';
import {
  bandOf,
  type Band,
  type Exposure,
  exposureOf,
  formatTenths,
  overallExposure,
  overallExposureInDoubles,
  rowExposure,
  rowExposureInDoubles,
  weightedBadness,
  weightedBadnessInDoubles,
} from './arithmetic';
import type { CheckContext } from './checks';
import { assessCheck, type CheckTable, checkTable, type PreparedCheck, rowOrder } from './engine';
import { type Policy, policyError } from './policy';

export interface ScoreOptions extends SecurityInputOptions {
  version?: number;
  /** suggest(): leave out fixes the unit shows would break it (default true). */
  avoidBreakage?: boolean;
  /** A parsed --security-policy document. */
  policy?: Policy;
}

export interface CheckResult {
  json_field: string;
  /** The name systemd prints. */
  name: string;
  /** true = badness 0 (✓), false = some badness (✗), null = not applicable. */
  set: boolean | null;
  /** The row's exposure as printed ("0.2"), null when badness is 0 or n/a. */
  exposure: string | null;
  /** 0..range, null for n/a. */
  badness: number | null;
  weight: number;
  range: number;
  description: string | null;
  url: string | null;
  /** Position in systemd's assessor table. */
  index: number;
}

export interface ScoreResult {
  version: TargetVersion;
  /** The unit name systemd-analyze reports (templates instantiated). */
  unit: string;
  /** Overall exposure: `tenths` 0..100 and as printed ("9.6"); null when refused. */
  exposure: Exposure | null;
  band: Band | null;
  /** In the order systemd prints them (see systemdRowOrder). Empty when refused. */
  checks: CheckResult[];
  /** Set when systemd would not score the unit. */
  refused?: Refusal | { reason: string; code: 'policy' };
  inputs: SecurityInputs;
}

/**
 * The row order of the details table (see rowOrder() in engine.ts): description descending, then
 * name ascending, then insertion order, with glibc's merge sort replayed where systemd's comparator
 * is not transitive (NULL descriptions before 258).
 */
export function systemdRowOrder(rows: readonly CheckResult[], version: number): CheckResult[] {
  return rowOrder(rows, version);
}

type PolicyRefusal = { reason: string; code: 'policy' };

const refusal = (reason: string): PolicyRefusal => ({ reason, code: 'policy' });

/** Why systemd-analyze aborts on check `c` with this badness, or null. */
export function policyAbort(c: PreparedCheck, badness: number | null, table: CheckTable): PolicyRefusal | null {
  if (c.index === table.zeroRange)
    return refusal(`systemd-analyze aborts: policy range of ${c.assessor.json_field} is 0 (assertion 'range > 0')`);
  if (badness !== null && badness > c.effective.range) {
    return refusal(
      `systemd-analyze aborts: badness ${badness} of ${c.assessor.json_field} exceeds the policy range ${c.effective.range} (assertion 'badness <= range')`,
    );
  }
  return null;
}

export const ALL_EXCLUDED = "systemd-analyze aborts: every check is excluded (assertion 'weight_sum > 0')";

/** The description systemd prints for a row. */
function rowDescription(c: PreparedCheck, badness: number | null, assessed: string | null): string | null {
  if (assessed !== null) return assessed;
  if (badness === null) return c.effective.description_na;
  if (badness === c.assessor.range) return c.effective.description_bad;
  if (badness === 0) return c.effective.description_good;
  return null;
}

/** Scores already computed inputs (for callers that want to change them first). */
export function scoreInputs(info: SecurityInputs, options: ScoreOptions = {}): ScoreResult {
  const version = info.version;
  const base = { version, unit: info.unitName, inputs: info };
  if (info.refused) return { ...base, exposure: null, band: null, checks: [], refused: info.refused };
  const perr = policyError(options.policy, version);
  if (perr) return { ...base, exposure: null, band: null, checks: [], refused: { reason: perr, code: 'policy' } };

  const table = checkTable(version, options.policy);
  const ctx: CheckContext = { seccompTable: options.seccompTable ?? 'distribution' };
  const n = table.checks.length;
  const badness: Array<number | null> = new Array(n);
  const descriptions: Array<string | null> = new Array(n);
  // Sums in doubles where that is exact (systemd's own weights), else in BigInts as systemd's uint64.
  const inDoubles = table.fitsInDoubles;
  let badnessSum = 0;
  let weightSum = 0;
  let bigBadnessSum = 0n;
  let bigWeightSum = 0n;
  for (let i = 0; i < n; i++) {
    const c = table.checks[i]!;
    const r = assessCheck(c, info, ctx);
    const abort = policyAbort(c, r.badness, table);
    if (abort) return { ...base, exposure: null, band: null, checks: [], refused: abort };
    if (r.badness !== null) {
      if (inDoubles) {
        badnessSum += weightedBadnessInDoubles(r.badness, c.effective.weight, c.effective.range);
        weightSum += c.effective.weight;
      } else {
        bigBadnessSum += weightedBadness(r.badness, c.effective.weight, c.effective.range);
        bigWeightSum += BigInt(c.effective.weight);
      }
    }
    badness[i] = r.badness;
    descriptions[i] = rowDescription(c, r.badness, r.description);
  }
  if (inDoubles ? weightSum === 0 : bigWeightSum === 0n)
    return { ...base, exposure: null, band: null, checks: [], refused: refusal(ALL_EXCLUDED) };
  const checks: CheckResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = table.checks[i]!;
    const b = badness[i]!;
    const x = inDoubles
      ? rowExposureInDoubles(b, c.effective.weight, c.effective.range, weightSum)
      : rowExposure(b, c.effective.weight, c.effective.range, bigWeightSum);
    checks[i] = {
      json_field: c.assessor.json_field,
      name: c.assessor.name,
      set: b === null ? null : b === 0,
      exposure: x === null ? null : formatTenths(x),
      badness: b,
      weight: c.effective.weight,
      range: c.effective.range,
      description: descriptions[i]!,
      url: c.assessor.url,
      index: c.index,
    };
  }
  const e = inDoubles ? overallExposureInDoubles(badnessSum, weightSum) : overallExposure(bigBadnessSum, bigWeightSum);
  return {
    version,
    unit: info.unitName,
    inputs: info,
    exposure: exposureOf(e),
    band: bandOf(e),
    checks: rowOrder(checks, version),
  };
}

/**
 * Scores a unit for a systemd version (default: the model's). The model is rebuilt when the
 * version differs or when it is a template (systemd-analyze scores `foo@.service` as an instance).
 */
export function score(model: UnitModel, options: ScoreOptions = {}): ScoreResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  return scoreInputs(securityInputs(m, options), options);
}
