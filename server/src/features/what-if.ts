/**
 * The unit around the cursor and what-if scoring: its model, and re-scoring it with the line under
 * the cursor changed (for the "9.6 → 9.4" predictions of completion and hover), by patching the
 * model's assignments rather than re-parsing text. Pure and total.
 */
import { type ScoreResult, scoreInputs } from '../exposure';
import { buildUnit } from '../model/build';
import { modelForAnalysis, securityInputs, type SecurityInputs } from '../model/security-inputs';
import type { Assignment, LoadedFile, SourceFile, UnitModel } from '../model/unit-model';
import type { EntryNode, SectionNode, Span, UnitFileTree } from '../syntax/tree';
import type { Exposure } from '../exposure/arithmetic';
import { type CursorContext, treeOf } from './cursor-context';

/** A change to the unit, for re-scoring. Offsets are in the cursor's file. */
export type Edit =
  /** Give an existing entry another value; null removes the entry. */
  | { kind: 'value'; entry: EntryNode; value: string | null }
  /** A new `Key=value` line at `at`, under `section`. */
  | { kind: 'insert'; at: number; section: SectionNode | null; sectionName: string; key: string; value: string };

export type { Exposure } from '../exposure/arithmetic';

function synthEntry(at: number, key: string, value: string, section: SectionNode | null, sdLine: number): EntryNode {
  return {
    kind: 'entry',
    span: { start: at, end: at },
    sdLine,
    key,
    keySpan: { start: at, end: at },
    value,
    valueSpan: { start: at, end: at },
    segments: value.length ? [{ valueStart: 0, length: value.length, offset: at }] : [],
    innerComments: [],
    section,
    continued: false,
  };
}

/**
 * The model with edits applied to the assignments of file `order`. Equivalent to re-parsing the
 * edited text for everything the scoring reads: assignments keep systemd's application order.
 */
export function patchModel(model: UnitModel, order: number, edits: readonly Edit[]): UnitModel {
  const file: LoadedFile | undefined = model.files[order];
  if (!file || edits.length === 0) return model;
  const assignments = [...model.assignments];
  const touched = new Set<string>();
  for (const e of edits) {
    if (e.kind === 'value') {
      const i = assignments.findIndex((a) => a.file.order === order && a.entry.span.start === e.entry.span.start);
      if (i < 0) continue;
      const a = assignments[i]!;
      touched.add(`${a.section}.${a.key}`);
      if (e.value === null) assignments.splice(i, 1);
      else {
        const entry = {
          ...synthEntry(a.entry.valueSpan.start, a.key, e.value, a.entry.section, a.entry.sdLine),
          span: a.entry.span,
          keySpan: a.entry.keySpan,
        };
        assignments[i] = { ...a, entry, value: e.value };
      }
    } else {
      let i = assignments.findIndex(
        (a) => a.file.order > order || (a.file.order === order && a.entry.span.start >= e.at),
      );
      if (i < 0) i = assignments.length;
      const entry = synthEntry(e.at, e.key, e.value, e.section, 0);
      const a: Assignment = { file, entry, section: e.sectionName, key: e.key, value: e.value };
      assignments.splice(i, 0, a);
      touched.add(`${a.section}.${a.key}`);
    }
  }
  // Only the lists of the settings the edits touch change.
  const settings = new Map(model.settings);
  for (const k of touched) settings.delete(k);
  for (const a of assignments) {
    const k = `${a.section}.${a.key}`;
    if (!touched.has(k)) continue;
    const l = settings.get(k);
    if (l) l.push(a);
    else settings.set(k, [a]);
  }
  return { ...model, assignments, settings };
}

export interface Scored {
  result: ScoreResult;
  info: SecurityInputs;
  /** Set when systemd would refuse the unit only because it is incomplete (no ExecStart= yet, ...): scored anyway. */
  provisional: string | null;
}

/**
 * Scores a model. A unit that systemd would refuse only in service_verify() (typical while it is
 * being written: no ExecStart= yet) is scored as if it loaded; other refusals give no exposure.
 */
