/**
 * A 32-bit FNV-1a hash of plain JSON-like data (what JSON.stringify would write: own enumerable
 * properties, arrays, strings, numbers, booleans, null; undefined properties skipped), to remember
 * what was published without keeping it.
 *
 * It walks the value instead of hashing JSON.stringify()'s output: on every keystroke that string
 * (tens of KB for a unit's diagnostics), and the flat copy hashing a concatenation of it makes, were
 * about a seventh of what the server allocated, and allocation is what triggers the scavenges that
 * make the slow keystrokes.
 */
const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, PRIME);
}

function mixString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return mix(h, 0x22); // a closing quote: "ab","c" and "a","bc" differ
}

function mixValue(h: number, v: unknown): number {
  switch (typeof v) {
    case 'string':
      return mixString(mix(h, 0x73), v);
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 2 ** 31
        ? mix(mix(h, 0x6e), v | 0)
        : mixString(mix(h, 0x66), String(v));
    case 'boolean':
      return mix(h, v ? 0x74 : 0x46);
    case 'object': {
      if (v === null) return mix(h, 0x30);
      if (Array.isArray(v)) {
        h = mix(h, 0x5b);
        for (const e of v) h = mixValue(h, e);
        return mix(h, 0x5d);
      }
      h = mix(h, 0x7b);
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.prototype.hasOwnProperty.call(o, k) || o[k] === undefined) continue;
        h = mixValue(mixString(h, k), o[k]);
      }
      return mix(h, 0x7d);
    }
    default:
      return mix(h, 0x75);
  }
}

/** The hash of the values, in order. */
export function fingerprint(...values: unknown[]): number {
  let h = OFFSET;
  for (const v of values) h = mixValue(h, v);
  return h >>> 0;
}
