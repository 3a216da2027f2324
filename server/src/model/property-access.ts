/**
 * Property accesses named by data, fast. In V8 a keyed access `o[k]` whose key changes from call to
 * call is megamorphic: a generic lookup every time (the hottest lines of suggest() and of deriving a
 * unit's inputs in CPU profiles). The functions here are compiled once per name, or list of names,
 * with the names written out, so every access is a plain property load or store:
 *  - inputAccess(): copying and comparing the few SecurityInputs a variant's derivations write;
 *  - getterOf() / setterOf(): one field of an object, `field` or `nested.field` (TypedValues paths).
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

/** Names come from our own types and tables, never from a unit; checked anyway, as they become code. */
export function checkedPath(path: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(path)) throw new Error(`not a property path: ${path}`);
  return path;
}

/** `(o) => o.path` compiled (path: `field` or `nested.field`). */
export function getterOf<T = unknown>(path: string): (o: object) => T {
  return new Function('o', `return o.${checkedPath(path)};`) as (o: object) => T;
}

/** `(o, v) => { o.path = v; }` compiled (path: `field` or `nested.field`). */
export function setterOf<T = unknown>(path: string): (o: object, v: T) => void {
  return new Function('o', 'v', `o.${checkedPath(path)} = v;`) as (o: object, v: T) => void;
}

function compile(names: readonly DerivedInput[]): InputAccess {
  for (const n of names) checkedPath(n);
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
