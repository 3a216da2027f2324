/**
 * Outcomes of suggestions' variants kept per plan, for the units they do not depend on. When a
 * variant's derived inputs depend only on a few folded values of the unit (AppendedVariants
 * .pureReads(): the unit sets none of the settings the drop-in names, so its own values of the
 * derived inputs depend on those same few values) and the checks reading them read only a few other
 * inputs of the unit (IncrementalScorer.shapeOf()), then the badness of those checks before and after, and so
 * the change of the score, is the same for every unit with the same such values. Most units leave
 * most sandbox settings unset, so a corpus has a handful of distinct ones per plan. Only primitive
 * values are kept, and compared with ===: never turned into key strings, which cost as much as
 * scoring the variant.
 */
import type { CheckTable } from '../engine';
import type { Outcome } from './incremental-scorer';

export interface OutcomeEntry {
  table: CheckTable;
  seccompTable: string;
  values: unknown[];
  inputs: unknown[];
  outcome: Outcome;
}

/** Entries kept per plan (most recent first); beyond this the oldest goes. */
const LIMIT = 8;

type Getters<T> = ReadonlyArray<(o: T) => unknown>;

function same<T>(entry: unknown[], getters: Getters<T>, from: T): boolean {
  for (let j = 0; j < getters.length; j++) if (getters[j]!(from) !== entry[j]) return false;
  return true;
}

/** The outcome kept in `entries` for these values, or undefined. */
export function findOutcome<V, I>(
  entries: readonly OutcomeEntry[],
  table: CheckTable,
  seccompTable: string,
  valueGetters: Getters<V>,
  values: V,
  inputGetters: Getters<I>,
  inputs: I,
): Outcome | undefined {
  for (const e of entries) {
    if (
      e.table === table &&
      e.seccompTable === seccompTable &&
      same(e.values, valueGetters, values) &&
      same(e.inputs, inputGetters, inputs)
    )
      return e.outcome;
  }
  return undefined;
}

/** Keeps an outcome, unless a value is an object (those are the unit's own: kept, they would only hold it in memory). */
export function keepOutcome<V, I>(
  entries: OutcomeEntry[],
  table: CheckTable,
  seccompTable: string,
  valueGetters: Getters<V>,
  values: V,
  inputGetters: Getters<I>,
  inputs: I,
  outcome: Outcome,
): void {
  const v = valueGetters.map((g) => g(values));
  const i = inputGetters.map((g) => g(inputs));
  if (!v.every(primitive) || !i.every(primitive)) return;
  if (entries.length >= LIMIT) entries.pop();
  entries.unshift({ table, seccompTable, values: v, inputs: i, outcome });
}

function primitive(x: unknown): boolean {
  return x === null || (typeof x !== 'object' && typeof x !== 'function');
}
