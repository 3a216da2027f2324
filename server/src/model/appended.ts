/**
 * A unit with one more drop-in appended after all of its files (what a suggestion adds), computed
 * from the unit's own folds: only the setting groups the drop-in names are folded again, and only the
 * inputs derived from those (derive.ts). appendedInputs() answers for one drop-in; AppendedVariants
 * for many drop-ins tried one at a time on the same unit, almost without allocating.
 */
import { isKnown } from '../knowledge/directives';
import { parseUnitFile } from '../syntax/parser';
import type { UnitFileTree } from '../syntax/types';
import { buildUnit } from './build';
import type { Assignment, LoadedFile, SourceFile, UnitModel, ValueProblem } from './types';
import { refusalOf } from './refusal';
import { deriveEnv, deriveInputs, derivationsReading, type DeriveEnv, type PartialDerivation } from './derive';
import { GET_FIELD, type InputAccess, inputAccess } from './property-access';
import { type SecurityInputOptions, type SecurityInputs, type TypedValues } from './security-types';

import { type FoldState, foldState, securityInputs, sortedProblems } from './security-inputs';
import { GROUPS, type GroupResult, keysOf, NO_ASSIGNMENTS, type TypeKeys } from './groups';

/** What appendedInputs() returns. */
export interface AppendedInputs {
  inputs: SecurityInputs;
  /** Problems systemd would report for lines of the appended file (warnings, ignored values, ...). */
  dropinProblems: number;
  /** Entries of the appended file systemd would not apply (unknown keys, sections, ...). */
  dropinIgnored: number;
}

interface SyntheticFile {
  version: number;
  type: string | null;
  tree: UnitFileTree;
  /** Entries systemd would apply, with their section and `Section.Key`. */
  entries: Array<{ entry: UnitFileTree['entries'][number]; section: string; full: string }>;
  ignored: number;
  /** The groups its settings belong to. */
  touched: number[];
  /** It sets something only a full fold handles (a setting read from the model itself). */
  needsFullFold: boolean;
  /** No value holds a `%` specifier: folding it from a setting's default does not depend on the unit. */
  plain: boolean;
  /**
   * Per group (and libseccomp table): the clean result of folding this file's lines from the
   * group's defaults, shared by every unit that does not set the group's settings itself.
   */
  fromDefaults: Map<number, GroupResult>;
  /** The derivations that read what the touched groups write, and the inputs they can change. */
  derive: PartialDerivation;
  /** For pureReads(): what else of the unit those derivations read (filled in on first use). */
  external: ExternalReads | undefined;
}

/** The fields the derivations of a drop-in read besides the ones its groups write. */
interface ExternalReads {
  /** No derivation reads the unit's name and no touched group feeds refusalOf(). */
  possible: boolean;
  getters: ReadonlyArray<(tv: TypedValues) => unknown>;
}

function externalReads(syn: SyntheticFile): ExternalReads {
  const own = new Set(syn.touched.flatMap((g) => GROUPS[g]!.fields));
  const fields = [...new Set(syn.derive.derivations.flatMap((d) => d.reads))].filter((f) => !own.has(f));
  return {
    possible: syn.derive.derivations.every((d) => !d.readsUnitName) && syn.touched.every((g) => !GROUPS[g]!.refusal),
    getters: fields.map((f) => GET_FIELD[f]),
  };
}

/** By text, then version and type. */
const syntheticFiles = new Map<string, SyntheticFile[]>();

