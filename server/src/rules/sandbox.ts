/**
 * Sandbox diagnostics: one per exposure check that is not at its best and that a setting can fix,
 * shown in one file of the unit (the document being edited; the language server picks it, see
 * lsp/owners.ts). Each sits on the line of that file that sets the check's directive (or on its
 * [Service] header) and ends with the predicted overall exposure after its fix, "→ X.Y". That number
 * is the engine's score of the unit with exactly the fix's edit applied, never an estimate; a check
 * whose fix does not change the printed exposure gets no diagnostic. Their severity is one for all of
 * them (hint unless configured): the summary diagnostic (summary.ts) carries the exposure. A fix
 * outside the safe set says what it may break and is never the preferred one; a fix of a vendor file
 * goes into the unit's hardening drop-in (dropin-edits.ts).
 */
import checkDocs from '../../data/check-docs.json';
import { directive } from '../knowledge/directives';
import { buildOptionsOf, buildUnit } from '../model/build';
import type { Assignment, LoadedFile, SourceFile, UnitModel } from '../model/unit-model';
import { score, suggest, type ScoreOptions, type Suggestion, type SuggestResult } from '../exposure';
import type { Span } from '../syntax/tree';
import type { Diagnostic, Fix, Severity, TextEdit } from './diagnostic';
import { keepOutOfVendorFiles } from './dropin-edits';
import { isVendorPath } from '../model/vendor';
import { riskOf } from './sandbox-risk';
import { placeDropin } from '../model/dropin-place';

const DOCS = (checkDocs as { checks: Record<string, string> }).checks;

const codes = new Map<string, string>();

/** The rule id of a check: `sandbox-` + its json_field in kebab case. */
export function sandboxCode(jsonField: string): string {
  const known = codes.get(jsonField);
  if (known) return known;
  const code = `sandbox-${kebabOf(jsonField)}`;
  codes.set(jsonField, code);
  return code;
}

