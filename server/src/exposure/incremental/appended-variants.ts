/**
 * A unit with one more drop-in appended after all of its files (what a suggestion adds), computed
 * from the unit's own folds: only the setting groups the drop-in names are folded again, and only the
 * inputs derived from those (model/derive.ts's declarations of what each derivation reads and
 * writes). AppendedVariants tries many drop-ins one at a time on the same unit, almost without
 * allocating: the values and inputs are written into scratch copies that are set back after each.
 */
import { isKnown } from '../../knowledge/directives';
import { parseUnitFile } from '../../syntax/parser';
import type { UnitFileTree } from '../../syntax/tree';
import type { Assignment, LoadedFile, UnitModel, ValueProblem } from '../../model/unit-model';
import { refusalOf } from '../../model/refusal';
import { deriveEnv, derivationsReading, type DeriveEnv, type PartialDerivation } from '../../model/derive';
import { GET_FIELD, type InputAccess, inputAccess } from '../../model/property-access';
import type { SecurityInputOptions, SecurityInputs, TypedValues } from '../../model/security-types';
import { type FoldState, foldState } from '../../model/security-inputs';
import { GROUPS, type GroupResult, keysOf, NO_ASSIGNMENTS, type TypeKeys } from '../../model/groups';

export interface ParsedDropin {
  version: number;
  type: string | null;
  scope: string;
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
  getters: ReadonlyArray<(values: TypedValues) => unknown>;
}

function externalReads(dropin: ParsedDropin): ExternalReads {
  const written = new Set(dropin.touched.flatMap((g) => GROUPS[g]!.fields));
  const fields = [...new Set(dropin.derive.derivations.flatMap((d) => d.reads))].filter((f) => !written.has(f));
  return {
    possible:
      dropin.derive.derivations.every((d) => !d.readsUnitName) && dropin.touched.every((g) => !GROUPS[g]!.refusal),
    getters: fields.map((f) => GET_FIELD[f]),
  };
}

/** By text, then version and type. */
const parsedDropins = new Map<string, ParsedDropin[]>();

