/**
 * Line handling, two ways:
 * - `splitSystemdLines` cuts text the way systemd's read_line() does, which is what decides how a
 *   unit file is parsed (a NUL ends a line; "\r\n" and "\n\r" are one line end each).
 * - `LineIndex` converts offsets to LSP positions (line, UTF-16 character), where only "\n",
 *   "\r\n" and "\r" end lines.
 */

export interface PhysicalLine {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the content (where the line terminator begins). */
  contentEnd: number;
  /** Offset just past the line terminator. */
  end: number;
}

const EOL_NUL = 1;
const EOL_LF = 2;
const EOL_CR = 4;

function eolKind(c: number): number {
  if (c === 10) return EOL_LF;
  if (c === 13) return EOL_CR;
  if (c === 0) return EOL_NUL;
  return 0;
}

export function splitSystemdLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    while (i < n && eolKind(text.charCodeAt(i)) === 0) i++;
    const contentEnd = i;
    let seen = 0;
    while (i < n) {
      if (seen & EOL_NUL) break;
      const kind = eolKind(text.charCodeAt(i));
      if (kind === 0 || seen & kind) break;
      seen |= kind;
      i++;
    }
    lines.push({ start, contentEnd, end: i });
  }
  return lines;
}

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1]! : this.text.length;
    let lineEnd = next;
    while (lineEnd > start && (this.text.charCodeAt(lineEnd - 1) === 10 || this.text.charCodeAt(lineEnd - 1) === 13))
      lineEnd--;
    return Math.min(start + Math.max(0, pos.character), lineEnd);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }
}
