/** Keys systemd does not apply: unknown anywhere, in the wrong section, or missing from the target version. */
import {
  type Deprecation,
  directive,
  directivesIn,
  isKnown,
  keyUnavailable,
  sectionsFor,
} from '../knowledge/directives';
import type { IgnoredEntry, LoadedFile, UnitModel } from '../model/unit-model';
import { MAX_DIAGNOSTICS_PER_FILE } from './diagnostics-limit';
import { closestName } from './did-you-mean';
import type { Diagnostic, Fix } from './diagnostic';

/** "X= needs systemd N; the target is M." for a key (or word) some other version accepts; '' when none does. */
export function availabilityNote(
  u: { what: string; since?: number; until?: number } | undefined,
  version: number,
): string {
  if (!u) return '';
  if (u.since !== undefined) return ` ${u.what} needs systemd ${u.since}; the target is ${version}.`;
  if (u.until !== undefined) return ` ${u.what} was removed after systemd ${u.until}; the target is ${version}.`;
  return '';
}

/** What to use instead of a deprecated key: the replacing key, or the advice of the data. */
export function insteadOf(dep: Deprecation): string {
  return dep.replacement ? ` Use ${dep.replacement}= instead.` : dep.advice ? ` Use ${dep.advice} instead.` : '';
}

/** The version that has the key, and for a key removed or renamed by then what to use instead. */
function versionNote(name: string, section: string, version: number): string | undefined {
  const u = keyUnavailable(section, name, version);
  const dep = directive(name)?.deprecated;
  const instead = u?.until !== undefined && dep && dep.since <= version ? insteadOf(dep) : '';
  return availabilityNote(u, version) + instead || undefined;
}

function renameFix(file: LoadedFile, ig: IgnoredEntry, to: string): Fix {
  return {
    title: `Change to ${to}=`,
    edits: [{ file: file.path, span: ig.entry.keySpan, newText: to }],
    preferred: true,
  };
}

export function directiveDiagnostics(model: UnitModel, file: LoadedFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const v = model.version;
  // "Did you mean": once per distinct key and section, and for the first MAX_DIAGNOSTICS_PER_FILE of
  // them only. Each guess compares the key with every directive of the section; a file with more
  // unknown keys than that shows only the first ones anyway (rules/diagnostics-limit.ts), so later guesses would be
  // work nobody sees (50,000 distinct misspellings took 10 s).
  const guesses = new Map<string, string | undefined>();
  const guessFor = (section: string, key: string): string | undefined => {
    const id = `${section}\n${key}`;
    if (guesses.has(id)) return guesses.get(id);
    if (guesses.size >= MAX_DIAGNOSTICS_PER_FILE) return undefined;
    const guess = closestName(
      key,
      directivesIn(section, v).map((d) => d.name),
    );
    guesses.set(id, guess);
    return guess;
  };
  for (const ig of model.ignored) {
    if (ig.file !== file) continue;
    const key = ig.entry.key;
    const section = ig.entry.section?.name ?? '';
    if (ig.reason === 'misplaced-directive') {
      const where = sectionsFor(key, v).filter((s) => model.validSections.includes(s));
      out.push({
        code: 'misplaced-directive',
        severity: 'warning',
        message: `${key}= does not belong in [${section}]: systemd ignores it there. It belongs in ${where.map((s) => `[${s}]`).join(' or ')}.`,
        file: file.path,
        span: ig.entry.keySpan,
      });
    } else if (ig.reason === 'unknown-directive') {
      const note = versionNote(key, section, v);
      const elsewhere = sectionsFor(key, v);
      let message = `Unknown directive ${key}= in [${section}]: systemd ${v} ignores it.`;
      const fixes: Fix[] = [];
      if (note) message += note;
      else if (elsewhere.length > 0)
        message += ` It is a setting of ${elsewhere.map((s) => `[${s}]`).join(' or ')}, which a .${model.type ?? 'service'} unit does not have.`;
      else {
        const guess = guessFor(section, key);
        if (guess) {
          message += ` Did you mean ${guess}=?`;
          fixes.push(renameFix(file, ig, guess));
        }
      }
      out.push({
        code: 'unknown-directive',
        severity: 'warning',
        message,
        file: file.path,
        span: ig.entry.keySpan,
        fixes,
      });
    }
  }
  for (const a of model.assignments) {
    if (a.file !== file) continue;
    const dep = directive(a.key)?.deprecated;
    if (!dep || dep.since > v || !isKnown(a.section, a.key, v)) continue;
    const replacement = insteadOf(dep);
    out.push({
      code: 'deprecated-directive',
      severity: 'warning',
      message: `${a.key}= is deprecated since systemd ${dep.since} (${dep.how}).${replacement}`,
      file: file.path,
      span: a.entry.keySpan,
    });
  }
  return out;
}
