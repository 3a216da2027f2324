/**
 * Everything `systemd-analyze security --offline=yes` reads about a unit (get_security_info() in
 * src/analyze/analyze-security.c), computed from the unit's files the way systemd loads them: each
 * setting group folded by its config_parse_* rules (groups.ts, ./values), drop-ins cut at their first
 * fatal error, then the analyser's inputs derived from the folded values (derive.ts:
 * unit_patch_contexts() and the per-version conversion to the analyser's booleans and strings).
 *
 * Whether systemd would refuse to load the unit at all is refusal.ts; the shapes of the values are in
 * security-types.ts. foldState() is also where the incremental scoring of suggestions
 * (exposure/incremental/appended-variants.ts) continues the folds from.
 */
import { buildOptionsOf, buildUnit } from './build';
import type { Assignment, UnitModel, ValueProblem } from './unit-model';
import { parseUnitName } from './unit-name';
import type { SpecifierContext } from './values/specifiers';
import type { SeccompTable } from './values/name-lookups';
import { type Folded, targetVersion } from './values/folded';
import { refusalOf } from './refusal';
import { deriveEnv, deriveInputs } from './derive';
import {
  type FoldEnv,
  GROUPS,
  type GroupResult,
  keysOf,
  NAMESPACE_PATH_KEYS,
  NO_ASSIGNMENTS,
  emptyTypedValues,
} from './groups';
import {
  BOOLEAN_EXEC_KEYS,
  EXEC_COMMAND_KEYS,
  type SecurityInputOptions,
  type SecurityInputs,
  type TypedValues,
} from './security-types';
import { cachedOn } from './property-access';

export { refusalOf } from './refusal';
export { execSectionOf } from './sections';
export type { Refusal, SecurityInputOptions, SecurityInputs, TypedValues } from './security-types';

/** Every "Section.Key" whose values are checked here (the generic invalid-value rule skips these). */
export const TYPED_SETTINGS: ReadonlySet<string> = (() => {
  const s = new Set<string>();
  const execKeys = [
    'User',
    'Group',
    'SupplementaryGroups',
    'DynamicUser',
    ...BOOLEAN_EXEC_KEYS,
    'PrivateTmp',
    'PrivateMounts',
    'PrivateUsers',
    'ProtectControlGroups',
    'ProtectHostname',
    'ProtectSystem',
    'ProtectHome',
    'ProtectProc',
    'ProcSubset',
    'KeyringMode',
    'CapabilityBoundingSet',
    'AmbientCapabilities',
    'SystemCallFilter',
    'SystemCallArchitectures',
    'SystemCallErrorNumber',
    'RestrictAddressFamilies',
    'RestrictNamespaces',
    'UMask',
    'RootDirectory',
    'RootImage',
    'WorkingDirectory',
    'PrivatePIDs',
    'UserNamespacePath',
    ...NAMESPACE_PATH_KEYS,
    'DevicePolicy',
    'DeviceAllow',
    'Delegate',
    'IPAddressAllow',
    'IPAddressDeny',
    'IPIngressFilterPath',
    'IPEgressFilterPath',
  ];
  for (const sec of ['Service', 'Socket', 'Mount', 'Swap']) for (const k of execKeys) s.add(`${sec}.${k}`);
  for (const k of [
    'DevicePolicy',
    'DeviceAllow',
    'Delegate',
    'IPAddressAllow',
    'IPAddressDeny',
    'IPIngressFilterPath',
    'IPEgressFilterPath',
  ]) {
    s.add(`Slice.${k}`);
    s.add(`Scope.${k}`);
  }
  for (const k of [
    ...EXEC_COMMAND_KEYS,
    'LoadCredential',
    'LoadCredentialEncrypted',
    'SetCredential',
    'SetCredentialEncrypted',
    'NotifyAccess',
    'Type',
    'Restart',
    'RemainAfterExit',
    'BusName',
    'KillMode',
    'PAMName',
    'ExitType',
  ])
    s.add(`Service.${k}`);
  s.add('Unit.DefaultDependencies');
  s.add('Unit.SuccessAction');
  return s;
})();

/** The unit name `systemd-analyze security --offline=yes` uses: templates get the fixed instance. */
export function analysedUnitName(name: string, version: number): string {
  const u = parseUnitName(name);
  if (!u || u.instance !== '') return name;
  return `${u.prefix}@${targetVersion(version) >= 257 ? 'test_instance' : 'i'}.${u.type}`;
}

