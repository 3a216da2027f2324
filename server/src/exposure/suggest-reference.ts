/** The slow reference of suggest(), which the tests hold suggest() to. */
import { isKnown } from '../knowledge/directives';
import { breakageChecker, cutLines } from './breakage';
import { buildOptionsOf, buildUnit } from '../model/build';
import { modelForAnalysis, securityInputs, execSectionOf } from '../model/security-inputs';
import type { UnitModel } from '../model/unit-model';
import { targetVersion } from '../model/values/folded';
import { assessorsFor } from './assessors';
import { dropinPath, dropinText, linesFor, oneNamespaceLine, SAFE_CHECKS } from './plans';
import { type CheckResult, type ScoreOptions, type ScoreResult, scoreInputs } from './score';
import type { AvoidedSuggestion, Suggestion, SuggestResult } from './suggest';

/**
 * The slow reference for suggest(): every suggestion's lines appended as a drop-in, the unit
 * rebuilt from its files and scored from scratch. Tests hold suggest() to it.
 */
export function suggestByRebuilding(model: UnitModel, options: ScoreOptions = {}): SuggestResult {
  const version = targetVersion(options.version ?? model.version);
  const m = modelForAnalysis(model, version);
  const info = securityInputs(m, options);
  const base = scoreInputs(info, options);
  if (!base.exposure) return { base, suggestions: [], safeSet: null };
  const rebuilt = (lines: readonly string[]): { result: ScoreResult; clean: boolean } => {
    const files = m.files.map((f) => ({ path: f.path, text: f.tree.text }));
    const section = execSectionOf(m.type) ?? 'Service';
    files.push({ path: dropinPath(m), text: dropinText(section, lines) });
    // Fresh trees and a fresh model: nothing cached is reused.
    const um = buildUnit(m.name, files, buildOptionsOf(m));
    const synthetic = um.files[um.files.length - 1]!;
    const vi = securityInputs(um, options);
    const clean =
      !vi.problems.some((p) => p.assignment.file === synthetic) &&
      !um.ignored.some((i) => i.file === synthetic) &&
      lines.every((l) => isKnown(section, l.slice(0, l.indexOf('=')), um.version));
    return { result: scoreInputs(vi, options), clean };
  };
  const byField = new Map<string, CheckResult>(base.checks.map((c) => [c.json_field, c]));
  const suggestions: Suggestion[] = [];
  const avoided: AvoidedSuggestion[] = [];
  const breaks = options.avoidBreakage === false ? null : breakageChecker(m);
  for (const a of assessorsFor(version)) {
    const c = byField.get(a.json_field);
    if (!c || c.badness === null || c.badness === 0) continue;
    const lines = linesFor(a, info);
    if (!lines) continue;
    const risk = breaks?.(cutLines(lines)) ?? null;
    if (risk) {
      avoided.push({ json_field: a.json_field, name: a.name, lines, reason: risk });
      continue;
    }
    const { result, clean } = rebuilt(lines);
    if (!clean || !result.exposure) continue;
    const after = result.checks.find((k) => k.json_field === a.json_field);
    if (after && after.badness !== null && after.badness >= c.badness) continue;
    suggestions.push({
      json_field: a.json_field,
      name: a.name,
      badness: c.badness,
      badnessAfter: after?.badness ?? null,
      lines,
      exposure: result.exposure,
      delta: result.exposure.tenths - base.exposure.tenths,
      safe: SAFE_CHECKS.has(a.json_field),
    });
  }
  suggestions.sort((x, y) => x.delta - y.delta || (x.badnessAfter ?? 0) - (y.badnessAfter ?? 0));
  let safeSet: SuggestResult['safeSet'] = null;
  const lines: string[] = [];
  for (const s of suggestions) if (s.safe) for (const l of s.lines) if (!lines.includes(l)) lines.push(l);
  const safeLines = oneNamespaceLine(lines);
  if (safeLines.length) {
    // As suggest() writes it: the RestrictNamespaces=~TYPE lines as one line.
    const lines = oneNamespaceLine(safeLines);
    const { result } = rebuilt(lines);
    if (result.exposure)
      safeSet = { lines, exposure: result.exposure, delta: result.exposure.tenths - base.exposure.tenths };
  }
  return { base, suggestions, safeSet, avoided };
}
