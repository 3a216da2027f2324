/**
 * Where the cursor is, for completion and hover: in a section header, on a key, or in a value —
 * and there, on which word of a list, after a leading `~`, after the `:` of a `NAME:ERRNO` word.
 * The unit around the cursor and what-if scoring are what-if.ts's.
 *
 * Pure and total: any text and any offset give an answer (possibly `none`).
 */
import { sectionsOf } from '../model/sections';
import type { SourceFile } from '../model/unit-model';
import { parseUnitName, type UnitType } from '../model/unit-name';
import { type TargetVersion, targetVersion } from '../model/values/folded';
import { parseUnitFile, valueOffset } from '../syntax/parser';
import type { EntryNode, SectionNode, Span, SyntaxNode, UnitFileTree } from '../syntax/tree';

export interface FeatureContext {
  /** The unit's name, e.g. `nginx.service` (a drop-in belongs to the unit its folder names). */
  name: string;
  /** The unit file first (if any), then its drop-ins in the order systemd applies them. */
  files: SourceFile[];
  /** Which file the cursor is in. */
  fileIndex: number;
  /** UTF-16 offset of the cursor in that file's text. */
  offset: number;
  version: TargetVersion;
}

/** A word of a list value, in value coordinates (`from`/`to` index into the entry's value). */
export interface ValueWord {
  text: string;
  from: number;
  to: number;
}

/** The word under the cursor in a value. */
export interface CursorWord extends ValueWord {
  /** Index among the value's words (after a leading `~`); equals the word count for a new word. */
  index: number;
  /** The part before the cursor. */
  prefix: string;
  /** Source span of the whole word (empty, at the cursor, for a new word). */
  span: Span;
  /** Set when the word has a `:` and the cursor is after it (`read:EPE|`). */
  colon?: { name: string; errno: string; errnoPrefix: string; errnoSpan: Span };
  /** Set when the word has a `:` and the cursor is before it (`@clo|ck:EPERM`): the part before the `:`. */
  beforeColon?: { name: string; span: Span };
}

export type Place =
  | { kind: 'none' }
  | { kind: 'comment' }
  | {
      kind: 'section-header';
      /** From `[` to `]` (or to the end of the line when there is no `]`). */
      span: Span;
      /** Text between `[` and the cursor. */
      prefix: string;
      /** The name between the brackets as written, when the header is complete. */
      name: string | null;
      nameSpan: Span | null;
    }
  | {
      kind: 'key';
      /** The key as typed (or an empty span at the cursor on an empty line). */
      span: Span;
      prefix: string;
      /** The whole key word under the cursor. */
      word: string;
      /** True when the line already has `=` after the key. */
      hasEquals: boolean;
      /** The entry the key belongs to, when the line already is an assignment. */
      entry: EntryNode | null;
    }
  | {
      kind: 'value';
      entry: EntryNode;
      key: string;
      /** Cursor position as an index into the value. */
      index: number;
      /** The value starts with `~`. */
      inverted: boolean;
      /** The cursor is before the leading `~`. */
      beforeTilde: boolean;
      words: ValueWord[];
      word: CursorWord;
    };

export interface CursorContext {
  ctx: FeatureContext;
  version: TargetVersion;
  file: SourceFile;
  tree: UnitFileTree;
  /** Clamped to the text. */
  offset: number;
  unitType: UnitType | null;
  /** The sections the unit type accepts. */
  validSections: readonly string[];
  /** The section in effect at the cursor (null before the first header). */
  section: SectionNode | null;
  node: SyntaxNode | null;
  place: Place;
}

const WS = /[ \t\n\r]/;

function isWs(c: string | undefined): boolean {
  return c !== undefined && WS.test(c);
}

