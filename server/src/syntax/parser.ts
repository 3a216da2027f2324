/**
 * A lossless, total parser for systemd unit files and drop-ins.
 *
 * It follows systemd's config_parse()/parse_line() (src/shared/conf-parser.c) step by step:
 * lines as read_line() cuts them, comment lines skipped even inside a continuation, a UTF-8 BOM
 * stripped once, backslash continuation decided by scanning for an unescaped trailing backslash
 * (which becomes a space), then each logical line stripped of whitespace and classified as a
 * section header, an assignment, or an error. It never throws and runs in linear time.
 */
import { findInvalidUtf8, utf8Length } from './bytes';
import { splitSystemdLines, type PhysicalLine } from './lines';
import type {
  EntryNode,
  SectionNode,
  Span,
  SyntaxErrorCode,
  SyntaxIssue,
  SyntaxNode,
  UnitFileTree,
  ValueSegment,
} from './tree';

/** systemd's LONG_LINE_MAX: a line (or joined continuation) this long or longer fails the whole file. */
export const LONG_LINE_MAX = 1024 * 1024;

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isCommentStart(c: number): boolean {
  return c === 35 /* # */ || c === 59; /* ; */
}

/** Characters systemd's string_is_safe() refuses in a section name. */
function isUnsafeSectionChar(c: number): boolean {
  return (c > 0 && c < 32) || c === 34 || c === 39 || c === 92 || c === 127;
}

interface Logical {
  /** The pieces of the joined text as systemd builds it (backslashes of continued lines replaced by spaces). */
  pieces: string[];
  length: number;
  segments: ValueSegment[];
  firstLine: number;
  innerComments: Span[];
}

class Parser {
  private readonly nodes: SyntaxNode[] = [];
  private readonly sections: SectionNode[] = [];
  private readonly entries: EntryNode[] = [];
  private readonly issues: SyntaxIssue[] = [];
  private current: SectionNode | null = null;
  private seenHeader = false;
  private readonly lines: PhysicalLine[];

  constructor(private readonly text: string) {
    this.lines = splitSystemdLines(text);
  }

  run(): UnitFileTree {
    const { text, lines } = this;
    let bomSeen = false;
    let cont: Logical | null = null;
    let contBytes = 0;

    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!;
      this.checkLineTerminator(line, k);
      if ((line.contentEnd - line.start) * 3 >= LONG_LINE_MAX) {
        const bytes = utf8Length(text, line.start, line.contentEnd);
        if (bytes >= LONG_LINE_MAX) {
          this.issue(
            'line-too-long',
            `Line is ${bytes} bytes long; systemd refuses lines of 1 MiB or more and fails to load the file`,
            { start: line.start, end: line.contentEnd },
            true,
            k + 1,
          );
        }
      }

      let first = line.start;
      while (first < line.contentEnd && isWhitespace(text.charCodeAt(first))) first++;
      if (first < line.contentEnd && isCommentStart(text.charCodeAt(first))) {
        if (cont) cont.innerComments.push({ start: line.start, end: line.contentEnd });
        else this.nodes.push({ kind: 'comment', span: { start: line.start, end: line.end }, sdLine: k + 1 });
        continue;
      }

      let from = line.start;
      if (!bomSeen && text.charCodeAt(from) === 0xfeff && from < line.contentEnd) {
        from++;
        bomSeen = true;
      }
      const raw = text.slice(from, line.contentEnd);
      // Only the new piece needs scanning: the text before it ends in a state that is not escaped.
      let escaped = false;
      for (let i = 0; i < raw.length; i++) {
        if (escaped) escaped = false;
        else if (raw.charCodeAt(i) === 92) escaped = true;
      }
      // systemd turns the backslash that continues a line into a space.
      const piece = escaped ? raw.slice(0, -1) + ' ' : raw;

      if (cont) {
        const before = contBytes;
        contBytes += utf8Length(text, from, line.contentEnd);
        if (contBytes > LONG_LINE_MAX && before <= LONG_LINE_MAX) {
          this.issue(
            'line-too-long',
            'Continuation line too long: systemd fails to load the file',
            { start: line.start, end: line.contentEnd },
            true,
            k + 1,
          );
        }
        cont.segments.push({ valueStart: cont.length, length: piece.length, offset: from });
        cont.pieces.push(piece);
        cont.length += piece.length;
      } else {
        cont = {
          pieces: [piece],
          length: piece.length,
          segments: [{ valueStart: 0, length: piece.length, offset: from }],
          firstLine: k,
          innerComments: [],
        };
        contBytes = escaped ? utf8Length(raw) : 0;
      }
      if (escaped) continue;
      this.logicalLine(cont, k, k + 1);
      cont = null;
    }
    if (cont) this.logicalLine(cont, lines.length - 1, lines.length + 1);

