/**
 * The fuzzer: random and mutated bytes through the parser and the whole analysis. Every input must
 * parse without an exception, print back to the same bytes, and analyze without an exception.
 * Used by fuzz.test.ts (a bounded run inside `npm test`) and run.ts (`npm run fuzz`, a long run).
 */
import { analyzeUnit } from '../../server/src/service';
import { decodeBytes, encodeText } from '../../server/src/syntax/bytes';
import { parseUnitFile, printTree } from '../../server/src/syntax/parser';

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\0',
  '[',
  ']',
  '=',
  '#',
  ';',
  ' ',
  '\t',
  '~',
  '@',
  '%',
  ':',
  '-',
  '+',
  '\ufeff',
  '[Service]\n',
  '[Unit]\n',
  'ExecStart=/bin/true\n',
  'CapabilityBoundingSet=~',
  'SystemCallFilter=',
  'SystemCallFilter=~@clock:EPERM @mount\n',
  'SystemCallFilter=settimeofday:EACCES\n',
  'User=',
  'DynamicUser=yes\n',
  '\\\n',
  'é',
  '\udcff',
  '\uffff',
];

export function mutate(seedBytes: Uint8Array, next: () => number): Uint8Array {
  const bytes = Array.from(seedBytes);
  const rounds = 1 + Math.floor(next() * 8);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const op = Math.floor(next() * 5);
    if (op === 0) bytes.splice(at, 1);
    else if (op === 1) bytes.splice(at, 0, Math.floor(next() * 256));
    else if (op === 2 && bytes.length) bytes[Math.min(at, bytes.length - 1)] = Math.floor(next() * 256);
    else if (op === 3) bytes.splice(at, 0, ...encodeText(TOKENS[Math.floor(next() * TOKENS.length)]!));
    else {
      const len = Math.floor(next() * 40);
      const from = Math.floor(next() * Math.max(1, bytes.length - len));
      bytes.splice(at, 0, ...bytes.slice(from, from + len));
    }
  }
  return Uint8Array.from(bytes);
}

export function randomBytes(next: () => number): Uint8Array {
  const n = Math.floor(next() * 300);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = next() < 0.7 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 256);
  return out;
}

/** Checks one input; returns a failure description or null. */
export function checkInput(bytes: Uint8Array, name = 'fuzz.service'): string | null {
  try {
    const text = decodeBytes(bytes);
    const tree = parseUnitFile(text);
    const back = encodeText(printTree(tree));
    if (back.length !== bytes.length || back.some((b, i) => b !== bytes[i])) return 'round trip differs';
    for (const version of [252, 254, 257, 262] as const)
      analyzeUnit({ name, files: [{ path: `/x/${name}`, text }], version });
    // The oldest release's loader (a SystemCallFilter= errno conflict cuts a drop-in after its line), the
    // text as the unit file and as a drop-in after it.
    analyzeUnit({
      name,
      files: [
        { path: `/x/${name}`, text },
        { path: `/x/${name}.d/a.conf`, text },
      ],
      version: 239,
    });
    return null;
  } catch (e) {
    return `exception: ${(e as Error).stack ?? String(e)}`;
  }
}
