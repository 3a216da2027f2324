/**
 * The check table of score(), prepared once per systemd version (and policy): each check with its
 * assess function and the policy applied, and whether its sums fit in doubles; and systemd's row order computed with precomputed string
 * ranks instead of a UTF-8 strcmp() per comparison.
 */
import { releaseBehaviour } from '../knowledge/release-behaviour';
import type { SecurityInputs } from '../model/security-inputs';
import { type TargetVersion, targetVersion } from '../model/values/folded';
import { fitsInDoubles } from './arithmetic';
import { type Assessor, assessorsFor } from './assessors';
import { ASSESS, type Assessment, type AssessFn, type CheckContext, PREPARE } from './checks';
import { applyPolicy, type EffectiveCheck, type Policy } from './policy';

export const BOOT_PHASE = 'Service runs in special boot phase, option is not appropriate';
/** The n/a text of a unit in the special boot phase; its end changed in 248 (247.4), see `logic.naText`. */
export function bootPhaseText(version: number): string {
  return `Service runs in special boot phase, ${releaseBehaviour(version).logic.naText}`;
}
export const EXCLUDED_BY_POLICY = 'Option excluded by policy, skipping';

export interface PreparedCheck {
  assessor: Assessor;
  /** Position in the version's assessor table. */
  index: number;
  /** Weight, range and texts after the policy. */
  effective: EffectiveCheck;
  assess: AssessFn;
  /** n/a with DefaultDependencies=no. */
  defaultDependenciesOnly: boolean;
  /** What it gives then (the release's words). */
  bootPhase: Assessment;
}

export interface CheckTable {
  version: TargetVersion;
  checks: readonly PreparedCheck[];
  /** The first check whose policy range is 0 (systemd aborts on it), or -1. */
  zeroRange: number;
  /** Every weight and range is small enough for exact double arithmetic (arithmetic.ts). */
  fitsInDoubles: boolean;
}

const defaults = new Map<TargetVersion, CheckTable>();
const withPolicy = new WeakMap<object, Map<TargetVersion, CheckTable>>();

/** The prepared check table of a version under a policy (cached per version and policy object). */
export function checkTable(version: number, policy: Policy): CheckTable {
  const v = targetVersion(version);
  let cache = defaults;
  if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) {
    let m = withPolicy.get(policy);
    if (!m) withPolicy.set(policy, (m = new Map()));
    cache = m;
  } else policy = undefined; // applyPolicy() ignores anything but an object
  let t = cache.get(v);
  if (t) return t;
  const bootPhase: Assessment = Object.freeze({ badness: null, description: bootPhaseText(v) });
  const checks: PreparedCheck[] = assessorsFor(v).map((assessor, index) => ({
    assessor,
    index,
    effective: applyPolicy(assessor, policy),
    assess: PREPARE[assessor.kind]?.(assessor) ?? ASSESS[assessor.kind],
    defaultDependenciesOnly: assessor.default_dependencies_only,
    bootPhase,
  }));
  t = {
    version: v,
    checks,
    zeroRange: checks.findIndex((c) => c.effective.range <= 0),
    fitsInDoubles: fitsInDoubles(
      checks.map((c) => ({ weight: c.effective.weight, range: c.effective.range, maxBadness: c.assessor.range })),
    ),
  };
  cache.set(v, t);
  return t;
}

const NOT_APPLICABLE_POLICY: Assessment = Object.freeze({ badness: null, description: EXCLUDED_BY_POLICY });

/** One check of assess(): n/a for the boot phase or by policy, else its assess function. */
export function assessCheck(c: PreparedCheck, info: SecurityInputs, ctx: CheckContext): Assessment {
  if (c.defaultDependenciesOnly && !info.defaultDependencies) return c.bootPhase;
  if (c.effective.weight === 0) return NOT_APPLICABLE_POLICY;
  return c.assess(c.assessor, info, ctx);
}

/** strcmp() of the UTF-8 encodings. */
export function strcmp(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Below the surrogates, code unit order is code point order is UTF-8 byte order.
      if (x < 0xd800 && y < 0xd800) return x - y;
      return utf8Compare(a, b);
    }
  }
  if (n > 0 && a.charCodeAt(n - 1) >= 0xd800) return utf8Compare(a, b);
  return a.length - b.length;
}

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Ranks of strings in strcmp() order: seeded with every name and description of the assessor
 * tables; other strings (computed descriptions, policy texts) are inserted when first seen.
 */
class StringOrder {
  private sorted: string[] = [];
  private ranks = new Map<string, number>();
  static readonly LIMIT = 50_000;

  constructor(private readonly seed: readonly string[]) {
    this.reset();
  }

  get size(): number {
    return this.sorted.length;
  }

  reset(): void {
    this.sorted = [...new Set(this.seed)].sort(strcmp);
    this.ranks = new Map(this.sorted.map((s, i) => [s, i]));
  }

