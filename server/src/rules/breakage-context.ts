/**
 * What every finder of a breaks-… rule shares: the facts it reads about the unit (Context), and the
 * helpers that place a finding and its fix (the span of an assignment, a line added after it).
 */
import type { TypedValues } from '../model/security-types';
import type { ServiceNeeds } from '../knowledge/service-needs';
import type { Assignment, UnitModel } from '../model/unit-model';
import type { TextEdit } from './diagnostic';

/** What the findings read about the unit (each finder of a breaks-… rule takes it). */
export interface Context {
  model: UnitModel;
  /** The typed values of the merged unit's settings (model/security-inputs.ts: typedValues). */
  values: TypedValues;
  /** What server/data/service-needs.json records of the service (by unit name or main program), if anything. */
  needs: ServiceNeeds | undefined;
  /** The unit's name, as the messages say it. */
  name: string;
}

/** Whether `path` is `dir` or lies below it. */
export function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** An edit that adds `lines` right after an assignment (so they apply after it, in the same file). */
export function lineAfter(a: Assignment, lines: readonly string[]): TextEdit {
  const text = a.file.tree.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let end = lineSpan(a).end;
  while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
  const atEol = end < text.length;
  let at = end;
  if (atEol) at += text.startsWith('\r\n', end) ? 2 : 1;
  return { file: a.file.path, span: { start: at, end: at }, newText: `${atEol ? '' : eol}${lines.join(eol)}${eol}` };
}

/** Whichever of two assignments systemd reads last (later files, then later in the file). */
export function later(a: Assignment, b: Assignment): Assignment {
  if (a.file.order !== b.file.order) return a.file.order > b.file.order ? a : b;
  return a.entry.keySpan.start > b.entry.keySpan.start ? a : b;
}

/** From the key to the end of the value (the entry's own span runs to the end of its line). */
export function lineSpan(a: Assignment): { start: number; end: number } {
  const e = a.entry;
  return { start: e.keySpan.start, end: Math.max(e.valueSpan.end, e.keySpan.end + 1) };
}

/** What a finding from service-needs.json assumed: the package and configuration its facts were measured with. */
export function assumed(needs: ServiceNeeds): string {
  return `(assuming ${needs.assumes})`;
}
