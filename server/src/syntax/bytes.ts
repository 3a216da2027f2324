/**
 * Lossless conversion between file bytes and the strings the core works on.
 *
 * Valid UTF-8 decodes as usual. Every byte that is not part of a valid UTF-8 sequence becomes the
 * lone surrogate U+DC00 + byte, in U+DC80..U+DCFF (the "surrogateescape" scheme), so any bytes survive a round trip
 * through a string and invalid input stays visible to the parser, which reports it.
 */

const ESCAPE_BASE = 0xdc00;
const ESCAPE_FIRST = 0xdc80;
const ESCAPE_LAST = 0xdcff;

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there cannot start one. */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  let len: number;
  let min: number;
  let cp: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
    min = 0x80;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    min = 0x800;
    cp = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    min = 0x10000;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > bytes.length) return 0;
  for (let k = 1; k < len; k++) {
    const b = bytes[i + k]!;
    if ((b & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

/** Decodes bytes to a string; invalid bytes become U+DC80..U+DCFF. Never throws. */
export function decodeBytes(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = validSequenceLength(bytes, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (i > runStart) out += decoder.decode(bytes.subarray(runStart, i));
    out += String.fromCharCode(ESCAPE_BASE + b);
    i++;
    runStart = i;
  }
  if (runStart < bytes.length) out += decoder.decode(bytes.subarray(runStart));
  return out;
}

/** Encodes a string back to bytes; escaped bytes U+DC80..U+DCFF become the original bytes. */
export function encodeText(text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ESCAPE_FIRST && c <= ESCAPE_LAST) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (prev >= 0xd800 && prev <= 0xdbff) continue; // second half of a real surrogate pair
      if (i > runStart) parts.push(encoder.encode(text.slice(runStart, i)));
      parts.push(Uint8Array.of(c - ESCAPE_BASE));
      runStart = i + 1;
    }
  }
  if (runStart === 0) return encoder.encode(text);
  if (runStart < text.length) parts.push(encoder.encode(text.slice(runStart)));
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * True when `text` (one logical line) is something systemd's utf8_is_valid() accepts: no escaped
 * bytes, no lone surrogates and no Unicode noncharacters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF).
 */
export function findInvalidUtf8(text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800) continue;
    if (c <= 0xdbff) {
      const next = i + 1 < to ? text.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return i;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      if ((cp & 0xfffe) === 0xfffe) return i;
      i++;
      continue;
    }
    if (c <= 0xdfff) return i;
    if ((c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff) return i;
  }
  return -1;
}

/** Number of UTF-8 bytes `text[from, to)` occupies in the file (escaped bytes count one). */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < to ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else if (c >= ESCAPE_FIRST && c <= ESCAPE_LAST) n += 1;
    else n += 3;
  }
  return n;
}