  /** Makes sure `s` has a rank (ranks of others may move). */
  add(s: string): void {
    if (this.ranks.has(s)) return;
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strcmp(this.sorted[mid]!, s) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.sorted.splice(lo, 0, s);
    for (let i = lo; i < this.sorted.length; i++) this.ranks.set(this.sorted[i]!, i);
  }

  rank(s: string): number {
    return this.ranks.get(s)!;
  }

  rankOrUndefined(s: string): number | undefined {
    return this.ranks.get(s);
  }
}

let order: StringOrder | null = null;

function stringOrder(): StringOrder {
  if (!order) {
    const seed: string[] = [];
    for (const v of [252, 254, 257, 262]) {
      for (const a of assessorsFor(v)) {
        seed.push(a.name);
        for (const d of [a.description_good, a.description_bad, a.description_na]) if (d !== null) seed.push(d);
      }
    }
    seed.push(BOOT_PHASE, EXCLUDED_BY_POLICY);
    order = new StringOrder(seed);
  }
  return order;
}

export interface OrderRow {
  name: string;
  description: string | null;
  weight: number;
}

/**
 * The row order of the details table. systemd sorts the rows (header included) with qsort_r(),
 * which glibc implements as a top-down merge sort, using format-table's comparator: description
 * descending, then name ascending, then insertion order. A NULL description is a cell of another
 * type, which the comparator orders by insertion position (and, being the sort column, reversed);
 * the order is not transitive then, so the exact merge sort is replayed to place such rows.
 * From 258 format-table puts empty cells above all others (first, in descending order) instead.
 *
 * When the order is total (no NULL, or 258+), any sort gives glibc's result: the rows are sorted
 * by one number each (description rank, name rank, position).
 */
export function rowOrder<T extends OrderRow>(rows: readonly T[], version: number): T[] {
  if (releaseBehaviour(version).rowOrder === 'weight') return weightOrder(rows);
  const emptyFirst = targetVersion(version) >= 262;
  const n = rows.length;
  let hasNull = false;
  for (let i = 0; i < n; i++) if (rows[i]!.description === null) hasNull = true;
  if ((hasNull && !emptyFirst) || n >= 128) return replayMergeSort(rows, emptyFirst);
  const so = stringOrder();
  if (so.size + 2 * n >= StringOrder.LIMIT) so.reset();
  const R = StringOrder.LIMIT + 1;
  if (ROW_KEYS.length < n) ROW_KEYS = new Float64Array(n);
  const keys = ROW_KEYS.subarray(0, n);
  for (let pass = 0; pass < 2; pass++) {
    let missing = false;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      // Description descending (empty first), name ascending, then position.
      const nr = so.rankOrUndefined(r.name);
      const dr = r.description === null ? R : so.rankOrUndefined(r.description);
      if (nr === undefined || dr === undefined) {
        missing = true;
        break;
      }
      keys[i] = ((R - dr) * R + nr) * 128 + i;
    }
    if (!missing) break;
    // New strings (computed descriptions): rank them all, then compute every key again.
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      so.add(r.name);
      if (r.description !== null) so.add(r.description);
    }
  }
  keys.sort();
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    out[i] = rows[k - Math.floor(k / 128) * 128]!; // k % 128 without a floating-point modulo
  }
  return out;
}

/**
 * The row order before 250: the details table sorted on its weight column, descending, then by name
 * ascending (table_set_sort(3, 1) with columns " ", name, description, weight, …; 4b4a8ef741 inserted
 * json_field in 250, which moved the sort onto the description). Weights are numbers, never NULL, and
 * no two rows share a name, so the order is total.
 */
function weightOrder<T extends OrderRow>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.weight - a.weight || strcmp(a.name, b.name));
}

/** Scratch keys of rowOrder() (it does not re-enter itself). */
let ROW_KEYS = new Float64Array(128);

/** glibc's msort_with_tmp() with format-table's comparator, item 0 being the header row. */
function replayMergeSort<T extends OrderRow>(rows: readonly T[], emptyFirst: boolean): T[] {
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
  const items = Array.from({ length: rows.length + 1 }, (_, k) => k);
  const tmp = new Array<number>(items.length);
  const msort = (lo: number, hi: number): void => {
    const len = hi - lo;
    if (len <= 1) return;
    const mid = lo + Math.floor(len / 2);
    msort(lo, mid);
    msort(mid, hi);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) {
      if (cmp(items[i]!, items[j]!) <= 0) tmp[k++] = items[i++]!;
      else tmp[k++] = items[j++]!;
    }
    while (i < mid) tmp[k++] = items[i++]!;
    while (j < hi) tmp[k++] = items[j++]!;
    for (let t = lo; t < hi; t++) items[t] = tmp[t]!;
  };
  msort(0, items.length);
  const out: T[] = [];
  for (const k of items) if (k !== 0) out.push(rows[k - 1]!);
  return out;
}
