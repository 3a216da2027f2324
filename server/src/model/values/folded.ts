/**
 * Shared shapes for the typed-value folds: each fold takes a setting's applied assignments in
 * order and returns the value systemd ends up with after loading, plus every problem systemd
 * logs (or refuses the unit for) on the way.
 */
import { valueSpan } from '../../syntax/parser';
import type { Assignment, ValueProblem } from '../unit-model';

/** The systemd releases whose behaviour is modelled (knowledge/versions.ts, from the data). */
export { type TargetVersion, targetVersion } from '../../knowledge/versions';

export interface Folded<T> {
  value: T;
  problems: ValueProblem[];
}

/** A problem on value characters [from, to) of an assignment (indexes into `assignment.value`). */
export function problemAt(
  a: Assignment,
  from: number,
  to: number,
  message: string,
  effect: ValueProblem['effect'] = 'ignored',
): ValueProblem {
  const f = Math.max(0, Math.min(from, a.value.length));
  const t = Math.max(f, Math.min(to, a.value.length));
  return { assignment: a, span: valueSpan(a.entry, f, t), message, effect };
}

/** A problem covering the whole value of an assignment (the `=` position when the value is empty). */
export function problemOnValue(
  a: Assignment,
  message: string,
  effect: ValueProblem['effect'] = 'ignored',
): ValueProblem {
  return problemAt(a, 0, a.value.length, message, effect);
}

/** systemd's isempty(): NULL or "". Values reach the parsers already stripped of outer whitespace. */
export function isEmpty(v: string): boolean {
  return v.length === 0;
}

/** `key=value` as systemd prints it in its messages. */
export function quote(s: string): string {
  return `'${s}'`;
}

/** A value as our messages show it: quoted, or "an empty value". */
export function shown(v: string): string {
  return v === '' ? 'an empty value' : `'${v}'`;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** What is wrong when extract_first_word() gives up on a value (an unbalanced quote or a bad escape). */
export const BAD_QUOTING = 'Unbalanced quote or invalid backslash escape';

/** The effect suffix of a fatal problem; security-inputs.ts rewrites it for drop-ins systemd stops reading. */
export const REFUSES = '; systemd refuses to load the unit';

/** The effect suffix of a problem that makes systemd drop the whole assignment. */
export function ignoresLine(a: Assignment): string {
  return `; systemd ignores this ${a.key}= line`;
}
