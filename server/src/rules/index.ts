/** Runs every rule over a unit model and returns the diagnostics of each of its files. */
import type { UnitModel } from '../model/unit-model';
import { directiveDiagnostics } from './directives';
import { sectionDiagnostics } from './sections';
import { syntaxDiagnostics } from './syntax';
import type { Diagnostic } from './diagnostic';
import { valueDiagnostics } from './values';
import { valueProblems } from '../model/values';
import { onlySyntaxChecked, unitNameDiagnostics } from './unit-name';
import { pidFileDiagnostics } from './pidfile';
import { breakageDiagnostics } from './breakage';

/**
 * Diagnostics for all files of the unit, ordered by file (unit first) and position. A file systemd
 * does not load for its name (not a valid unit name, or not a unit type: a Podman quadlet file, a
 * networkd file) gets the reason on its first line and the syntax checks only: its sections and
 * settings are not a unit's.
 */
export function runRules(model: UnitModel): Diagnostic[] {
  const syntaxOnly = onlySyntaxChecked(model);
  const problems = syntaxOnly ? [] : valueProblems(model);
  const out: Diagnostic[] = [];
  for (const file of model.files) {
    const list = syntaxOnly
      ? [...unitNameDiagnostics(model, file), ...syntaxDiagnostics(model, file, true)]
      : [
          ...syntaxDiagnostics(model, file),
          ...sectionDiagnostics(model, file),
          ...directiveDiagnostics(model, file),
          ...valueDiagnostics(model, file, problems),
          ...pidFileDiagnostics(model, file),
          ...breakageDiagnostics(model, file),
        ];
    list.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
    // One by one: a spread pushes every element as an argument, which overflows the stack past ~100,000.
    for (const d of list) out.push(d);
  }
  return out;
}

export type { Diagnostic, Fix, Severity, TextEdit } from './diagnostic';
