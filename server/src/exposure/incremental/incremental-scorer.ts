/**
 * The incremental scorer: the unit scored check by check, so that a variant (the unit with a
 * suggestion's drop-in) re-assesses only the checks reading an input that changed (for the
 * capability and namespace masks: the checks of the flipped bits) and adjusts the sums.
 *
 * The sums are kept in doubles (arithmetic.ts): a table whose sums do not fit them (a policy with huge
 * weights) has no incremental scorer, and the variants are rebuilt and scored by score().
 */
import type { SecurityInputs } from '../../model/security-inputs';
import { DERIVATIONS } from '../../model/derive';
import { GET_INPUT, type InputAccess, inputAccess } from '../../model/property-access';
import { overallExposureInDoubles, weightedBadnessInDoubles } from '../arithmetic';
import { BITS, type CheckContext, READS } from '../checks';
import { assessCheck, type CheckTable, checkTable, type PreparedCheck } from '../engine';
import { policyAbort, type ScoreOptions, type ScoreResult } from '../score';

/** Every derived input: a variant's candidates when any of them may differ. */
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

/** The SecurityInputs a check's result depends on (its READS entry, and DefaultDependencies= for boot-phase checks). */
export function readsOf(c: PreparedCheck): ReadonlyArray<keyof SecurityInputs> {
  const reads = READS[c.assessor.kind](c.assessor);
  return c.defaultDependenciesOnly ? [...reads, 'defaultDependencies'] : reads;
}

/** What the incremental scorer needs of a check table, prepared once per table. */
interface Readers {
  /** Per check: the SecurityInputs it reads. */
  reads: ReadonlyArray<ReadonlyArray<keyof SecurityInputs>>;
  /** SecurityInputs property → the checks (indexes) that read it. */
  byInput: ReadonlyMap<keyof SecurityInputs, readonly number[]>;
  /**
   * For the mask-valued inputs: per bit (0..63) the checks that test it, and the other readers.
   * A changed mask only concerns the checks of its flipped bits.
   */
  byBit: ReadonlyMap<keyof SecurityInputs, BitReaders>;
  /** Per candidate list (a drop-in's `writes`): where each input leads. */
  routes: Map<InputAccess, readonly Route[]>;
  /** Per candidate list: the outcome shape (outcome-memo.ts). */
  shapes: Map<InputAccess, OutcomeShape>;
}

interface BitReaders {
  byBit: ReadonlyArray<readonly number[]>;
  others: readonly number[];
}

/** Where a changed input leads in a check table. */
interface Route {
  readers: readonly number[] | undefined;
  bits: BitReaders | undefined;
}

const readersByTable = new WeakMap<CheckTable, Readers>();

function readersOf(table: CheckTable): Readers {
  let r = readersByTable.get(table);
  if (r) return r;
  const reads = table.checks.map(readsOf);
  const byInput = new Map<keyof SecurityInputs, number[]>();
  for (const c of table.checks) {
    for (const p of reads[c.index]!) {
      const l = byInput.get(p);
      if (l) l.push(c.index);
      else byInput.set(p, [c.index]);
    }
  }
  const byBit = new Map<keyof SecurityInputs, BitReaders>();
  for (const prop of ['capabilityBoundingSet', 'restrictNamespaces'] as const) {
    const perBit: number[][] = Array.from({ length: 64 }, () => []);
    const others: number[] = [];
    for (const i of byInput.get(prop) ?? []) {
      const a = table.checks[i]!.assessor;
      const bits = BITS[a.kind]?.(a);
      if (bits?.prop !== prop) {
        others.push(i);
        continue;
      }
      for (let bit = 0; bit < 64; bit++) if ((bits.mask >> BigInt(bit)) & 1n) perBit[bit]!.push(i);
    }
    byBit.set(prop, { byBit: perBit, others });
  }
  r = { reads, byInput, byBit, routes: new Map(), shapes: new Map() };
  readersByTable.set(table, r);
  return r;
}