/** Caches kept on each model (see cachedOn()). */
const ANALYSIS_MODELS = Symbol('analysisModels');
const FOLD_STATES = Symbol('foldStates');

/** Rebuilds the model for the name and version systemd-analyze would use, if they differ (cached per model). */
export function modelForAnalysis(model: UnitModel, version: number): UnitModel {
  const name = analysedUnitName(model.name, version);
  if (name === model.name && model.version === version) return model;
  const byVersion = cachedOn(model, ANALYSIS_MODELS, () => new Map<number, UnitModel>());
  let m = byVersion.get(version);
  if (!m) {
    m = buildUnit(
      name,
      model.files.map((f) => ({ path: f.path, text: f.tree.text })),
      { ...buildOptionsOf(model), version, trees: new Map(model.files.map((f) => [f.path, f.tree])) },
    );
    byVersion.set(version, m);
  }
  return m;
}

function problemOrder(a: ValueProblem, b: ValueProblem): number {
  return a.assignment.file.order - b.assignment.file.order || a.span.start - b.span.start;
}

/** The model with only the assignments `keep` accepts. */
function withAssignments(model: UnitModel, keep: (a: Assignment) => boolean): UnitModel {
  const assignments = model.assignments.filter(keep);
  const settings = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const k = `${a.section}.${a.key}`;
    const l = settings.get(k);
    if (l) l.push(a);
    else settings.set(k, [a]);
  }
  return { ...model, assignments, settings };
}

/**
 * What each group folds to when the unit sets none of its settings, per version, unit type and
 * libseccomp table: shared by all such units (the values are never changed in place: later folds
 * start from copies).
 */
const defaultResults = new Map<string, Array<GroupResult | undefined>>();

function foldGroups(
  model: UnitModel,
  options: SecurityInputOptions,
): { results: GroupResult[]; groupIsSet: boolean[] } {
  const env: FoldEnv = { model, version: model.version, ctx: specifierContext(model, options), options };
  const keys = keysOf(model.type);
  const dkey = `${model.version} ${model.type} ${model.scope} ${options.seccompTable ?? 'distribution'}`;
  let defaults = defaultResults.get(dkey);
  if (!defaults) defaultResults.set(dkey, (defaults = []));
  // The groups the unit sets, from its own settings (a unit sets a few of the many keys).
  const groupIsSet: boolean[] = new Array<boolean>(GROUPS.length).fill(false);
  for (const k of model.settings.keys()) {
    const gs = keys.groupsOf.get(k);
    if (gs !== undefined) for (let j = 0; j < gs.length; j++) groupIsSet[gs[j]!] = true;
  }
  const out: GroupResult[] = new Array(GROUPS.length);
  for (let i = 0; i < GROUPS.length; i++) {
    const ks = keys.perGroup[i]!;
    if (!groupIsSet[i]) {
      out[i] = defaults[i] ??= freezeResult(
        GROUPS[i]!.fold(
          ks.map(() => NO_ASSIGNMENTS),
          env,
        ),
      );
      continue;
    }
    const lists: Array<readonly Assignment[]> = [];
    for (const k of ks) lists.push((k === null ? undefined : model.settings.get(k)) ?? NO_ASSIGNMENTS);
    out[i] = GROUPS[i]!.fold(lists, env);
  }
  return { results: out, groupIsSet };
}

function freezeResult(r: GroupResult): GroupResult {
  const v = r.value;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set))
    Object.freeze(v);
  return Object.freeze(r);
}

function specifierContext(model: UnitModel, options: SecurityInputOptions): SpecifierContext {
  return {
    unitName: model.name,
    fragmentPath: model.files[0]?.path,
    version: model.version,
    host: options.host,
    ...(model.commandExists ? { commandExists: model.commandExists } : {}),
  };
}

function assemble(results: readonly Folded<unknown>[]): TypedValues {
  const values = emptyTypedValues();
  for (let i = 0; i < GROUPS.length; i++) GROUPS[i]!.put(values, results[i]!.value);
  return values;
}

export function sortedProblems(results: readonly Folded<unknown>[], dropped: readonly ValueProblem[]): ValueProblem[] {
  const all: ValueProblem[] = [];
  for (const r of results) for (const p of r.problems) all.push(p);
  all.sort(problemOrder);
  if (dropped.length === 0) return all;
  const problems = [...all, ...dropped];
  problems.sort(problemOrder);
  return problems;
}