/** The node whose span holds the offset; null on the empty line after a final line break. */
function nodeAt(tree: UnitFileTree, offset: number): SyntaxNode | null {
  const nodes = tree.nodes;
  let lo = 0;
  let hi = nodes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid]!.span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const n = nodes[found]!;
  if (offset < n.span.end) return n;
  // offset === end: the end of the last line, unless that line ended with a terminator.
  const last = tree.text[tree.text.length - 1];
  if (offset === tree.text.length && last !== '\n' && last !== '\r' && last !== '\0') return n;
  return null;
}

function sectionBefore(tree: UnitFileTree, offset: number): SectionNode | null {
  let s: SectionNode | null = null;
  for (const h of tree.sections) {
    if (h.span.start <= offset) s = h;
    else break;
  }
  return s;
}

/** The value index of a source offset inside an entry (clamped to the value). */
export function valueIndexAt(entry: EntryNode, offset: number): number {
  for (const seg of entry.segments) {
    if (offset < seg.offset) return seg.valueStart;
    if (offset <= seg.offset + seg.length) return seg.valueStart + (offset - seg.offset);
  }
  return entry.value.length;
}

/** Words of a value separated by whitespace, from `start`. */
export function splitValueWords(value: string, start = 0): ValueWord[] {
  const out: ValueWord[] = [];
  let i = start;
  while (i < value.length) {
    while (i < value.length && isWs(value[i])) i++;
    if (i >= value.length) break;
    const from = i;
    while (i < value.length && !isWs(value[i])) i++;
    out.push({ text: value.slice(from, i), from, to: i });
  }
  return out;
}

function valuePlace(entry: EntryNode, offset: number): Place {
  const value = entry.value;
  const index = valueIndexAt(entry, offset);
  const inverted = value.startsWith('~');
  const words = splitValueWords(value, inverted ? 1 : 0);
  const contiguous = valueOffset(entry, index) === offset;
  const beforeTilde = inverted && index === 0 && contiguous;
  let word: CursorWord | null = null;
  if (contiguous && !beforeTilde) {
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      if (w.from <= index && index <= w.to) {
        const span = { start: valueOffset(entry, w.from), end: valueOffset(entry, w.to) };
        word = { ...w, index: k, prefix: value.slice(w.from, index), span };
        const colon = w.text.indexOf(':');
        if (colon >= 0 && index > w.from + colon) {
          const errFrom = w.from + colon + 1;
          word.colon = {
            name: w.text.slice(0, colon),
            errno: value.slice(errFrom, w.to),
            errnoPrefix: value.slice(errFrom, index),
            errnoSpan: { start: valueOffset(entry, errFrom), end: span.end },
          };
        } else if (colon >= 0) {
          word.beforeColon = {
            name: w.text.slice(0, colon),
            span: { start: span.start, end: valueOffset(entry, w.from + colon) },
          };
        }
        break;
      }
    }
  }
  if (!word) {
    const k = words.filter((w) => w.to <= index).length;
    word = { text: '', from: index, to: index, index: k, prefix: '', span: { start: offset, end: offset } };
  }
  return { kind: 'value', entry, key: entry.key, index, inverted, beforeTilde, words, word };
}

function headerPlaceFromText(text: string, start: number, stop: number, offset: number): Place {
  // `[` at `start`; the header runs to the first `]` or to the end of the (editor's) line.
  let end = start;
  while (end < stop && text[end] !== '\n' && text[end] !== '\r') end++;
  const close = text.indexOf(']', start);
  const last = close >= 0 && close < end ? close + 1 : end;
  if (offset > last) return { kind: 'none' };
  const prefix = offset > start ? text.slice(start + 1, Math.min(offset, close >= 0 && close < end ? close : end)) : '';
  return { kind: 'section-header', span: { start, end: last }, prefix, name: null, nameSpan: null };
}