    return {
      text,
      nodes: this.nodes,
      sections: this.sections,
      entries: this.entries,
      issues: this.issues,
      bom: text.charCodeAt(0) === 0xfeff,
    };
  }

  private checkLineTerminator(line: PhysicalLine, k: number): void {
    for (let i = line.contentEnd; i < line.end; i++) {
      if (this.text.charCodeAt(i) === 0) {
        this.issue(
          'nul-byte',
          'NUL byte: systemd ends the line here and reads what follows as a new line',
          { start: i, end: i + 1 },
          false,
          k + 1,
        );
      }
    }
  }

  private issue(code: SyntaxErrorCode, message: string, span: Span, fatal: boolean, sdLine: number): void {
    this.issues.push({ code, message, span, fatal, sdLine, section: this.current });
  }

  /** Maps an index of the logical text to its source offset. */
  private offsetOf(l: Logical, index: number): number {
    const segs = l.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.valueStart <= index) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo]!;
    return seg.offset + Math.min(index - seg.valueStart, seg.length);
  }

  /** Source span of logical text [from, to). */
  private spanOf(l: Logical, from: number, to: number): Span {
    if (to <= from) {
      const at = this.offsetOf(l, from);
      return { start: at, end: at };
    }
    return { start: this.offsetOf(l, from), end: this.offsetOf(l, to - 1) + 1 };
  }

  private segmentsOf(l: Logical, from: number, to: number): ValueSegment[] {
    const out: ValueSegment[] = [];
    for (const seg of l.segments) {
      const s = Math.max(from, seg.valueStart);
      const e = Math.min(to, seg.valueStart + seg.length);
      if (e > s) out.push({ valueStart: s - from, length: e - s, offset: seg.offset + (s - seg.valueStart) });
    }
    return out;
  }

  /** A line systemd cannot use: its issue and an invalid node. */
  private invalid(
    l: Logical,
    t: string,
    s: number,
    e: number,
    span: Span,
    sdLine: number,
    code: SyntaxErrorCode,
    message: string,
    fatal: boolean,
  ): void {
    const textSpan = this.spanOf(l, s, e);
    this.issue(code, message, textSpan, fatal, sdLine);
    this.nodes.push({ kind: 'invalid', span, sdLine, text: t.slice(s, e), textSpan, section: this.current });
  }

  private logicalLine(l: Logical, lastLine: number, sdLine: number): void {
    const t = l.pieces.length === 1 ? l.pieces[0]! : l.pieces.join('');
    const span: Span = { start: this.lines[l.firstLine]!.start, end: this.lines[lastLine]!.end };
    const continued = lastLine > l.firstLine;
    let s = 0;
    let e = t.length;
    while (s < e && isWhitespace(t.charCodeAt(s))) s++;
    while (e > s && isWhitespace(t.charCodeAt(e - 1))) e--;
    if (s === e) {
      this.nodes.push({ kind: 'blank', span, sdLine });
      return;
    }

    const bad = findInvalidUtf8(t, s, e);
    if (bad >= 0) {
      const at = this.offsetOf(l, bad);
      this.issue(
        'invalid-utf8',
        'Line is not valid UTF-8: systemd refuses to load the file',
        { start: at, end: at + 1 },
        true,
        sdLine,
      );
    }

    if (t.charCodeAt(s) === 91 /* [ */) {
      const shown = t.slice(s, e);
      if (t.charCodeAt(e - 1) !== 93 /* ] */) {
        this.invalid(
          l,
          t,
          s,
          e,
          span,
          sdLine,
          'invalid-section-header',
          `Invalid section header '${shown}': it must end with ']'; systemd refuses to load the file`,
          true,
        );
        return;
      }
      const name = t.slice(s + 1, e - 1);
      for (let i = 0; i < name.length; i++) {
        if (isUnsafeSectionChar(name.charCodeAt(i))) {
          this.invalid(
            l,
            t,
            s,
            e,
            span,
            sdLine,
            'bad-section-characters',
            `Bad characters in section header '${shown}': systemd refuses to load the file`,
            true,
          );
          return;
        }
      }
      const node: SectionNode = { kind: 'section', span, sdLine, name, nameSpan: this.spanOf(l, s + 1, e - 1) };
      this.nodes.push(node);
      this.sections.push(node);
      this.current = node;
      this.seenHeader = true;
      return;
    }

    const eq = t.indexOf('=', s);
    const hasEq = eq >= 0 && eq < e;
    if (!this.seenHeader) {
      if (!hasEq || eq === s) {
        this.invalid(
          l,
          t,
          s,
          e,
          span,
          sdLine,
          'assignment-outside-section',
          'Text before the first section header: systemd ignores it',
          false,
        );
        return;
      }
      this.issue(
        'assignment-outside-section',
        'Assignment before the first section header: systemd ignores it',
        this.spanOf(l, s, e),
        false,
        sdLine,
      );
    } else if (!hasEq) {
      this.invalid(l, t, s, e, span, sdLine, 'missing-equals', "Missing '=': systemd ignores this line", false);
      return;
    } else if (eq === s) {
      this.invalid(
        l,
        t,
        s,
        e,
        span,
        sdLine,
        'missing-key',
        "Missing key name before '=': systemd ignores this line",
        false,
      );
      return;
    }

    let ke = eq;
    while (ke > s && isWhitespace(t.charCodeAt(ke - 1))) ke--;
    let vs = eq + 1;
    while (vs < e && isWhitespace(t.charCodeAt(vs))) vs++;
    let valueSpan: Span;
    if (vs < e) valueSpan = this.spanOf(l, vs, e);
    else {
      const at = this.offsetOf(l, eq) + 1;
      valueSpan = { start: at, end: at };
    }
    const entry: EntryNode = {
      kind: 'entry',
      span,
      sdLine,
      key: t.slice(s, ke),
      keySpan: this.spanOf(l, s, ke),
      value: t.slice(vs, e),
      valueSpan,
      segments: this.segmentsOf(l, vs, e),
      innerComments: l.innerComments,
      section: this.seenHeader ? this.current : null,
      continued,
    };
    this.nodes.push(entry);
    this.entries.push(entry);
  }
}

/** Parses unit-file text. Total: any string in, a tree out; never throws. */
export function parseUnitFile(text: string): UnitFileTree {
  return new Parser(text).run();
}

/** Reproduces the source from a tree (the nodes cover the text exactly). */
export function printTree(tree: UnitFileTree): string {
  let out = '';
  for (const node of tree.nodes) out += tree.text.slice(node.span.start, node.span.end);
  return out;
}

/** Maps an index inside an entry's value to a source offset. */
export function valueOffset(entry: EntryNode, index: number): number {
  const segs = entry.segments;
  if (segs.length === 0) return entry.valueSpan.start;
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = segs[i]!;
    if (seg.valueStart <= index) return seg.offset + Math.min(index - seg.valueStart, seg.length);
  }
  return segs[0]!.offset;
}

/** Source span of value characters [from, to) of an entry. */
export function valueSpan(entry: EntryNode, from: number, to: number): Span {
  if (to <= from) {
    const at = valueOffset(entry, from);
    return { start: at, end: at };
  }
  return { start: valueOffset(entry, from), end: valueOffset(entry, to - 1) + 1 };
}
