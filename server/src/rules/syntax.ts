/** Syntax errors of each file, as systemd's parser would log them. */
import type { LoadedFile, UnitModel } from '../model/unit-model';
import type { Diagnostic } from './diagnostic';

/** Issues systemd does not log when they sit inside a section it ignores. */
const SILENT_IN_IGNORED_SECTION = new Set(['missing-equals', 'missing-key']);

/** With `everySection`, no section counts as ignored (a file that is not a unit: its sections are not a unit type's). */
export function syntaxDiagnostics(model: UnitModel, file: LoadedFile, everySection = false): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of file.tree.issues) {
    if (
      !everySection &&
      SILENT_IN_IGNORED_SECTION.has(issue.code) &&
      issue.section &&
      !model.validSections.includes(issue.section.name)
    )
      continue;
    out.push({
      code: issue.code,
      severity: issue.fatal ? 'error' : 'warning',
      message: issue.message,
      file: file.path,
      span: issue.span,
    });
  }
  return out;
}
