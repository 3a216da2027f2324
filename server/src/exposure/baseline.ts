/**
 * The incremental scorer of suggest(): the unit scored check by check, so that a variant (the unit
 * with a suggestion's drop-in) re-assesses only the checks reading an input that changed (for the
 * capability and namespace masks: the checks of the flipped bits) and adjusts the sums.
 */
import type { SecurityInputs } from '../model/security-inputs';
import { DERIVATIONS } from '../model/derive';
import { GET_INPUT, type InputAccess, inputAccess } from '../model/property-access';
import { overallExposureN, weightedBadnessN } from './arithmetic';
import type { CheckContext } from './checks';
import { assessCheck, type CheckTable, checkTable } from './engine';
import { policyAbort, type ScoreOptions, type ScoreResult } from './score';

/** Every derived input: a variant's candidates when any of them may differ (appendedInputs()'s). */
const ALL_INPUTS = inputAccess(DERIVATIONS.flatMap((d) => d.writes));

/**
 * The SecurityInputs properties that differ between two inputs (lists and sets by content): every
 * property an assess function may read. suggest-reference.test.ts holds this to the check tables.
 */
export function changedInputs(a: SecurityInputs, b: SecurityInputs, out: Array<keyof SecurityInputs>): void {
  if (a.version !== b.version) out.push('version');
  const at = new Int32Array(ALL_INPUTS.names.length);
  const n = ALL_INPUTS.changed(a, b, at);
  for (let k = 0; k < n; k++) out.push(ALL_INPUTS.names[at[k]!]!);
}

/**
 * Scratch of Baseline.variant(), shared (variants are scored one at a time, never nested): per check,
 * the stamp of the variant that last re-assessed it; the indices of a variant's changed inputs.
 */
let SEEN = new Uint32Array(128);
let STAMP = 0;
let CHANGED_AT = new Int32Array(64);

function nextStamp(): number {
  STAMP = (STAMP + 1) >>> 0;
  if (STAMP === 0) {
    SEEN.fill(0);
    STAMP = 1;
  }
  return STAMP;
}

/**
 * The base unit scored check by check, so that a variant only re-assesses the checks whose inputs
 * changed and adjusts the sums.
 */
export class Baseline {
  private readonly badness: Array<number | null>;
  private readonly badnessSum: number;
  private readonly weightSum: number;
  /** The current variant's mark in SEEN. */
  private stamp = 0;
  private readonly routes: Map<InputAccess, readonly Route[]>;
  private readonly ctx: CheckContext;
  /** After variant() answered true: the overall exposure (tenths) and the badness of the check asked about. */
  tenths = 0;
  own: number | null = null;
  /** Running sums of the current variant. */
  private sumB = 0;
  private sumW = 0;
  private v: SecurityInputs | null = null;
  private index = -1;

  static of(info: SecurityInputs, base: ScoreResult, options: ScoreOptions): Baseline | null {
    const table = checkTable(info.version, options.policy);
    return table.doubles ? new Baseline(info, table, base, options) : null;
  }

  private constructor(
    private readonly info: SecurityInputs,
    private readonly table: CheckTable,
    base: ScoreResult,
    options: ScoreOptions,
  ) {
    this.badness = new Array(table.checks.length).fill(null);
    let badnessSum = 0;
    let weightSum = 0;
    for (const c of base.checks) {
      this.badness[c.index] = c.badness;
      if (c.badness !== null) {
        badnessSum += weightedBadnessN(c.badness, c.weight, c.range);
        weightSum += c.weight;
      }
    }
    this.badnessSum = badnessSum;
    this.weightSum = weightSum;
    if (SEEN.length < table.checks.length) SEEN = new Uint32Array(table.checks.length);
    this.ctx = { seccompTable: options.seccompTable ?? 'distribution' };
    let routes = tableRoutes.get(table);
    if (!routes) tableRoutes.set(table, (routes = new Map()));
    this.routes = routes;
  }

  /** Re-assesses check i for the current variant and adjusts the sums; false when systemd would abort. */
  private visit(i: number): boolean {
    if (SEEN[i] === this.stamp) return true;
    SEEN[i] = this.stamp;
    const c = this.table.checks[i]!;
    const after = assessCheck(c, this.v!, this.ctx).badness;
    const before = this.badness[i]!;
    if (i === this.index) this.own = after;
    if (after === before) return true;
    if (policyAbort(c, after, this.table)) return false;
    if (before !== null) {
      this.sumB -= weightedBadnessN(before, c.eff.weight, c.eff.range);
      this.sumW -= c.eff.weight;
    }
    if (after !== null) {
      this.sumB += weightedBadnessN(after, c.eff.weight, c.eff.range);
      this.sumW += c.eff.weight;
    }
    return true;
  }

  /** The checks that read one input: per bit for the masks. */
  private visitInput(prop: keyof SecurityInputs, route: Route): boolean {
    if (route.bits) {
      // A mask: only the checks of the flipped bits can change.
      const flipped = maskOf(this.info, prop) ^ maskOf(this.v!, prop);
      let word = Number(flipped & 0xffffffffn);
      while (word !== 0) {
        const bit = 31 - Math.clz32(word);
        word = (word ^ (1 << bit)) >>> 0;
        for (const i of route.bits.byBit[bit]!) if (!this.visit(i)) return false;
      }
      word = Number(flipped >> 32n);
      while (word !== 0) {
        const bit = 31 - Math.clz32(word);
        word = (word ^ (1 << bit)) >>> 0;
        for (const i of route.bits.byBit[32 + bit]!) if (!this.visit(i)) return false;
      }
      for (const i of route.bits.others) if (!this.visit(i)) return false;
      return true;
    }
    if (route.readers) for (const i of route.readers) if (!this.visit(i)) return false;
    return true;
  }

