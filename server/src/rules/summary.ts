/**
 * The exposure summary: one information diagnostic on [Service] of the file that shows the unit's
 * advice (the document being edited), instead of a flood of per-check warnings. It says the exposure
 * as systemd-analyze security prints it and what the recommended drop-in (features/harden.ts,
 * `systemd-hardening harden`) reaches: "9.6 UNSAFE; the recommended drop-in brings it to 3.1 OK".
 * Its action is "Harden this unit…", which previews that drop-in and writes it (the editor's command).
 */
import type { LoadedFile } from '../model/unit-model';
import type { Span } from '../syntax/tree';
import type { Diagnostic } from './diagnostic';

export const SUMMARY_CODE = 'exposure-summary';

/**
 * Title of the summary's action; the editor's command of the same name previews and writes the drop-in.
 * It is the preferred fix (listed first): the recommended drop-in keeps the service running (harden
 * drops every line the breakage analysis finds would break it), and nothing is written without a look.
 */
export const HARDEN_TITLE = 'Harden this unit…';

/** What the summary needs of the recommended drop-in (a HardenResult of features/harden.ts). */
export interface Recommendation {
  dropin: string;
  dropinPath: string | null;
  exposureAfter: number | null;
  bandAfter: string | null;
  error?: string;
}

function headerOf(file: LoadedFile): Span {
  const header = file.tree.sections.find((s) => s.name === 'Service') ?? file.tree.sections[0];
  return header ? header.nameSpan : { start: 0, end: 0 };
}

/** What the recommended drop-in does, after "; " (null: say nothing about it). */
function reach(before: string, r: Recommendation | null, inPlace: boolean): string | null {
  if (r === null) return null;
  if (inPlace) return 'the recommended drop-in is in place';
  if (r.error) return `no drop-in is recommended: ${r.error}`;
  if (r.dropin.trim() === '' || r.exposureAfter === null) return 'the recommended drop-in has nothing to add';
  const after = `${r.exposureAfter.toFixed(1)}${r.bandAfter ? ` ${r.bandAfter}` : ''}`;
  if (after === before) return `the recommended drop-in keeps it at ${after}`;
  return `the recommended drop-in brings it to ${after}`;
}

/**
 * The summary diagnostic of `file` for a unit scored `exposure` (one decimal) in `band`. Its one fix is
 * the "Harden this unit…" command, offered unless the recommendation is known to have nothing to write.
 */
export function summaryDiagnostic(
  unit: string,
  files: readonly LoadedFile[],
  file: LoadedFile,
  exposure: string,
  band: string | null,
  recommended: Recommendation | null,
  userUnit = false,
  /** Where the release's other figure prints another number: how this figure is named, and the other one ("3.1 OK once running"). */
  beside: { own: string; other: string } | null = null,
): Diagnostic {
  const before = `${exposure}${band ? ` ${band}` : ''}`;
  const inPlace =
    recommended !== null &&
    recommended.dropin !== '' &&
    files.some((f) => f.path === recommended.dropinPath && f.tree.text === recommended.dropin);
  const tail = reach(before, recommended, inPlace);
  // Not worked out yet (null): offered, the command works it out; known to have nothing to write: not offered.
  const canHarden = recommended === null || (!inPlace && !recommended.error && recommended.dropin.trim() !== '');
  return {
    code: SUMMARY_CODE,
    severity: 'information',
    message: `${unit}${userUnit ? ' (user unit)' : ''}: exposure ${before}${beside ? ` ${beside.own}, ${beside.other}` : ''}${tail ? `; ${tail}` : ''}.`,
    file: file.path,
    span: headerOf(file),
    ...(canHarden ? { fixes: [{ title: HARDEN_TITLE, edits: [], command: 'harden' as const, preferred: true }] } : {}),
  };
}