function kebabOf(jsonField: string): string {
  return (jsonField = jsonField
    .replace(/[^A-Za-z0-9_]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase());
}

/** Directive names a check reads, from its id (`User=/DynamicUser=` → User, DynamicUser). */
export function directivesOfCheck(id: string): string[] {
  return [...id.matchAll(/([A-Za-z]+)=/g)].map((m) => m[1]!);
}

/** By json_field, then id (two lookups, no key string built per call: this runs per check per keystroke). */
const problems = new Map<string, Map<string, string>>();

/** What the check guards against, in our words. */
export function checkProblem(jsonField: string, id: string): string {
  let byId = problems.get(jsonField);
  if (byId === undefined) problems.set(jsonField, (byId = new Map()));
  let text = byId.get(id);
  if (text === undefined) byId.set(id, (text = describeCheck(jsonField, id)));
  return text;
}

function describeCheck(jsonField: string, id: string): string {
  const direct = DOCS[jsonField];
  if (direct) return direct;
  const family = Object.keys(DOCS).find((k) => k.endsWith('*') && jsonField.startsWith(k.slice(0, -1)));
  if (!family) return `${id} is not at its best`;
  const arg = id.slice(id.indexOf('=~') + 2);
  return DOCS[family]!.replace('{caps}', arg)
    .replace('{group}', arg)
    .replace('{namespace}', arg)
    .replace('{families}', arg === '…' ? 'other (rarely needed)' : arg);
}

/** Where a fix's lines go in a file: after the last entry of its first [Service] section. */
export function insertionFor(file: LoadedFile, lines: readonly string[], section = 'Service'): TextEdit {
  return inserterFor(file, section)(lines);
}

/** insertionFor() for any lines, with the place in the file found once. */
function inserterFor(file: LoadedFile, section: string): (lines: readonly string[]) => TextEdit {
  const tree = file.tree;
  const text = tree.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const header = tree.sections.find((s) => s.name === section);
  if (!header) {
    const sep = text.length === 0 || text.endsWith('\n') || text.endsWith('\r') ? '' : eol;
    const gap = text.length === 0 ? '' : eol;
    return (lines) => ({
      file: file.path,
      span: { start: text.length, end: text.length },
      newText: `${sep}${gap}[${section}]${eol}${lines.join(eol)}${eol}`,
    });
  }
  let at = header.span.end;
  for (const n of tree.nodes) {
    if (n.span.start < header.span.end) continue;
    if (n.kind === 'section') break;
    if (n.kind === 'entry' || n.kind === 'invalid') at = n.span.end;
  }
  const needsEol = at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r';
  return (lines) => ({
    file: file.path,
    span: { start: at, end: at },
    newText: `${needsEol ? eol : ''}${lines.join(eol)}${eol}`,
  });
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * The unit's files with edits applied. A new file (an edit to a path the unit does not have yet) is a
 * drop-in: it takes the place systemd gives it, sorted by file name among the drop-ins, and replaces
 * a drop-in of the same name (the new one lives in a folder of higher priority, /etc or beside the unit).
 */
export function filesWithEdits(model: UnitModel, edits: readonly TextEdit[]): SourceFile[] {
  const out: SourceFile[] = model.files.map((f) => ({
    path: f.path,
    text: applyEdits(
      f.tree.text,
      edits.filter((e) => e.file === f.path),
    ),
  }));
  let files = out;
  for (const e of edits) if (!files.some((f) => f.path === e.file)) files = placeDropin(files, e.file, e.newText);
  return files;
}

/** Exposure of the unit after edits, as systemd would print it; null when it would be refused. */
export function exposureAfterEdits(model: UnitModel, edits: readonly TextEdit[], options: ScoreOptions): string | null {
  const files = filesWithEdits(model, edits);
  // The files no edit touches keep their text, so their parse is reused.
  const trees = new Map(model.files.filter((f) => !edits.some((e) => e.file === f.path)).map((f) => [f.path, f.tree]));
  const after = buildUnit(model.name, files, { ...buildOptionsOf(model), trees });
  return score(after, options).exposure?.text ?? null;
}

/** How sandbox diagnostics are shown: one severity for all of them, or not at all. */
export type SandboxSeverity = 'hint' | 'information' | 'warning' | 'off';

export interface SandboxOptions extends ScoreOptions {
  /** The file whose diagnostics are wanted (the document being edited). */
  file: string;
  /** Default 'hint'; 'off' computes the suggestions only. */
  severity?: SandboxSeverity;
}

/**
 * What the diagnostics of one file share, computed once instead of per suggestion (a unit has dozens
 * of suggestions; a large file, thousands of assignments): the unit's assignments by key, the index of
 * the last assignment of each key in this file, where added lines go.
 */
interface FilePlacement {
  model: UnitModel;
  file: LoadedFile;
  /** Every assignment of the unit, by key, in application order. */
  byKey: Map<string, Assignment[]>;
  /** Key → index in model.assignments of the last assignment of that key in this file. */
  lastInFile: Map<string, number>;
  insert: (lines: readonly string[]) => TextEdit;
}

function placementOf(model: UnitModel, file: LoadedFile): FilePlacement {
  const byKey = new Map<string, Assignment[]>();
  const lastInFile = new Map<string, number>();
  model.assignments.forEach((a, i) => {
    const list = byKey.get(a.key);
    if (list) list.push(a);
    else byKey.set(a.key, [a]);
    if (a.file === file) lastInFile.set(a.key, i);
  });
  return { model, file, byKey, lastInFile, insert: inserterFor(file, 'Service') };
}

function keyOf(line: string): string {
  return line.slice(0, line.indexOf('='));
}

/**
 * True when inserting `lines` at `edit` has the same effect as appending them after every file (what
 * suggest() scored): no assignment after the insertion point sets any of the same keys. systemd folds
 * each setting's assignments in order and only then combines settings, so the results are equal.
 */
function sameAsAppending(p: FilePlacement, edit: TextEdit, lines: readonly string[]): boolean {
  for (const key of new Set(lines.map(keyOf))) {
    for (const a of p.byKey.get(key) ?? []) {
      if (a.file.order > p.file.order || (a.file === p.file && a.entry.span.start >= edit.span.start)) return false;
    }
  }
  return true;
}

/**
 * For a one-line suggestion of a single-valued directive that this file sets last: an edit that
 * changes that assignment's value instead of adding a second line below it.
 */
function replacementFor(p: FilePlacement, lines: readonly string[]): TextEdit | null {
  if (lines.length !== 1) return null;
  const line = lines[0]!;
  const key = keyOf(line);
  if (directive(key)?.list !== false) return null;
  const all = p.byKey.get(key) ?? [];
  const last = all[all.length - 1];
  if (!last || last.file !== p.file) return null;
  return { file: p.file.path, span: last.entry.valueSpan, newText: line.slice(key.length + 1) };
}

/**
 * True when the lines added by `edit` to a drop-in (new or not) are the last assignments of their keys,
 * as suggest() scored them (appended after every file): no file applied after that place sets them, and
 * no other drop-in of the same name is replaced by a new one.
 */
function lastToSet(p: FilePlacement, edit: TextEdit, lines: readonly string[]): boolean {
  const existing = p.model.files.find((f) => f.path === edit.file);
  const name = baseName(edit.file);
  if (!existing && p.model.files.some((f, i) => i > 0 && baseName(f.path) === name)) return false;
  for (const key of new Set(lines.map(keyOf))) {
    for (const a of p.byKey.get(key) ?? []) {
      if (existing) {
        if (a.file.order > existing.order || (a.file === existing && a.entry.span.start >= edit.span.start))
          return false;
      } else if (a.file.order > 0 && baseName(a.file.path) > name) return false;
    }
  }
  return true;
}

const checkDirectives = new Map<string, string[]>();

function placeFor(p: FilePlacement, s: Suggestion): Span {
  let names = checkDirectives.get(s.name);
  if (!names) checkDirectives.set(s.name, (names = directivesOfCheck(s.name)));
  let at = -1;
  for (const n of names) at = Math.max(at, p.lastInFile.get(n) ?? -1);
  const last = at < 0 ? undefined : p.model.assignments[at];
  if (last)
    return {
      start: last.entry.keySpan.start,
      end: last.entry.valueSpan.end > last.entry.keySpan.end ? last.entry.valueSpan.end : last.entry.keySpan.end,
    };
  const header = p.file.tree.sections.find((h) => h.name === 'Service') ?? p.file.tree.sections[0];
  if (header) return header.nameSpan;
  return { start: 0, end: 0 };
}

/**
 * Sandbox diagnostics of `options.file` for the unit, with their preferred fixes. Returns the
 * suggestion result too, so callers can reuse it (exposure reports, code actions).
 */
export function sandboxDiagnostics(
  model: UnitModel,
  options: SandboxOptions,
  precomputed?: SuggestResult,
): { diagnostics: Diagnostic[]; result: SuggestResult } {
  const result = precomputed ?? suggest(model, options);
  const file = model.files.find((f) => f.path === options.file);
  const base = result.base.exposure;
  const severity = options.severity ?? 'hint';
  if (!file || !base || severity === 'off') return { diagnostics: [], result };
  const diagnostics: Diagnostic[] = [];
  const place = placementOf(model, file);
  const vendor = isVendorPath(file.path);
  for (const s of result.suggestions) {
    let edits: TextEdit[] | null;
    let after: string | null;
    let change: TextEdit | null = null;
    if (vendor) {
      // Never into the vendor file: the lines go to the unit's hardening drop-in.
      edits = keepOutOfVendorFiles(model, [place.insert(s.lines)]);
      if (edits === null) continue;
      const dropin = edits.find((e) => e.file !== file.path);
      after = dropin && lastToSet(place, dropin, s.lines) ? s.exposure.text : exposureAfterEdits(model, edits, options);
    } else {
      change = replacementFor(place, s.lines);
      const edit = change ?? place.insert(s.lines);
      edits = [edit];
      after =
        !change && sameAsAppending(place, edit, s.lines) ? s.exposure.text : exposureAfterEdits(model, edits, options);
    }
    // A fix that does not move the printed figure is not worth a diagnostic.
    if (after === null || after === base.text) continue;
    const where = vendor ? ` to ${edits.find((e) => e.file !== file.path)?.file ?? 'a drop-in'}` : '';
    const what = change ? `Change to ${s.lines[0]}` : `Add ${s.lines.join(', ')}${where}`;
    const fix: Fix = s.safe
      ? { title: `${what} (exposure ${base.text} → ${after})`, edits, preferred: true }
      : {
          title: `${what} (exposure ${base.text} → ${after}; may break the service: ${riskOf(model, s.lines)})`,
          edits,
        };
    diagnostics.push({
      code: sandboxCode(s.json_field),
      severity: severity as Severity,
      message: `${s.name}: ${checkProblem(s.json_field, s.name)}. ${s.lines.join(' ')}: ${base.text} → ${after}`,
      file: file.path,
      span: placeFor(place, s),
      fixes: [fix],
    });
  }
  return { diagnostics, result };
}