function placeOf(tree: UnitFileTree, node: SyntaxNode | null, offset: number): Place {
  const text = tree.text;
  if (!node)
    return { kind: 'key', span: { start: offset, end: offset }, prefix: '', word: '', hasEquals: false, entry: null };
  switch (node.kind) {
    case 'comment':
      return { kind: 'comment' };
    case 'blank':
      return { kind: 'key', span: { start: offset, end: offset }, prefix: '', word: '', hasEquals: false, entry: null };
    case 'section': {
      const open = node.nameSpan.start - 1;
      const close = node.nameSpan.end + 1;
      if (offset < open || offset > close) return { kind: 'none' };
      const prefix =
        offset > node.nameSpan.start ? text.slice(node.nameSpan.start, Math.min(offset, node.nameSpan.end)) : '';
      return {
        kind: 'section-header',
        span: { start: open, end: close },
        prefix,
        name: node.name,
        nameSpan: node.nameSpan,
      };
    }
    case 'entry': {
      const eq = text.indexOf('=', node.keySpan.end);
      if (eq >= 0 && offset > eq) return valuePlace(node, offset);
      if (offset < node.keySpan.start) return { kind: 'none' };
      const span = { start: node.keySpan.start, end: Math.max(node.keySpan.end, offset) };
      return {
        kind: 'key',
        span,
        prefix: text.slice(node.keySpan.start, Math.min(offset, node.keySpan.end)),
        word: node.key,
        hasEquals: true,
        entry: node,
      };
    }
    case 'invalid': {
      const { start, end } = node.textSpan;
      if (offset < start || offset > end) return { kind: 'none' };
      if (text[start] === '[') return headerPlaceFromText(text, start, end, offset);
      if (text[start] === '=') return { kind: 'none' };
      let wordEnd = start;
      while (wordEnd < end && !isWs(text[wordEnd]) && text[wordEnd] !== '=') wordEnd++;
      if (offset > wordEnd) return { kind: 'none' };
      return {
        kind: 'key',
        span: { start, end: wordEnd },
        prefix: text.slice(start, offset),
        word: text.slice(start, wordEnd),
        hasEquals: false,
        entry: null,
      };
    }
  }
}

/** Trees parsed for a context, cached by text (the editor asks many times about the same text). */
const treeCache = new Map<string, UnitFileTree>();

export function treeOf(text: string): UnitFileTree {
  let t = treeCache.get(text);
  if (!t) {
    t = parseUnitFile(text);
    if (treeCache.size >= 8) treeCache.delete(treeCache.keys().next().value as string);
    treeCache.set(text, t);
  }
  return t;
}

/** Where the cursor is; null when the context names no file. */
export function locate(ctx: FeatureContext): CursorContext | null {
  if (!ctx || !Array.isArray(ctx.files)) return null;
  const file = ctx.files[ctx.fileIndex];
  if (!file || typeof file.text !== 'string') return null;
  const tree = treeOf(file.text);
  const raw = Number.isFinite(ctx.offset) ? Math.trunc(ctx.offset) : 0;
  const offset = Math.max(0, Math.min(raw, file.text.length));
  const unitType = parseUnitName(String(ctx.name ?? ''))?.type ?? null;
  const node = nodeAt(tree, offset);
  const section =
    node && (node.kind === 'entry' || node.kind === 'invalid')
      ? node.section
      : node?.kind === 'section'
        ? node
        : sectionBefore(tree, offset);
  return {
    ctx,
    version: targetVersion(Number(ctx.version) || 0),
    file,
    tree,
    offset,
    unitType,
    validSections: sectionsOf(unitType),
    section,
    node,
    place: clampToLine(file.text, offset, placeOf(tree, node, offset)),
  };
}

/** Keeps header and key spans on the editor line of the cursor (continuations can join lines). */
function clampToLine(text: string, offset: number, place: Place): Place {
  if (place.kind !== 'section-header' && place.kind !== 'key') return place;
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  if (place.span.start >= start && place.span.end <= end) return place;
  const span = { start: Math.max(place.span.start, start), end: Math.min(place.span.end, end) };
  return { ...place, span };
}
