import type { Span } from '../syntax/tree';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text change in one file: replace [span.start, span.end) with `newText`. */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
  /** An editor command instead of edits: 'harden' is "Harden this unit…" (preview, then write the drop-in). */
  command?: 'harden';
}

/** A finding of the core, located in one file. Plain data: adapters turn it into LSP or CLI output. */
export interface Diagnostic {
  /** Stable rule id, also the settings key and the anchor of its documentation. */
  code: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  fixes?: Fix[];
}
