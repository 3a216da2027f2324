/**
 * Word splitting as systemd's extract_first_word() (src/basic/extract-word.c) does it, with the
 * position of each word inside the value kept, so problems can point at the word.
 *
 * systemd works on bytes, this on UTF-16 code units; the two agree because every character with a
 * meaning here (quotes, backslash, separators) is ASCII. The one difference: `\xNN` and octal
 * escapes make a raw byte in systemd, here the character with that code (U+0000..U+00FF).
 */

export const WHITESPACE = ' \t\n\r';

export const EXTRACT_RELAX = 1 << 0;
export const EXTRACT_CUNESCAPE = 1 << 1;
export const EXTRACT_UNESCAPE_RELAX = 1 << 2;
export const EXTRACT_UNESCAPE_SEPARATORS = 1 << 3;
export const EXTRACT_KEEP_QUOTE = 1 << 4;
export const EXTRACT_UNQUOTE = 1 << 5;
export const EXTRACT_DONT_COALESCE_SEPARATORS = 1 << 6;
export const EXTRACT_RETAIN_ESCAPE = 1 << 7;
export const EXTRACT_RETAIN_SEPARATORS = 1 << 8;

export interface Word {
  /** The word after unquoting/unescaping. */
  word: string;
  /** Index of the word's first character in the input. */
  start: number;
  /** Index just past the word's last character (before any separator). */
  end: number;
}

export type ExtractResult =
  | { kind: 'word'; word: Word; next: number | null }
  | { kind: 'end' }
  /** -EINVAL: a bad escape or unbalanced quote; `at` is where systemd gave up. */
  | { kind: 'error'; at: number };

function hexValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const x = c.charCodeAt(0);
  if (x >= 48 && x <= 57) return x - 48;
  if (x >= 97 && x <= 102) return x - 87;
  if (x >= 65 && x <= 70) return x - 55;
  return -1;
}

function octValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const x = c.charCodeAt(0);
  return x >= 48 && x <= 55 ? x - 48 : -1;
}

function validCodePoint(c: number): boolean {
  return c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfffe && c !== 0xffff;
}

/**
 * cunescape_one(): decodes the escape whose letter is at `s[i]` (just after the backslash).
 * Returns the decoded text and how many characters it used, or null for an invalid escape.
 */
export function cunescapeOne(s: string, i: number): { text: string; length: number } | null {
  const c = s[i];
  switch (c) {
    case 'a':
      return { text: '\x07', length: 1 };
    case 'b':
      return { text: '\b', length: 1 };
    case 'f':
      return { text: '\f', length: 1 };
    case 'n':
      return { text: '\n', length: 1 };
    case 'r':
      return { text: '\r', length: 1 };
    case 't':
      return { text: '\t', length: 1 };
    case 'v':
      return { text: '\v', length: 1 };
    case '\\':
      return { text: '\\', length: 1 };
    case '"':
      return { text: '"', length: 1 };
    case "'":
      return { text: "'", length: 1 };
    case 's':
      return { text: ' ', length: 1 };
    case 'x': {
      const a = hexValue(s[i + 1]);
      const b = hexValue(s[i + 2]);
      if (a < 0 || b < 0 || (a === 0 && b === 0)) return null;
      return { text: String.fromCharCode((a << 4) | b), length: 3 };
    }
    case 'u':
    case 'U': {
      const n = c === 'u' ? 4 : 8;
      let v = 0;
      for (let k = 1; k <= n; k++) {
        const d = hexValue(s[i + k]);
        if (d < 0) return null;
        v = v * 16 + d;
      }
      if (v === 0) return null;
      if (c === 'U' && !validCodePoint(v)) return null;
      if (v > 0x10ffff) return null;
      return { text: String.fromCodePoint(v), length: n + 1 };
    }
    default: {
      if (c === undefined || octValue(c) < 0) return null;
      const a = octValue(c);
      const b = octValue(s[i + 1]);
      const d = octValue(s[i + 2]);
      if (b < 0 || d < 0 || (a === 0 && b === 0 && d === 0)) return null;
      const m = (a << 6) | (b << 3) | d;
      if (m > 255) return null;
      return { text: String.fromCharCode(m), length: 3 };
    }
  }
}

/**
 * extract_first_word() starting at `pos` (null = systemd's NULL pointer: nothing left).
 * `next` is where the following call starts (null when systemd set the pointer to NULL).
 */