/**
 * Scratch of IncrementalScorer.variant(), shared (variants are scored one at a time, never nested):
 * per check, the stamp of the variant that last re-assessed it; the indices of a variant's changed inputs.
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

export class IncrementalScorer {
  /** The unit's badness per check (by assessor index). */
  private readonly badness: Array<number | null>;
  private readonly unitBadnessSum: number;
  private readonly unitWeightSum: number;
  /** The current variant's mark in SEEN. */
  private stamp = 0;
  private readonly ctx: CheckContext;
  /** After variant() or applyOutcome() answered true: the overall exposure (tenths) and the badness of the check asked about. */
  tenths = 0;
  checkBadness: number | null = null;
  /** Running sums of the current variant. */
  private variantBadnessSum = 0;
  private variantWeightSum = 0;
  private variantInputs: SecurityInputs | null = null;
  private index = -1;

  /** The scorer of a unit (`info`, scored as `base`), or null when the table's sums do not fit doubles. */
  static of(info: SecurityInputs, base: ScoreResult, options: ScoreOptions): IncrementalScorer | null {
    const table = checkTable(info.version, options.policy);
    const readers = readersOf(table);
    return table.fitsInDoubles ? new IncrementalScorer(info, table, readers, base, options) : null;
  }

  private constructor(
    private readonly info: SecurityInputs,
    private readonly table: CheckTable,
    private readonly readers: Readers,
    base: ScoreResult,
    options: ScoreOptions,
  ) {
    this.badness = new Array(table.checks.length).fill(null);
    let badnessSum = 0;
    let weightSum = 0;
    for (const c of base.checks) {
      this.badness[c.index] = c.badness;
      if (c.badness !== null) {
        badnessSum += weightedBadnessInDoubles(c.badness, c.weight, c.range);
        weightSum += c.weight;
      }
    }
    this.unitBadnessSum = badnessSum;
    this.unitWeightSum = weightSum;
    if (SEEN.length < table.checks.length) SEEN = new Uint32Array(table.checks.length);
    this.ctx = { seccompTable: options.seccompTable ?? 'distribution' };
  }

  /** Re-assesses check i for the current variant and adjusts the sums; false when systemd would abort. */
  private visit(i: number): boolean {
    if (SEEN[i] === this.stamp) return true;
    SEEN[i] = this.stamp;
    const c = this.table.checks[i]!;
    const after = assessCheck(c, this.variantInputs!, this.ctx).badness;
    const before = this.badness[i]!;
    if (i === this.index) this.checkBadness = after;
    if (after === before) return true;
    if (policyAbort(c, after, this.table)) return false;
    if (before !== null) {
      this.variantBadnessSum -= weightedBadnessInDoubles(before, c.effective.weight, c.effective.range);
      this.variantWeightSum -= c.effective.weight;
    }
    if (after !== null) {
      this.variantBadnessSum += weightedBadnessInDoubles(after, c.effective.weight, c.effective.range);
      this.variantWeightSum += c.effective.weight;
    }
    return true;
  }

  /** The checks that read one input: per bit for the masks. */
  private visitInput(prop: keyof SecurityInputs, route: Route): boolean {
    if (route.bits) {
      // A mask: only the checks of the flipped bits can change.
      const flipped = maskOf(this.info, prop) ^ maskOf(this.variantInputs!, prop);
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
    const { routes, byInput, byBit } = this.readers;
    let r = routes.get(access);
    if (!r) routes.set(access, (r = access.names.map((n) => ({ readers: byInput.get(n), bits: byBit.get(n) }))));
    return r;
  }

  /**
   * Scores the variant `v` (its `candidates`: the inputs that may differ, null for any): true with
   * `tenths` and `checkBadness` (the badness of check `index`, -1 for none) set, false when systemd
   * would not score it.
   */
  variant(v: SecurityInputs, index: number, candidates: InputAccess | null): boolean {
    if (v.refused) return false;
    this.variantInputs = v;
    this.index = index;
    this.variantBadnessSum = this.unitBadnessSum;
    this.variantWeightSum = this.unitWeightSum;
    this.checkBadness = this.badness[index] ?? null;
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
    if (this.variantWeightSum === 0) return false;
    this.tenths = overallExposureInDoubles(this.variantBadnessSum, this.variantWeightSum);
    return true;
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
    let badnessSumChange = 0;
    let weightSumChange = 0;
    let checkBadness: number | null | undefined;
    for (let k = 0; k < shape.checks.length; k++) {
      const i = shape.checks[k]!;
      const c = this.table.checks[i]!;
      const after = assessCheck(c, v, this.ctx).badness;
      const before = this.badness[i]!;
      if (i === index) checkBadness = after;
      if (after === before) continue;
      if (policyAbort(c, after, this.table)) return ABORTED;
      if (before !== null) {
        badnessSumChange -= weightedBadnessInDoubles(before, c.effective.weight, c.effective.range);
        weightSumChange -= c.effective.weight;
      }
      if (after !== null) {
        badnessSumChange += weightedBadnessInDoubles(after, c.effective.weight, c.effective.range);
        weightSumChange += c.effective.weight;
      }
    }
    return { scored: true, badnessSumChange, weightSumChange, checkBadness };
  }

  /** Scores a variant from its outcome: true with `tenths` and `checkBadness` set, false when systemd would not score it. */
  applyOutcome(outcome: Outcome, index: number): boolean {
    if (!outcome.scored) return false;
    const variantWeightSum = this.unitWeightSum + outcome.weightSumChange;
    if (variantWeightSum === 0) return false;
    this.checkBadness = outcome.checkBadness === undefined ? (this.badness[index] ?? null) : outcome.checkBadness;
    this.tenths = overallExposureInDoubles(this.unitBadnessSum + outcome.badnessSumChange, variantWeightSum);
    return true;
  }

  /** The checks reading `writes`, and the other inputs they read. */
  shapeOf(writes: InputAccess): OutcomeShape {
    const { shapes } = this.readers;
    let shape = shapes.get(writes);
    if (!shape) shapes.set(writes, (shape = outcomeShape(this.readers, writes)));
    return shape;
  }
}

/**
 * What a variant changes in the score: the change of the badness and weight sums, and the badness
 * after of the check it was made for (undefined: unchanged). Not scored: systemd would abort.
 */
export type Outcome =
  | { scored: true; badnessSumChange: number; weightSumChange: number; checkBadness: number | null | undefined }
  | { scored: false };

const ABORTED: Outcome = { scored: false };

/** The checks that read a variant's derived inputs, and what else they read (from the unit's inputs). */
export interface OutcomeShape {
  checks: Int32Array;
  getters: ReadonlyArray<(o: SecurityInputs) => unknown>;
}

function outcomeShape(readers: Readers, writes: InputAccess): OutcomeShape {
  const written = new Set<string>(writes.names);
  const checks = new Set<number>();
  for (const n of writes.names) for (const i of readers.byInput.get(n) ?? []) checks.add(i);
  const others = new Set<keyof SecurityInputs>();
  for (const i of checks) for (const p of readers.reads[i]!) if (!written.has(p)) others.add(p);
  return { checks: Int32Array.from([...checks].sort((a, b) => a - b)), getters: [...others].map((p) => GET_INPUT[p]) };
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
