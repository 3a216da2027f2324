/**
 * The lossless syntax tree of a unit file or drop-in.
 *
 * Every character of the input belongs to exactly one node, in order, so concatenating the
 * source text of all nodes reproduces the input. Offsets are UTF-16 code-unit indexes into the
 * text, `end` exclusive, which is what JavaScript strings and LSP positions count in.
 */

export interface Span {
  start: number;
  end: number;
}

/** One piece of a logical value: `length` characters of the value start at source offset `offset`. */
export interface ValueSegment {
  /** Index of the first character of this piece inside the logical (joined) value. */
  valueStart: number;
  length: number;
  /** Offset in the source text of the piece's first character. */
  offset: number;
}

interface NodeBase {
  /** The node's whole source: its physical lines, including their line terminators. */
  span: Span;
  /** The line number systemd's parser reports for this node (1-based; it counts NUL and \n\r as line ends). */
  sdLine: number;
}

export interface CommentNode extends NodeBase {
  kind: 'comment';
}

export interface BlankNode extends NodeBase {
  kind: 'blank';
}

export interface SectionNode extends NodeBase {
  kind: 'section';
  /** The name between the brackets, as written (not trimmed). */
  name: string;
  nameSpan: Span;
}

export interface EntryNode extends NodeBase {
  kind: 'entry';
  key: string;
  keySpan: Span;
  /** The value as systemd sees it: continuation lines joined, outer whitespace stripped. */
  value: string;
  /** From the first to the last character of the value in the source (empty at the `=` for empty values). */
  valueSpan: Span;
  /** Maps each character of `value` back to the source; pieces are in order. */
  segments: ValueSegment[];
  /** Comment lines that systemd skips inside a continuation, as spans. */
  innerComments: Span[];
  /** The section header this entry belongs to, or null when it comes before any header. */
  section: SectionNode | null;
  /** True when the entry spans more than one physical line (backslash continuation). */
  continued: boolean;
}

/** A line systemd cannot use: no `=`, no key, a broken section header, ... */
export interface InvalidNode extends NodeBase {
  kind: 'invalid';
  section: SectionNode | null;
  /** The logical text of the line(s), joined as systemd joins continuations. */
  text: string;
  textSpan: Span;
}

export type SyntaxNode = CommentNode | BlankNode | SectionNode | EntryNode | InvalidNode;

export type SyntaxErrorCode =
  | 'invalid-utf8'
  | 'line-too-long'
  | 'invalid-section-header'
  | 'bad-section-characters'
  | 'assignment-outside-section'
  | 'missing-equals'
  | 'missing-key'
  | 'nul-byte';

export interface SyntaxIssue {
  code: SyntaxErrorCode;
  message: string;
  span: Span;
  /** True when systemd refuses to load the whole file because of it. */
  fatal: boolean;
  sdLine: number;
  /** The section in effect where the issue is (null before the first header). */
  section: SectionNode | null;
}

export interface UnitFileTree {
  text: string;
  nodes: SyntaxNode[];
  /** Section headers in order. */
  sections: SectionNode[];
  /** Entries in order, each with its section. */
  entries: EntryNode[];
  issues: SyntaxIssue[];
  /** True when the text started with a byte-order mark (stripped by systemd). */
  bom: boolean;
}