  private routesOf(access: InputAccess): readonly Route[] {
    let routes = this.routes.get(access);
    if (!routes) this.routes.set(access, (routes = access.names.map((n) => routeOf(this.table, n))));
    return routes;
  }

  /**
   * Scores the variant `v` (its `candidates`: the inputs that may differ, null for any): true with
   * `tenths` and `own` (the badness of check `index`) set, false when systemd would not score it.
   */
  variant(v: SecurityInputs, index: number, candidates: InputAccess | null): boolean {
    if (v.refused) return false;
    this.v = v;
    this.index = index;
    this.sumB = this.badnessSum;
    this.sumW = this.weightSum;
    this.own = this.badness[index]!;
    this.stamp = nextStamp();
    const access = candidates ?? ALL_INPUTS;
    if (CHANGED_AT.length < access.names.length) CHANGED_AT = new Int32Array(access.names.length);
    const changed = CHANGED_AT;
    const n = access.changed(this.info, v, changed);
    if (n) {
      const routes = this.routesOf(access);
      for (let k = 0; k < n; k++) {
        const j = changed[k]!;
        if (!this.visitInput(access.names[j]!, routes[j]!)) return false;
      }
    }
    if (this.sumW === 0) return false;
    this.tenths = overallExposureN(this.sumB, this.sumW);
    return true;
  }

  /** The unit's inputs (read by the outcome memo). */
  get inputs(): SecurityInputs {
    return this.info;
  }

  /** The check table and libseccomp table the unit is scored with (outcomes are kept per both). */
  get checkTable(): CheckTable {
    return this.table;
  }

  get seccompTable(): string {
    return this.ctx.seccompTable;
  }

  /**
   * What the variant `v` changes, given `shape`: the checks reading the inputs the variant can change
   * (no other check can change). The change of both sums, and the badness after of check `index`.
   */
  outcomeOf(shape: OutcomeShape, v: SecurityInputs, index: number): Outcome {
    let dB = 0;
    let dW = 0;
    let own: number | null | undefined;
    for (let k = 0; k < shape.checks.length; k++) {
      const i = shape.checks[k]!;
      const c = this.table.checks[i]!;
      const after = assessCheck(c, v, this.ctx).badness;
      const before = this.badness[i]!;
      if (i === index) own = after;
      if (after === before) continue;
      if (policyAbort(c, after, this.table)) return ABORTED;
      if (before !== null) {
        dB -= weightedBadnessN(before, c.eff.weight, c.eff.range);
        dW -= c.eff.weight;
      }
      if (after !== null) {
        dB += weightedBadnessN(after, c.eff.weight, c.eff.range);
        dW += c.eff.weight;
      }
    }
    return { scored: true, dB, dW, own };
  }

  /** Scores a variant from its outcome: true with `tenths` and `own` set, false when systemd would not score it. */
  applyOutcome(outcome: Outcome, index: number): boolean {
    if (!outcome.scored) return false;
    const sumW = this.weightSum + outcome.dW;
    if (sumW === 0) return false;
    this.own = outcome.own === undefined ? this.badness[index]! : outcome.own;
    this.tenths = overallExposureN(this.badnessSum + outcome.dB, sumW);
    return true;
  }

  /** The checks reading `writes`, and the other inputs they read. */
  shapeOf(writes: InputAccess): OutcomeShape {
    let byWrites = shapes.get(this.table);
    if (!byWrites) shapes.set(this.table, (byWrites = new Map()));
    let shape = byWrites.get(writes);
    if (!shape) byWrites.set(writes, (shape = outcomeShape(this.table, writes)));
    return shape;
  }
}

/**
 * What a variant changes in the score: the change of the badness and weight sums, and the badness
 * after of the check it was made for (undefined: unchanged). Not scored: systemd would abort.
 */
export type Outcome = { scored: true; dB: number; dW: number; own: number | null | undefined } | { scored: false };

const ABORTED: Outcome = { scored: false };

/** The checks that read a variant's derived inputs, and what else they read (from the unit's inputs). */
export interface OutcomeShape {
  checks: Int32Array;
  getters: ReadonlyArray<(o: SecurityInputs) => unknown>;
}

const shapes = new WeakMap<CheckTable, Map<InputAccess, OutcomeShape>>();

function outcomeShape(table: CheckTable, writes: InputAccess): OutcomeShape {
  const written = new Set<string>(writes.names);
  const checks = new Set<number>();
  for (const n of writes.names) for (const i of table.readers.get(n) ?? []) checks.add(i);
  const others = new Set<keyof SecurityInputs>();
  for (const i of checks) for (const p of table.checks[i]!.reads) if (!written.has(p)) others.add(p);
  return { checks: Int32Array.from([...checks].sort((a, b) => a - b)), getters: [...others].map((p) => GET_INPUT[p]) };
}

/** Where a changed input leads in a check table. */
interface Route {
  readers: readonly number[] | undefined;
  bits: { byBit: ReadonlyArray<readonly number[]>; others: readonly number[] } | undefined;
}

const tableRoutes = new WeakMap<CheckTable, Map<InputAccess, readonly Route[]>>();

function routeOf(table: CheckTable, prop: keyof SecurityInputs): Route {
  return { readers: table.readers.get(prop), bits: table.bitReaders.get(prop) };
}

function maskOf(info: SecurityInputs, prop: keyof SecurityInputs): bigint {
  switch (prop) {
    case 'capabilityBoundingSet':
      return info.capabilityBoundingSet;
    case 'ambientCapabilities':
      return info.ambientCapabilities;
    case 'restrictNamespaces':
      return info.restrictNamespaces;
    default:
      return info[prop] as unknown as bigint;
  }
}