export function scoreModel(model: UnitModel): Scored {
  const info = securityInputs(model);
  if (info.refused && info.refused.code === 'service-verify') {
    return { result: scoreInputs({ ...info, refused: null }), info, provisional: info.refused.reason };
  }
  return { result: scoreInputs(info), info, provisional: null };
}

/**
 * Exposures computed for what-if edits, by scope: a scope names everything an edit does not touch
 * (the unit's texts with the edited part cut out, the version, the position), so the editor asking
 * again while the user types elsewhere in the same word or line gets the numbers without
 * re-scoring. Bounded; oldest scope evicted first.
 */
const scopes = new Map<string, Map<string, Exposure | null>>();
const MAX_SCOPES = 16;

/** Scopes longer than this (huge units) are not kept across requests. */
const MAX_SCOPE_LENGTH = 256 * 1024;

function scopeMemo(scope: string): Map<string, Exposure | null> {
  if (scope.length > MAX_SCOPE_LENGTH) return new Map();
  let m = scopes.get(scope);
  if (m) {
    scopes.delete(scope);
    scopes.set(scope, m);
    return m;
  }
  m = new Map();
  if (scopes.size >= MAX_SCOPES) scopes.delete(scopes.keys().next().value as string);
  scopes.set(scope, m);
  return m;
}

/** A scope key: the context's unit with [cut.start, cut.end) of the cursor's file removed, plus `extra`. */
export function scopeKey(cc: CursorContext, cut: Span, extra: string): string {
  const parts = [String(cc.version), String(cc.ctx.name), String(cc.ctx.fileIndex), extra];
  cc.ctx.files.forEach((f, i) => {
    const text = typeof f?.text === 'string' ? f.text : '';
    parts.push(
      String(f?.path ?? ''),
      i === cc.ctx.fileIndex ? `${text.slice(0, cut.start)}\u0000${cut.start}\u0000${text.slice(cut.end)}` : text,
    );
  });
  return parts.join('\u0001');
}

/** The unit of a cursor context: built once per context, re-scored with edits. */
export class UnitAtCursor {
  readonly model: UnitModel;
  private baseScore: Scored | null = null;
  private readonly memo: Map<string, Exposure | null>;

  /** `scope`: see scopeKey(); memoized exposures are shared by contexts with the same scope. */
  constructor(
    readonly cc: CursorContext,
    scope?: string,
  ) {
    this.memo = scope === undefined ? new Map() : scopeMemo(scope);
    const files: SourceFile[] = cc.ctx.files.map((f) => ({
      path: String(f?.path ?? ''),
      text: typeof f?.text === 'string' ? f.text : '',
    }));
    const trees = new Map<string, UnitFileTree>();
    for (const f of files) if (!trees.has(f.path)) trees.set(f.path, treeOf(f.text));
    const built = buildUnit(String(cc.ctx.name ?? ''), files, { version: cc.version, trees });
    this.model = modelForAnalysis(built, cc.version);
  }

  /** The file order of the cursor's file in the model. */
  get order(): number {
    return this.cc.ctx.fileIndex;
  }

  base(): Scored {
    if (!this.baseScore) this.baseScore = scoreModel(this.model);
    return this.baseScore;
  }

  /** The overall exposure after the edits (memoized by `key` when given), null when systemd would not score it. */
  exposureWith(edits: readonly Edit[], key?: string): Exposure | null {
    if (key !== undefined && this.memo.has(key)) return this.memo.get(key)!;
    const s = scoreModel(patchModel(this.model, this.order, edits));
    const e = s.result.exposure;
    if (key !== undefined) this.memo.set(key, e);
    return e;
  }

  /** Assignments of a setting in application order. */
  assignmentsOf(section: string, key: string): readonly Assignment[] {
    return this.model.settings.get(`${section}.${key}`) ?? [];
  }

  /** Whether an entry of the cursor's file is applied (a known key in a valid section). */
  isApplied(entry: EntryNode): boolean {
    return this.model.assignments.some((a) => a.file.order === this.order && a.entry.span.start === entry.span.start);
  }
}
