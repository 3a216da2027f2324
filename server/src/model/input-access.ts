/**
 * Copying and comparing a chosen list of SecurityInputs by name, fast. suggest() copies and compares
 * the few inputs a variant's derivations write, named by a list; in V8 a keyed access `o[k]` whose
 * key changes from call to call is megamorphic (a generic lookup every time: it was the hottest line
 * of suggest() in CPU profiles). The functions here are compiled once per list, with the names
 * written out, so every access is a plain property load or store.
 */
import type { DerivedInput } from './derive';
import type { SecurityInputs } from './security-types';

/** The array-valued inputs (compared by content, in order). */
export const LIST_INPUTS: ReadonlySet<DerivedInput> = new Set<DerivedInput>(['supplementaryGroups', 'deviceAllow', 'systemCallArchitectures', 'hostDependent']);
/** The set-valued inputs (compared by content). */
export const SET_INPUTS: ReadonlySet<DerivedInput> = new Set<DerivedInput>(['systemCallFilter']);

export interface InputAccess {
  readonly names: readonly DerivedInput[];
  /** Copies the named inputs from `from` to `to`. */
  copy(to: SecurityInputs, from: SecurityInputs): void;
  /**
   * Writes the index in `names` of each named input that differs between a and b (lists and sets by
   * content) to `out` (at least names.length long) from 0 on, and returns how many it wrote.
   */
  changed(a: SecurityInputs, b: SecurityInputs, out: Int32Array): number;
}

export function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameSet(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

const compiled = new Map<string, InputAccess>();

/** The access functions for `names` (compiled on first use, then shared). */
export function inputAccess(names: readonly DerivedInput[]): InputAccess {
  const key = names.join(',');
  let access = compiled.get(key);
  if (!access) compiled.set(key, (access = compile(names)));
  return access;
}

function compile(names: readonly DerivedInput[]): InputAccess {
  // The names come from the DerivedInput type, never from a unit; checked anyway, as they become code.
  for (const n of names) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(n)) throw new Error(`not an input name: ${n}`);
  const copyBody = names.map((n) => `to.${n} = from.${n};`).join('\n');
  const changedBody = names
    .map((n, j) => {
      if (LIST_INPUTS.has(n)) return `if (!sameList(a.${n}, b.${n})) out[k++] = ${j};`;
      if (SET_INPUTS.has(n)) return `if (!sameSet(a.${n}, b.${n})) out[k++] = ${j};`;
      return `if (a.${n} !== b.${n}) out[k++] = ${j};`;
    })
    .join('\n');
  const make = new Function('sameList', 'sameSet', `return [function copy(to, from) {\n${copyBody}\n}, function changed(a, b, out) {\nlet k = 0;\n${changedBody}\nreturn k;\n}];`) as (
    l: typeof sameList,
    s: typeof sameSet,
  ) => [InputAccess['copy'], InputAccess['changed']];
  const [copy, changed] = make(sameList, sameSet);
  return { names: [...names], copy, changed };
}