/** Parses a small appended file and sorts its entries as buildUnit() would (cached by text, type and version). */
function syntheticFile(text: string, model: UnitModel): SyntheticFile {
  let list = syntheticFiles.get(text);
  if (list) {
    for (const s of list) if (s.version === model.version && s.type === model.type) return s;
  } else {
    if (syntheticFiles.size >= 4096) syntheticFiles.clear();
    syntheticFiles.set(text, (list = []));
  }
  const tree = parseUnitFile(text);
  const entries: SyntheticFile['entries'] = [];
  let ignored = 0;
  const keys = keysOf(model.type);
  const touched: number[] = [];
  let needsFullFold = false;
  for (const entry of tree.entries) {
    const section = entry.section?.name;
    if (section === undefined || !model.validSections.includes(section) || entry.key.startsWith('X-') || !isKnown(section, entry.key, model.version)) {
      ignored++;
      continue;
    }
    const full = `${section}.${entry.key}`;
    entries.push({ entry, section, full });
    if (keys.refusalKeys.has(full)) needsFullFold = true;
    for (const g of keys.groupsOf.get(full) ?? []) {
      if (GROUPS[g]!.whole) needsFullFold = true;
      if (!touched.includes(g)) touched.push(g);
    }
  }
  const plain = entries.every((e) => !e.entry.value.includes('%'));
  const derive = derivationsReading(touched.flatMap((g) => GROUPS[g]!.fields));
  const s: SyntheticFile = { version: model.version, type: model.type, tree, entries, ignored, touched, needsFullFold, plain, fromDefaults: new Map(), derive, external: undefined };
  list.push(s);
  return s;
}

/** An object that stands for one drop-in text (the same text every time) and keeps its parse. */
export interface SyntheticSlot {
  synthetic: unknown;
}

function syntheticFileByKey(key: SyntheticSlot, text: string, model: UnitModel): SyntheticFile {
  const s = key.synthetic as SyntheticFile | null;
  if (s && s.version === model.version && s.type === model.type) return s;
  return (key.synthetic = syntheticFile(text, model));
}

/**
 * securityInputs() of the model with one more drop-in applied after all of its files (what a
 * suggestion adds), plus how many of that drop-in's lines systemd would complain about or ignore.
 * Computed from the model's folds: only the settings the drop-in names are folded again (each
 * continues from the model's own assignments), and the inputs derived from those. Falls back to
 * rebuilding the unit when the drop-in touches a setting that cannot be folded on its own or is
 * cut by a fatal error, so the result is always the rebuilt unit's.
 */
export function appendedInputs(model: UnitModel, dropin: SourceFile, options: SecurityInputOptions = {}, base?: SecurityInputs): AppendedInputs {
  const state = foldState(model, options);
  const syn = syntheticFile(dropin.text, model);
  const fast = syn.tree.issues.length === 0 && !syn.needsFullFold ? appendFast(model, state, syn, dropin.path, options, base) : null;
  if (fast) return fast;
  // Rebuild the unit with the drop-in.
  const m = buildUnit(model.name, [...model.files.map((f) => ({ path: f.path, text: f.tree.text })), dropin], {
    version: model.version,
    trees: new Map(model.files.map((f) => [f.path, f.tree])),
  });
  const inputs = securityInputs(m, options);
  const file = m.files[m.files.length - 1]!;
  return {
    inputs,
    dropinProblems: inputs.problems.filter((p) => p.assignment.file === file).length,
    dropinIgnored: m.ignored.filter((i) => i.file === file).length,
  };
}

