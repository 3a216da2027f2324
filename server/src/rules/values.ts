/**
 * Invalid values: the typed parsers of the model report the settings they handle; every other
 * boolean directive is checked here the way systemd's config_parse_bool() checks it.
 */
import { directive } from '../knowledge/directives';
import { TYPED_SETTINGS, valueProblems } from '../model/values';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import { parseBoolean } from '../model/values/booleans';
import type { Diagnostic } from './diagnostic';

export function valueDiagnostics(model: UnitModel, file: LoadedFile, problems = valueProblems(model)): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of problems) {
    if (p.assignment.file !== file) continue;
    out.push({
      code: 'invalid-value',
      severity: p.effect === 'fatal' ? 'error' : 'warning',
      message: p.message,
      file: file.path,
      span: p.span,
    });
  }
  for (const a of model.assignments) {
    if (a.file !== file || TYPED_SETTINGS.has(`${a.section}.${a.key}`)) continue;
    if (directive(a.key)?.kind !== 'boolean') continue;
    if (parseBoolean(a.value) !== undefined) continue;
    out.push({
      code: 'invalid-value',
      severity: 'warning',
      message: `${a.key}= takes a boolean (yes/no, true/false, on/off, 1/0); systemd ignores '${a.value}'.`,
      file: file.path,
      span: a.entry.valueSpan.end > a.entry.valueSpan.start ? a.entry.valueSpan : a.entry.keySpan,
    });
  }
  return out;
}
