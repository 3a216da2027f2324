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
  /** In the order systemd prints them (see systemdRowOrder). Empty when refused. */
  checks: CheckResult[];
  /** Set when systemd would not score the unit. */
  refused?: Refusal | { reason: string; code: 'policy' };
  inputs: SecurityInputs;
}

/** strcmp() order on UTF-8 bytes. */
function strcmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The row order of the details table. systemd sorts the rows (header included) with qsort_r(),
 * which glibc implements as a top-down merge sort, using format-table's comparator: description
 * descending, then name ascending, then insertion order. A NULL description is a cell of another
 * type, which the comparator orders by insertion position (and, being the sort column, reversed);
 * the order is not transitive then, so the exact merge sort is replayed to place such rows.
 * From 258 format-table puts empty cells above all others (first, in descending order) instead.
 */
export function systemdRowOrder(rows: readonly CheckResult[], version: number): CheckResult[] {
  // Items are table row numbers: 0 is the header, check i is row i + 1.
  const emptyFirst = targetVersion(version) >= 262;
  const cmp = (x: number, y: number): number => {
    if (x === 0 && y === 0) return 0;
    if (x === 0) return -1;
    if (y === 0) return 1;
    const a = rows[x - 1]!;
    const b = rows[y - 1]!;
    let r: number;
    if (a.description !== null && b.description !== null) r = strcmp(a.description, b.description);
    else if (emptyFirst) r = (a.description === null ? 1 : 0) - (b.description === null ? 1 : 0);
    else r = x - y;
    if (r !== 0) return -r;
    r = strcmp(a.name, b.name);
    if (r !== 0) return r;
    return x - y;
  };
  const msort = (b: number[]): number[] => {
    const n = b.length;
    if (n <= 1) return b;
    const n1 = Math.floor(n / 2);
    const left = msort(b.slice(0, n1));
    const right = msort(b.slice(n1));
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < left.length && j < right.length) {
      if (cmp(left[i]!, right[j]!) <= 0) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
    while (i < left.length) out.push(left[i++]!);
    while (j < right.length) out.push(right[j++]!);
    return out;
  };
  const order = msort(Array.from({ length: rows.length + 1 }, (_, k) => k));
  return order.filter((k) => k !== 0).map((k) => rows[k - 1]!);
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
      name: r.a.name,
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
  const e = overallExposure(badnessSum, weightSum);
  return { ...base, exposure: { tenths: e, text: formatTenths(e) }, band: bandOf(e), checks: systemdRowOrder(checks, version) };
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
