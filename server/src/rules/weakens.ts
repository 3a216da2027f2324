/**
 * weakens-exposure: a drop-in that loosens what the unit already had. The unit is scored by the exposure
 * engine with the drop-ins up to each one and without it; a drop-in that makes a check worse gets
 * a warning on each of its lines that set a check's directive it made worse (unless it lowers the exposure overall: then it is a hardening drop-in and a check it trades away is its choice) (an allow-list
 * SystemCallFilter= after the vendor's deny-list, a looser ProtectSystem=, an empty assignment that resets
 * a list), naming the exposure before and after. The fix removes the line, so the setting it loosened
 * is back in force. Only drop-ins: the unit file has nothing to weaken.
 */
import { buildOptionsOf, buildUnit } from '../model/build';
import type { Assignment, LoadedFile, SourceFile, UnitModel } from '../model/unit-model';
import type { UnitFileTree } from '../syntax/tree';
import { score, type CheckResult, type ScoreResult } from '../exposure';
import { directivesOfCheck } from './sandbox';
import { lineSpan } from './breakage-context';
import type { Diagnostic, TextEdit } from './diagnostic';

/**
 * Bounds that keep this rule linear in the unit's text: each drop-in looked at costs two scorings of
 * the unit up to it, and each line tried for a check worsened by a setting it does not name one more.
 * Past them the rule stays silent (precision before recall): real units have a handful of drop-ins.
 */
export const WEAKENS_MAX_DROPINS = 16;
const MAX_LINES_TRIED = 32;

function scoreOf(model: UnitModel, upTo: number, trees: ReadonlyMap<string, UnitFileTree>): ScoreResult {
  const files: SourceFile[] = model.files.slice(0, upTo).map((f) => ({ path: f.path, text: f.tree.text }));
  return score(buildUnit(model.name, files, { ...buildOptionsOf(model), trees }), { version: model.version });
}

/** The score of the unit up to `file`, with the line of `a` removed from it. */
function scoreWithout(model: UnitModel, file: LoadedFile, a: Assignment): ScoreResult | null {
  const edit = removeLine(a);
  const files: SourceFile[] = [];
  for (const f of model.files) {
    const text = f === file ? f.tree.text.slice(0, edit.span.start) + f.tree.text.slice(edit.span.end) : f.tree.text;
    files.push({ path: f.path, text });
    if (f === file) break;
  }
  const r = score(buildUnit(model.name, files, buildOptionsOf(model)), { version: model.version });
  return r.refused ? null : r;
}

/** The edit that removes an assignment's whole line. */
function removeLine(a: Assignment): TextEdit {
  const text = a.file.tree.text;
  let end = lineSpan(a).end;
  while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text[end] === '\n' || text[end] === '\r') end += 1;
  return { file: a.file.path, span: { start: a.entry.span.start, end }, newText: '' };
}

function worse(before: CheckResult, after: CheckResult): boolean {
  return (after.badness ?? 0) > (before.badness ?? 0);
}

export function weakensDiagnostics(model: UnitModel): Diagnostic[] {
  if (model.files.length < 2 || model.files.length - 1 > WEAKENS_MAX_DROPINS) return [];
  const trees = new Map<string, UnitFileTree>(model.files.map((f) => [f.path, f.tree]));
  const out: Diagnostic[] = [];
  let before = scoreOf(model, 1, trees);
  for (let k = 1; k < model.files.length; k++) {
    const after = scoreOf(model, k + 1, trees);
    const file = model.files[k]!;
    // A drop-in that lowers the exposure overall is a hardening one: a check it trades away is its choice.
    if (
      before.exposure &&
      after.exposure &&
      !before.refused &&
      !after.refused &&
      after.exposure.tenths >= before.exposure.tenths
    ) {
      out.push(...dropinFindings(model, file, before, after));
    }
    before = after;
  }
  return out;
}

function dropinFindings(model: UnitModel, file: LoadedFile, before: ScoreResult, after: ScoreResult): Diagnostic[] {
  const byIndex = new Map<number, CheckResult>(before.checks.map((c) => [c.index, c]));
  const worsened = after.checks.filter((c) => {
    const b = byIndex.get(c.index);
    return b !== undefined && worse(b, c);
  });
  const lines = new Map<Assignment, CheckResult[]>();
  const unplaced: CheckResult[] = [];
  for (const c of worsened) {
    const keys = directivesOfCheck(c.name);
    let last: Assignment | undefined;
    for (const a of model.assignments) if (a.file === file && a.section === 'Service' && keys.includes(a.key)) last = a;
    if (last) lines.set(last, [...(lines.get(last) ?? []), c]);
    else unplaced.push(c);
  }
  // A check worsened by a setting it does not name (IPAddressAllow= for the IPAddressDeny= check): the line
  // is the one whose removal brings the check back (scored, once per line of the drop-in).
  if (unplaced.length) {
    const fileLines = model.assignments.filter((a) => a.file === file).slice(0, MAX_LINES_TRIED);
    for (const a of fileLines) {
      const without = scoreWithout(model, file, a);
      if (!without) continue;
      for (let i = unplaced.length - 1; i >= 0; i--) {
        const c = unplaced[i]!;
        const w = without.checks.find((x) => x.index === c.index);
        if (w && !worse(byIndex.get(c.index)!, w)) {
          lines.set(a, [...(lines.get(a) ?? []), c]);
          unplaced.splice(i, 1);
        }
      }
      if (unplaced.length === 0) break;
    }
  }
  const from = before.exposure!.text;
  const to = after.exposure!.text;
  const change =
    after.exposure!.tenths > before.exposure!.tenths
      ? `raises the exposure from ${from} to ${to}`
      : `leaves the exposure at ${to} overall`;
  const out: Diagnostic[] = [];
  for (const [a, checks] of lines) {
    const what = checks.map((c) => `${c.name}${c.description ? ` (now: ${c.description})` : ''}`).join('; ');
    out.push({
      code: 'weakens-exposure',
      severity: 'warning',
      message: `${model.name}: this drop-in ${change}, but ${a.key}=${a.value} loosens what the unit already had: ${what}. Removing the line keeps the stricter setting.`,
      file: file.path,
      span: lineSpan(a),
      fixes: [
        {
          title: `Remove ${a.key}=${a.value} (keep the unit's stricter setting)`,
          edits: [removeLine(a)],
          preferred: true,
        },
      ],
    });
  }
  return out;
}
