/**
 * At most MAX_DIAGNOSTICS_PER_FILE diagnostics per file, then one summary of the rest. A unit file
 * people write has a few dozen problems at most (the worst of the 588 files of the shared corpus of
 * real units has 75, sandbox diagnostics included); thousands come only from generated or damaged
 * text (a NUL byte per character, a line pasted 50,000 times). Past a few hundred nobody reads them
 * one by one, yet every one costs the editor a marker and the language server's message a few
 * hundred bytes: 500 keeps the message under about 150 KB and still shows every problem of any
 * real file, with room to spare.
 */
import type { Diagnostic, Severity } from './diagnostic';

export const MAX_DIAGNOSTICS_PER_FILE = 500;

export const TOO_MANY_PROBLEMS = 'too-many-problems';

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * Keeps at most `max` diagnostics of each file, the most severe first and, among equals, the first
 * in the list; the kept ones stay in their order. A file with more gets one information diagnostic,
 * after its kept ones, saying how many are not shown, on the first of them in the text.
 */
export function capDiagnostics(diagnostics: Diagnostic[], max = MAX_DIAGNOSTICS_PER_FILE): Diagnostic[] {
  const perFile = new Map<string, number[]>();
  diagnostics.forEach((d, i) => {
    const list = perFile.get(d.file);
    if (list) list.push(i);
    else perFile.set(d.file, [i]);
  });
  let over = false;
  for (const list of perFile.values()) if (list.length > max) over = true;
  if (!over) return diagnostics;

  const out: Diagnostic[] = [];
  for (const [file, list] of perFile) {
    if (list.length <= max) {
      for (const i of list) out.push(diagnostics[i]!);
      continue;
    }
    const bySeverity = [...list].sort(
      (a, b) => RANK[diagnostics[a]!.severity] - RANK[diagnostics[b]!.severity] || a - b,
    );
    const kept = bySeverity.slice(0, max).sort((a, b) => a - b);
    for (const i of kept) out.push(diagnostics[i]!);
    let first = diagnostics[bySeverity[max]!]!;
    for (let k = max + 1; k < bySeverity.length; k++) {
      const d = diagnostics[bySeverity[k]!]!;
      if (d.span.start < first.span.start) first = d;
    }
    const hidden = list.length - max;
    out.push({
      code: TOO_MANY_PROBLEMS,
      severity: 'information',
      message: `${hidden} more problem${hidden === 1 ? '' : 's'} in this file ${hidden === 1 ? 'is' : 'are'} not shown (systemd-hardening shows the first ${max}, errors first).`,
      file,
      span: { start: first.span.start, end: first.span.start },
    });
  }
  return out;
}