/** Everything folded for a model: kept per model so that callers asking again, and appendedInputs(), reuse it. */
export interface FoldState {
  /** The model the lists were read from (drop-ins cut at their first fatal error). */
  cut: UnitModel;
  env: FoldEnv;
  results: Folded<unknown>[];
  dropped: ValueProblem[];
  value: TypedValues;
  problems: ValueProblem[];
  /** Per group: the unit assigns one of its settings. */
  groupIsSet: boolean[];
}

type FoldStates = Array<{ host: unknown; seccompTable: SeccompTable | undefined; state: FoldState }>;

/**
 * Folds every handled setting of the unit.
 *
 * A fatal error in the unit file makes systemd refuse the unit (see refusalOf()). In a drop-in it
 * does not: systemd stops reading that drop-in at the failing line (unit_load_dropin() ignores
 * config_parse()'s error) and loads the unit with what it read so far. So drop-ins are cut at their
 * first fatal syntax error or fatal setting, and the failure is reported as ignoring the rest. A line
 * that fails after applying part of itself (ValueProblem.cutsRestOfFile) is kept and the file cut after it.
 */
export function foldState(model: UnitModel, options: SecurityInputOptions): FoldState {
  const cached = cachedOn(model, FOLD_STATES, (): FoldStates => []);
  for (const c of cached) if (c.host === options.host && c.seccompTable === options.seccompTable) return c.state;
  const cuts = new Map<number, number>();
  for (const f of model.files) {
    if (f.order === 0) continue;
    const issue = f.tree.issues.find((i) => i.fatal);
    if (issue) cuts.set(f.order, issue.span.start);
  }
  const dropped: ValueProblem[] = [];
  let state: FoldState;
  for (let round = 0; ; round++) {
    const m = cuts.size
      ? withAssignments(model, (a) => a.file.order === 0 || a.entry.span.end <= (cuts.get(a.file.order) ?? Infinity))
      : model;
    const { results, groupIsSet } = foldGroups(m, options);
    const fatalInDropin: ValueProblem[] = [];
    // A problem that keeps its own line cuts the file after it: it stays among the problems, and cuts again
    // in the next round at the same place, which is no news.
    let cutsMore = false;
    for (const r of results)
      for (const p of r.problems) {
        if (p.assignment.file.order === 0) continue;
        if (p.effect === 'fatal') {
          fatalInDropin.push(p);
          cutsMore = true;
        } else if (p.cutsRestOfFile) {
          const at = p.assignment.entry.span.end;
          const cur = cuts.get(p.assignment.file.order);
          if (cur === undefined || at < cur) {
            cuts.set(p.assignment.file.order, at);
            cutsMore = true;
          }
        }
      }
    fatalInDropin.sort(problemOrder);
    if (!cutsMore || round > model.files.length) {
      state = {
        cut: m,
        env: { model: m, version: m.version, ctx: specifierContext(m, options), options },
        results,
        dropped,
        value: assemble(results),
        problems: sortedProblems(results, dropped),
        groupIsSet,
      };
      break;
    }
    for (const p of fatalInDropin) {
      const at = p.assignment.entry.span.start;
      const cur = cuts.get(p.assignment.file.order);
      if (cur === undefined || at < cur) cuts.set(p.assignment.file.order, at);
    }
    for (const p of fatalInDropin) {
      if (cuts.get(p.assignment.file.order) === p.assignment.entry.span.start) {
        dropped.push({
          ...p,
          effect: 'ignored',
          message:
            p.message.replace(/; systemd refuses to load the unit$/, '') + '; systemd ignores the rest of this drop-in',
        });
      }
    }
  }
  cached.push({ host: options.host, seccompTable: options.seccompTable, state });
  return state;
}

/** Folds every handled setting of the unit (see foldState()); the result is shared, do not change it. */
export function typedValues(model: UnitModel, options: SecurityInputOptions = {}): Folded<TypedValues> {
  const s = foldState(model, options);
  return { value: s.value, problems: s.problems };
}

/** Every value problem of the unit (what systemd warns about or refuses), in file order. */
export function valueProblems(model: UnitModel, options: SecurityInputOptions = {}): ValueProblem[] {
  return typedValues(model, options).problems;
}

/**
 * The analyser's view of the unit for the model's version. Build the model with
 * `modelForAnalysis()` first to get systemd-analyze's name for templates.
 */
export function securityInputs(model: UnitModel, options: SecurityInputOptions = {}): SecurityInputs {
  const { value: values, problems } = foldState(model, options);
  const refused = refusalOf(model, values, problems, options);
  return deriveInputs(deriveEnv(model), values, problems, refused, null);
}