function appendFast(model: UnitModel, state: FoldState, syn: SyntheticFile, path: string, options: SecurityInputOptions, base: SecurityInputs | undefined): AppendedInputs | null {
  const keys = keysOf(model.type);
  const file: LoadedFile = { path, tree: syn.tree, order: model.files.length };
  const extra = new Map<string, Assignment[]>();
  const touched = syn.touched;
  for (const { entry, section, full } of syn.entries) {
    const a: Assignment = { file, entry, section, key: entry.key, value: entry.value };
    const l = extra.get(full);
    if (l) l.push(a);
    else extra.set(full, [a]);
  }
  let results = state.results;
  let dropinProblems = 0;
  let problemsChanged = false;
  let refusalInputsChanged = false;
  if (touched.length) {
    results = results.slice();
    for (const g of touched) {
      const group = GROUPS[g]!;
      const earlier = results[g]!;
      const ks = keys.perGroup[g]!;
      let r: GroupResult;
      if (group.resume && !earlier.problems.some((p) => p.effect === 'fatal')) {
        const more = ks.map((k) => (k === null ? NO_ASSIGNMENTS : (extra.get(k) ?? NO_ASSIGNMENTS)));
        const next = group.resume(earlier, more, state.env);
        r = next.problems.length ? { ...next, problems: [...earlier.problems, ...next.problems] } : { ...next, problems: earlier.problems };
      } else {
        const lists = ks.map((k) => {
          if (k === null) return NO_ASSIGNMENTS;
          const own = state.cut.settings.get(k);
          const more = extra.get(k);
          if (!more) return own ?? NO_ASSIGNMENTS;
          return own ? [...own, ...more] : more;
        });
        r = group.fold(lists, state.env);
      }
      for (const p of r.problems) {
        // A fatal error in a drop-in cuts it: leave that to the full fold.
        if (p.effect === 'fatal' && p.assignment.file.order > 0) return null;
        if (p.assignment.file === file) dropinProblems++;
      }
      if (r.problems !== earlier.problems) problemsChanged = true;
      if (group.refusal) refusalInputsChanged = true;
      results[g] = r;
    }
  }
  const tv: TypedValues = { ...state.value };
  let copied = '';
  for (const g of touched) {
    const group = GROUPS[g]!;
    if (group.nested && !copied.includes(group.nested)) {
      copied += group.nested;
      (tv as unknown as Record<string, object>)[group.nested] = { ...tv[group.nested] };
    }
    group.put(tv, results[g]!.value);
  }
  const problems = problemsChanged ? sortedProblems(results, state.dropped) : state.problems;
  // refusalOf() reads the problems (for a fatal one) and the values of the groups marked `refusal`.
  const refused = base && !refusalInputsChanged && !problemsChanged ? base.refused : refusalOf(model, tv, problems, options);
  return { inputs: deriveInputs(deriveEnv(model), tv, problems, refused, base ?? null), dropinProblems, dropinIgnored: syn.ignored };
}

/** What AppendedVariants.try() returns; `inputs` is null when the drop-in is not clean (then nothing else was computed). */
export interface ScratchInputs {
  /** Only valid until the next call of try(): do not keep it. */
  inputs: SecurityInputs | null;
  dropinProblems: number;
  dropinIgnored: number;
  /** The inputs that can differ from the unit's own (all others are equal); `refused` is compared apart. */
  candidates: InputAccess;
}

const NO_INPUTS = inputAccess([]);

/**
 * Many drop-ins appended to one unit, one at a time (suggest()'s variants): like appendedInputs(), but
 * the typed values and the inputs are written into scratch copies that are set back after each call,
 * so a variant allocates almost nothing. try() answers null when only appendedInputs() can (a
 * drop-in that touches a setting folded from the whole model, or that a fatal error cuts).
 */
export class AppendedVariants {
  private readonly state: FoldState;
  private readonly keys: TypeKeys;
  private readonly tv: TypedValues;
  private readonly env: DeriveEnv;
  private readonly out: SecurityInputs;
  /** The inputs of `out` the last variant wrote (set back to the unit's own before the next). */
  private dirty: InputAccess | null = null;
  private readonly result: ScratchInputs = { inputs: null, dropinProblems: 0, dropinIgnored: 0, candidates: NO_INPUTS };
  private readonly folded: GroupResult[] = [];

  constructor(
    private readonly model: UnitModel,
    private readonly options: SecurityInputOptions,
    private readonly base: SecurityInputs,
  ) {
    this.state = foldState(model, options);
    this.keys = keysOf(model.type);
    this.env = deriveEnv(model);
    const v = this.state.value;
    this.tv = { ...v, booleans: { ...v.booleans }, namespacePaths: { ...v.namespacePaths }, exec: { ...v.exec } };
    this.out = { ...base };
  }

  /**
   * When what appending the drop-in derives depends on nothing of the unit but a few of its folded
   * values: the drop-in is clean and plain, the unit sets none of the settings it names (so each
   * group's fold is the drop-in's alone, already known), none of them feeds refusalOf(), and no
   * derivation they feed reads the unit's name. Then the derived inputs (the drop-in's `writes`) are
   * the same for every unit of this type whose `values` read by `getters` are the same.
   */
  pureReads(text: string, slot: SyntheticSlot): { getters: ReadonlyArray<(tv: TypedValues) => unknown>; writes: InputAccess } | null {
    const { model, state } = this;
    const syn = syntheticFileByKey(slot, text, model);
    if (syn.tree.issues.length || syn.needsFullFold || syn.ignored || !syn.plain) return null;
    const ext = (syn.external ??= externalReads(syn));
    if (!ext.possible) return null;
    const memoKey = this.options.seccompTable === 'oracle' ? 0.5 : 0;
    for (const g of syn.touched) if (state.groupIsSet[g] || !syn.fromDefaults.has(g + memoKey)) return null;
    return { getters: ext.getters, writes: syn.derive.writes };
  }

