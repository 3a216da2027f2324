/**
 * score(): the overall exposure and every check of `systemd-analyze security --offline=yes` for a
 * unit, computed from its files (no I/O, no binaries).
 */
import { modelForAnalysis, type SecurityInputOptions, securityInputs, type SecurityInputs, type Refusal } from '../model/security-inputs';
import type { UnitModel } from '../model/types';
import { targetVersion, type TargetVersion } from '../model/values/types';
import { bandOf, type Band, formatTenths, overallExposure, rowExposure, weightedBadness } from './arithmetic';
import { type Assessor, assessorsFor } from './assessors';
import { ASSESS } from './checks';
import { applyPolicy, type Policy, policyError } from './policy';

export interface ScoreOptions extends SecurityInputOptions {
  version?: number;
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
  exposure: { tenths: number; text: string } | null;
  band: Band | null;
  /** In the order systemd prints them (description descending, then name). Empty when refused. */
  checks: CheckResult[];
  /** Set when systemd would not score the unit. */
  refused?: Refusal | { reason: string; code: 'policy' };
  inputs: SecurityInputs;
}

/** strcmp() order on UTF-8 bytes. */
function strcmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The row order of the details table: description descending, ties by name ascending, then table order. */
export function displayOrder(a: CheckResult, b: CheckResult): number {
  const da = a.description;
  const db = b.description;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    const c = strcmp(db, da);
    if (c !== 0) return c;
  }
  return strcmp(a.name, b.name) || a.index - b.index;
}

/** Scores already computed inputs (for callers that want to change them first). */
export function scoreInputs(info: SecurityInputs, options: ScoreOptions = {}): ScoreResult {
  const version = info.version;
  const base = { version, unit: info.unitName, inputs: info };
  if (info.refused) return { ...base, exposure: null, band: null, checks: [], refused: info.refused };
  const perr = policyError(options.policy, version);
  if (perr) return { ...base, exposure: null, band: null, checks: [], refused: { reason: perr, code: 'policy' } };

  const ctx = { seccompTable: options.seccompTable ?? 'distribution' } as const;
  const rows: Array<{ a: Assessor; index: number; badness: number | null; weight: number; range: number; description: string | null }> = [];
  let badnessSum = 0n;
  let weightSum = 0n;
  const assessors = assessorsFor(version);
  for (let index = 0; index < assessors.length; index++) {
    const a = assessors[index]!;
    const eff = applyPolicy(a, options.policy);
    let badness: number | null;
    let own: string | null = null;
    if (a.default_dependencies_only && !info.defaultDependencies) {
      badness = null;
      own = 'Service runs in special boot phase, option is not appropriate';
    } else if (eff.weight === 0) {
      badness = null;
      own = 'Option excluded by policy, skipping';
    } else {
      const r = ASSESS[a.kind](a, info, ctx);
      badness = r.badness;
      own = r.description;
    }
    if (eff.range <= 0) {
      return { ...base, exposure: null, band: null, checks: [], refused: { reason: `systemd-analyze aborts: policy range of ${a.json_field} is 0 (assertion 'range > 0')`, code: 'policy' } };
    }
    if (badness !== null) {
      if (badness > eff.range) {
        return {
          ...base,
          exposure: null,
          band: null,
          checks: [],
          refused: { reason: `systemd-analyze aborts: badness ${badness} of ${a.json_field} exceeds the policy range ${eff.range} (assertion 'badness <= range')`, code: 'policy' },
        };
      }
      badnessSum += weightedBadness(badness, eff.weight, eff.range);
      weightSum += BigInt(eff.weight);
    }
    let description: string | null;
    if (badness === null) description = eff.description_na;
    else if (badness === a.range) description = eff.description_bad;
    else if (badness === 0) description = eff.description_good;
    else description = null;
    if (own !== null) description = own;
    rows.push({ a, index, badness, weight: eff.weight, range: eff.range, description });
  }
  if (weightSum === 0n) {
    return { ...base, exposure: null, band: null, checks: [], refused: { reason: "systemd-analyze aborts: every check is excluded (assertion 'weight_sum > 0')", code: 'policy' } };
  }
  const checks: CheckResult[] = rows.map((r) => {
    const x = rowExposure(r.badness, r.weight, r.range, weightSum);
    return {
      json_field: r.a.json_field,
      name: r.a.id,
      set: r.badness === null ? null : r.badness === 0,
      exposure: x === null ? null : formatTenths(x),
      badness: r.badness,
      weight: r.weight,
      range: r.range,
      description: r.description,
      url: r.a.url,
      index: r.index,
    };
  });
  checks.sort(displayOrder);
  const e = overallExposure(badnessSum, weightSum);
  return { ...base, exposure: { tenths: e, text: formatTenths(e) }, band: bandOf(e), checks };
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
