/**
 * Invalid values: the typed parsers of the model report the settings they handle; every other
 * boolean directive is checked here the way systemd's config_parse_bool() checks it, and every other
 * one-word setting against the words the target version accepts. A word that only other versions
 * accept gets the version that added it: a whole value once per assignment, a word of a list (`@known` in
 * SystemCallFilter=) on the problem the model reports for that word.
 */
import { directive, valueUnavailable } from '../knowledge/directives';
import { wordUnavailable } from '../knowledge/word-availability';
import { TYPED_SETTINGS, valueProblems } from '../model/values';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import { parseBoolean } from '../model/values/booleans';
import type { Diagnostic } from './diagnostic';
import { availabilityNote } from './directives';

export function valueDiagnostics(model: UnitModel, file: LoadedFile, problems = valueProblems(model)): Diagnostic[] {
  const out: Diagnostic[] = [];
  const noted = new Set<unknown>();
  for (const p of problems) {
    if (p.assignment.file !== file) continue;
    // the model names the words this version takes; say which version added the one written, once per line
    let note = '';
    if (!noted.has(p.assignment)) {
      noted.add(p.assignment);
      note = availabilityNote(valueUnavailable(p.assignment.key, p.assignment.value, model.version), model.version);
    }
    // a word of a list (a system-call group, a namespace type, an errno name) that a later release knows
    if (!note) {
      const word = file.tree.text.slice(p.span.start, p.span.end);
      note = availabilityNote(wordUnavailable(p.assignment.key, word, model.version), model.version);
    }
    out.push({
      code: 'invalid-value',
      severity: p.effect === 'fatal' ? 'error' : 'warning',
      message: note ? `${p.message.replace(/\.?$/, '.')}${note}` : p.message,
      file: file.path,
      span: p.span,
    });
  }
  for (const a of model.assignments) {
    if (a.file !== file || TYPED_SETTINGS.has(`${a.section}.${a.key}`)) continue;
    const d = directive(a.key);
    if (d?.kind !== 'boolean') {
      // a setting the model does not type whose last assignment wins (systemd ignores the whole line): a word
      // of the key that this version does not have
      const note = d && !d.list ? availabilityNote(valueUnavailable(a.key, a.value, model.version), model.version) : '';
      if (note)
        out.push({
          code: 'invalid-value',
          severity: 'warning',
          message: `systemd ${model.version} ignores ${a.key}=${a.value.trim()}.${note}`,
          file: file.path,
          span: a.entry.valueSpan.end > a.entry.valueSpan.start ? a.entry.valueSpan : a.entry.keySpan,
        });
      continue;
    }
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