export function extractFirstWord(
  s: string,
  pos: number | null,
  flags = 0,
  separators: string = WHITESPACE,
): ExtractResult {
  if (pos === null) return { kind: 'end' };
  let p = pos;
  const at = (k: number): string | undefined => (k < s.length ? s[k] : undefined);
  let out: string | null = null;
  let quote: string | null = null;
  let backslash = false;
  let start = p;

  if (flags & EXTRACT_DONT_COALESCE_SEPARATORS) out = '';

  // Skip leading separators.
  for (; ; p++) {
    const c = at(p);
    if (c === undefined) {
      // finish_force_terminate
      return out === null ? { kind: 'end' } : { kind: 'word', word: { word: out, start: p, end: p }, next: null };
    }
    if (separators.includes(c)) {
      if (flags & EXTRACT_DONT_COALESCE_SEPARATORS) {
        const next = flags & EXTRACT_RETAIN_SEPARATORS ? p : p + 1;
        return { kind: 'word', word: { word: out ?? '', start: p, end: p }, next };
      }
      continue;
    }
    out = out ?? '';
    start = p;
    break;
  }

  let word = out ?? '';
  for (;;) {
    const c = at(p);
    if (backslash) {
      if (c === undefined) {
        if (flags & EXTRACT_UNESCAPE_RELAX && (quote === null || flags & EXTRACT_RELAX)) {
          word += '\\';
          return { kind: 'word', word: { word, start, end: p }, next: null };
        }
        if (flags & EXTRACT_RELAX) return { kind: 'word', word: { word, start, end: p }, next: null };
        return { kind: 'error', at: p };
      }
      if (flags & (EXTRACT_CUNESCAPE | EXTRACT_UNESCAPE_SEPARATORS)) {
        const u = flags & EXTRACT_CUNESCAPE ? cunescapeOne(s, p) : null;
        if (u) {
          word += u.text;
          p += u.length - 1;
        } else if (flags & EXTRACT_UNESCAPE_SEPARATORS && (separators.includes(c) || c === '\\')) {
          word += c;
        } else if (flags & EXTRACT_UNESCAPE_RELAX) {
          word += '\\' + c;
        } else {
          return { kind: 'error', at: p };
        }
      } else {
        word += c;
      }
      backslash = false;
      p++;
      continue;
    }
    if (quote !== null) {
      for (; ; p++) {
        const q = at(p);
        if (q === undefined) {
          if (flags & EXTRACT_RELAX) return { kind: 'word', word: { word, start, end: p }, next: null };
          return { kind: 'error', at: p };
        }
        if (q === quote) {
          quote = null;
          if (flags & EXTRACT_UNQUOTE) break;
        } else if (q === '\\' && !(flags & EXTRACT_RETAIN_ESCAPE)) {
          backslash = true;
          break;
        }
        word += q;
        if (quote === null) break;
      }
      p++;
      continue;
    }
    for (; ; p++) {
      const q = at(p);
      if (q === undefined) return { kind: 'word', word: { word, start, end: p }, next: null };
      if ((q === "'" || q === '"') && flags & (EXTRACT_KEEP_QUOTE | EXTRACT_UNQUOTE)) {
        quote = q;
        if (flags & EXTRACT_UNQUOTE) break;
      } else if (q === '\\' && !(flags & EXTRACT_RETAIN_ESCAPE)) {
        backslash = true;
        break;
      } else if (separators.includes(q)) {
        const end = p;
        if (flags & EXTRACT_DONT_COALESCE_SEPARATORS) {
          return { kind: 'word', word: { word, start, end }, next: flags & EXTRACT_RETAIN_SEPARATORS ? p : p + 1 };
        }
        if (flags & EXTRACT_RETAIN_SEPARATORS) return { kind: 'word', word: { word, start, end }, next: p };
        for (; ; p++) {
          const r = at(p);
          if (r === undefined) return { kind: 'word', word: { word, start, end }, next: null };
          if (!separators.includes(r)) break;
        }
        return { kind: 'word', word: { word, start, end }, next: p };
      }
      word += q;
      if (quote !== null) break;
    }
    p++;
  }
}

export interface SplitResult {
  words: Word[];
  /** Set when extraction failed part way; the words before the failure are in `words`. */
  error?: { at: number; start: number };
}

/** Calls extract_first_word() until the end or an error. */
export function splitWords(s: string, flags = 0, separators: string = WHITESPACE): SplitResult {
  const words: Word[] = [];
  let pos: number | null = 0;
  for (;;) {
    const before: number | null = pos;
    const r = extractFirstWord(s, pos, flags, separators);
    if (r.kind === 'end') return { words };
    if (r.kind === 'error') {
      let start = before ?? s.length;
      while (start < s.length && separators.includes(s[start]!)) start++;
      return { words, error: { at: r.at, start } };
    }
    words.push(r.word);
    pos = r.next;
  }
}

export type WarnedExtract =
  | { kind: 'word'; word: Word; next: number | null; warning?: string }
  | { kind: 'end' }
  /** `message`: what is wrong, without what systemd does about it (the caller knows that). */
  | { kind: 'error'; at: number; start: number; message: string };

/**
 * extract_first_word_and_warn(): on a bad escape, retry keeping unknown escapes verbatim (with a
 * warning); unbalanced quoting stays an error.
 */
export function extractFirstWordAndWarn(
  s: string,
  pos: number | null,
  flags: number,
  separators: string = WHITESPACE,
): WarnedExtract {
  const r = extractFirstWord(s, pos, flags, separators);
  if (r.kind !== 'error') return r;
  let start = pos ?? s.length;
  while (start < s.length && separators.includes(s[start]!)) start++;
  if (!(flags & EXTRACT_UNESCAPE_RELAX)) {
    const again = extractFirstWord(s, pos, flags | EXTRACT_UNESCAPE_RELAX, separators);
    if (again.kind === 'word') {
      return {
        ...again,
        warning: `'${again.word.word}' has a backslash escape systemd does not know; it keeps the backslash as written`,
      };
    }
    if (again.kind === 'error') return { kind: 'error', at: again.at, start, message: 'Unbalanced quote' };
  }
  return { kind: 'error', at: r.at, start, message: 'Invalid backslash escape' };
}

/** A value's leading `~` (inversion), as the list settings read it: the rest, and where it starts. */
export function stripInversion(value: string): { text: string; invert: boolean; offset: number } {
  return value.startsWith('~')
    ? { text: value.slice(1), invert: true, offset: 1 }
    : { text: value, invert: false, offset: 0 };
}