  /** The unit's folded values (what pureReads()'s getters read; do not change). */
  get values(): TypedValues {
    return this.tv;
  }

  /** `key`: an object that stands for the text, to find its parse faster. */
  try(path: string, text: string, key?: SyntheticSlot): ScratchInputs | null {
    const { model, state, keys, tv, base, result, out } = this;
    const syn = key ? syntheticFileByKey(key, text, model) : syntheticFile(text, model);
    if (syn.tree.issues.length || syn.needsFullFold) return null;
    result.inputs = null;
    result.dropinProblems = 0;
    result.dropinIgnored = syn.ignored;
    if (syn.ignored) return result;
    let file: LoadedFile | null = null;
    const touched = syn.touched;
    const folded = this.folded;
    let nFolded = 0;
    let refusalInputs = false;
    for (const g of touched) {
      const group = GROUPS[g]!;
      const earlier = state.results[g]!;
      const ks = keys.perGroup[g]!;
      // The unit does not set the group's settings: the result is the drop-in's alone, maybe known.
      const fromDefaults = syn.plain && !state.groupIsSet[g];
      const memoKey = this.options.seccompTable === 'oracle' ? g + 0.5 : g;
      if (fromDefaults) {
        const known = syn.fromDefaults.get(memoKey);
        if (known !== undefined) {
          if (group.refusal) refusalInputs = true;
          folded[nFolded++] = known;
          continue;
        }
      }
      const resume = group.resume !== undefined && !hasFatal(earlier.problems);
      const lists: Array<readonly Assignment[]> = [];
      for (const k of ks) {
        let more: Assignment[] | null = null;
        if (k !== null) {
          for (const { entry, section, full } of syn.entries) {
            if (full !== k) continue;
            file ??= { path, tree: syn.tree, order: model.files.length };
            (more ??= []).push({ file, entry, section, key: entry.key, value: entry.value });
          }
        }
        if (resume) lists.push(more ?? NO_ASSIGNMENTS);
        else {
          const own = k === null ? undefined : state.cut.settings.get(k);
          lists.push(more ? (own ? [...own, ...more] : more) : (own ?? NO_ASSIGNMENTS));
        }
      }
      const r = resume ? group.resume!(earlier, lists, state.env) : group.fold(lists, state.env);
      for (const p of r.problems) {
        if (p.effect === 'fatal' && p.assignment.file.order > 0) return null;
        if (file !== null && p.assignment.file === file) result.dropinProblems++;
      }
      if (group.refusal) refusalInputs = true;
      if (fromDefaults && r.problems.length === 0) syn.fromDefaults.set(memoKey, r);
      folded[nFolded++] = r;
    }
    // Problems of the unit's own lines do not change when lines are appended (each fold reads in
    // order), so a clean drop-in leaves the problem list as it was.
    if (result.dropinProblems) return result;
    for (let i = 0; i < touched.length; i++) GROUPS[touched[i]!]!.put(tv, folded[i]!.value);
    // Only the derivations reading what changed run; what the previous variant wrote is set back.
    this.dirty?.copy(out, base);
    const { derivations, writes } = syn.derive;
    for (const d of derivations) d.run(out, tv, this.env, base);
    this.dirty = writes;
    out.refused = refusalInputs ? refusalOf(model, tv, state.problems, this.options) : base.refused;
    // Set the scratch values back; `out` keeps what it needs.
    for (const g of touched) GROUPS[g]!.put(tv, state.results[g]!.value);
    result.inputs = out;
    result.candidates = writes;
    return result;
  }
}

function hasFatal(problems: readonly ValueProblem[]): boolean {
  for (const p of problems) if (p.effect === 'fatal') return true;
  return false;
}