/** Parses a small appended file and sorts its entries as buildUnit() would (cached by text, type and version). */
function parseDropin(text: string, model: UnitModel): ParsedDropin {
  let list = parsedDropins.get(text);
  if (list) {
    for (const s of list) if (s.version === model.version && s.type === model.type && s.scope === model.scope) return s;
  } else {
    if (parsedDropins.size >= 4096) parsedDropins.clear();
    parsedDropins.set(text, (list = []));
  }
  const tree = parseUnitFile(text);
  const entries: ParsedDropin['entries'] = [];
  let ignored = 0;
  const keys = keysOf(model.type);
  const touched: number[] = [];
  let needsFullFold = false;
  for (const entry of tree.entries) {
    const section = entry.section?.name;
    if (
      section === undefined ||
      !model.validSections.includes(section) ||
      entry.key.startsWith('X-') ||
      !isKnown(section, entry.key, model.version)
    ) {
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
  const s: ParsedDropin = {
    version: model.version,
    type: model.type,
    scope: model.scope,
    tree,
    entries,
    ignored,
    touched,
    needsFullFold,
    plain,
    fromDefaults: new Map(),
    derive,
    external: undefined,
  };
  list.push(s);
  return s;
}

/** An object that stands for one drop-in text (the same text every time) and keeps its parse. */
export interface DropinSlot {
  parsed: ParsedDropin | null;
}

function parsedDropinOf(key: DropinSlot, text: string, model: UnitModel): ParsedDropin {
  const s = key.parsed;
  if (s && s.version === model.version && s.type === model.type) return s;
  return (key.parsed = parseDropin(text, model));
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
  /** The unit's folded values, with a variant's groups written in while it is derived. */
  private readonly scratchValues: TypedValues;
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
    this.scratchValues = {
      ...v,
      booleans: { ...v.booleans },
      namespacePaths: { ...v.namespacePaths },
      exec: { ...v.exec },
    };
    this.out = { ...base };
  }

  /**
   * When what appending the drop-in derives depends on nothing of the unit but a few of its folded
   * values: the drop-in is clean and plain, the unit sets none of the settings it names (so each
   * group's fold is the drop-in's alone, already known), none of them feeds refusalOf(), and no
   * derivation they feed reads the unit's name. Then the derived inputs (the drop-in's `writes`) are
   * the same for every unit of this type whose `values` read by `getters` are the same.
   */
  pureReads(
    text: string,
    slot: DropinSlot,
  ): { getters: ReadonlyArray<(values: TypedValues) => unknown>; writes: InputAccess } | null {
    const { model, state } = this;
    const dropin = parsedDropinOf(slot, text, model);
    if (dropin.tree.issues.length || dropin.needsFullFold || dropin.ignored || !dropin.plain) return null;
    const ext = (dropin.external ??= externalReads(dropin));
    if (!ext.possible) return null;
    const memoKey = this.options.seccompTable === 'oracle' ? 0.5 : 0;
    for (const g of dropin.touched) if (state.groupIsSet[g] || !dropin.fromDefaults.has(g + memoKey)) return null;
    return { getters: ext.getters, writes: dropin.derive.writes };
  }

  /** The unit's folded values (what pureReads()'s getters read; do not change). */
  get values(): TypedValues {
    return this.scratchValues;
  }

  /** `key`: an object that stands for the text, to find its parse faster. */
  try(path: string, text: string, key?: DropinSlot): ScratchInputs | null {
    const { model, state, keys, scratchValues: values, base, result, out } = this;
    const dropin = key ? parsedDropinOf(key, text, model) : parseDropin(text, model);
    if (dropin.tree.issues.length || dropin.needsFullFold) return null;
    result.inputs = null;
    result.dropinProblems = 0;
    result.dropinIgnored = dropin.ignored;
    if (dropin.ignored) return result;
    let file: LoadedFile | null = null;
    const touched = dropin.touched;
    const folded = this.folded;
    let nFolded = 0;
    let refusalInputs = false;
    for (const g of touched) {
      const group = GROUPS[g]!;
      const earlier = state.results[g]!;
      const ks = keys.perGroup[g]!;
      // The unit does not set the group's settings: the result is the drop-in's alone, maybe known.
      const fromDefaults = dropin.plain && !state.groupIsSet[g];
      const memoKey = this.options.seccompTable === 'oracle' ? g + 0.5 : g;
      if (fromDefaults) {
        const known = dropin.fromDefaults.get(memoKey);
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
          for (const { entry, section, full } of dropin.entries) {
            if (full !== k) continue;
            file ??= { path, tree: dropin.tree, order: model.files.length };
            (more ??= []).push({ file, entry, section, key: entry.key, value: entry.value });
          }
        }
        if (resume) lists.push(more ?? NO_ASSIGNMENTS);
        else {
          const unitsOwn = k === null ? undefined : state.cut.settings.get(k);
          lists.push(more ? (unitsOwn ? [...unitsOwn, ...more] : more) : (unitsOwn ?? NO_ASSIGNMENTS));
        }
      }
      const r = resume ? group.resume!(earlier, lists, state.env) : group.fold(lists, state.env);
      for (const p of r.problems) {
        if ((p.effect === 'fatal' || p.cutsRestOfFile) && p.assignment.file.order > 0) return null;
        if (file !== null && p.assignment.file === file) result.dropinProblems++;
      }
      if (group.refusal) refusalInputs = true;
      if (fromDefaults && r.problems.length === 0) dropin.fromDefaults.set(memoKey, r);
      folded[nFolded++] = r;
    }
    // Problems of the unit's own lines do not change when lines are appended (each fold reads in
    // order), so a clean drop-in leaves the problem list as it was.
    if (result.dropinProblems) return result;
    for (let i = 0; i < touched.length; i++) GROUPS[touched[i]!]!.put(values, folded[i]!.value);
    // Only the derivations reading what changed run; what the previous variant wrote is set back.
    this.dirty?.copy(out, base);
    const { derivations, writes } = dropin.derive;
    for (const d of derivations) d.run(out, values, this.env, base);
    this.dirty = writes;
    out.refused = refusalInputs ? refusalOf(model, values, state.problems, this.options) : base.refused;
    // Set the scratch values back; `out` keeps what it needs.
    for (const g of touched) GROUPS[g]!.put(values, state.results[g]!.value);
    result.inputs = out;
    result.candidates = writes;
    return result;
  }
}

function hasFatal(problems: readonly ValueProblem[]): boolean {
  for (const p of problems) if (p.effect === 'fatal') return true;
  return false;
}
