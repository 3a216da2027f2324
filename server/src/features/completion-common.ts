/** What completion entries are, and the text helpers the completion of names and of values share. */
import type { Span } from '../syntax/tree';

export type CompletionKind =
  | 'section'
  | 'directive'
  | 'value'
  | 'capability'
  | 'syscall-group'
  | 'syscall'
  | 'address-family'
  | 'namespace'
  | 'errno'
  | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText?: string;
  isSnippet?: boolean;
  /** The text the entry replaces (offsets in the cursor's file); it contains the cursor. */
  replace: Span;
  sortText?: string;
  filterText?: string;
  deprecated?: boolean;
  /** Predicted overall exposure before → after choosing the entry, e.g. "9.6 → 9.4". */
  exposureAfter?: string;
  preselect?: boolean;
}

/**
 * Whether an editor could still show `label` for the typed `prefix`: a superset of VS Code's fuzzy
 * filter, whose first character must match at the start of the label, after a separator or at an
 * upper-case letter, the rest in order. Entries the client will hide anyway get no exposure.
 */
export function mayMatch(prefix: string, label: string): boolean {
  if (prefix === '') return true;
  const p = prefix.toLowerCase();
  const l = label.toLowerCase();
  for (let i = 0; i < label.length; i++) {
    if (l[i] !== p[0]) continue;
    const start = i === 0 || !/[A-Za-z0-9]/.test(label[i - 1]!) || (label[i] !== l[i] && label[i - 1] === l[i - 1]);
    if (!start) continue;
    let j = 1;
    for (let k = i + 1; k < label.length && j < p.length; k++) if (l[k] === p[j]) j++;
    if (j === p.length) return true;
  }
  return false;
}

export function firstSentence(s: string): string {
  let end = s.length;
  const re = /[.;](\s|$)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (/\b(e\.g|i\.e|etc|vs)$/.test(s.slice(0, m.index))) continue;
    end = m.index + 1;
    break;
  }
  const t = s.slice(0, end);
  return t.length > 90 ? t.slice(0, 87) + '…' : t;
}
