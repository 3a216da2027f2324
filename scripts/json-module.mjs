// How the bundles carry a data file (server/data/*.json): as an ES module whose default export is the
// file's value, built with JSON.parse() from strings.
//
// Why strings: V8 parses JSON with its fast JSON parser, where a megabyte of object literals would be
// compiled (and leave ~3 MB of RSS behind). Why an ES module: esbuild puts its code in the bundle's
// top-level code, which V8 scans once; a CommonJS module sits in a lazily compiled function, whose
// source V8 scans twice (pre-parse, then the call).
//
// Why shared parts: the files describe every release 239-262, and most of what one release has the next
// has too (the same system-call groups, the same check rows). V8 scans every character of the bundle
// when a process starts, so each object or array that occurs more than once (at least MIN_SHARED
// characters of JSON) is written once, in a list of shared parts, and every place it occurs holds a
// reference to it: a string of the character U+0000 followed by its index. The module puts the parts back
// where they were before it exports the value, so the value equals the file's, except that equal parts are
// the same object (the core never changes its data). No string in the data may start with U+0000.

import { readFileSync } from 'node:fs';

/** Objects and arrays shorter than this (as JSON) are written out wherever they occur. */
export const MIN_SHARED = 64;

const MARK = '\u0000';

/** The JavaScript source of the ES module whose default export equals the JSON `text`. */
export function jsonModule(text) {
  const value = JSON.parse(text);
  const counts = new Map();
  count(value, counts);
  const ids = new Map();
  const parts = [];
  const encode = (v) => {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'string' && v.startsWith(MARK))
        throw new Error(`a data string starts with U+0000: ${JSON.stringify(v)}`);
      return v;
    }
    const json = JSON.stringify(v);
    if (json.length < MIN_SHARED || counts.get(json) < 2) return encodeMembers(v);
    let id = ids.get(json);
    if (id === undefined) {
      id = parts.length;
      ids.set(json, id);
      parts.push(null);
      parts[id] = encodeMembers(v);
    }
    return MARK + id;
  };
  const encodeMembers = (v) => {
    if (Array.isArray(v)) return v.map(encode);
    if (Object.hasOwn(v, '__proto__')) throw new Error('a data object has the key __proto__');
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  };
  const root = encodeMembers(value);
  const literal = (v) => JSON.stringify(JSON.stringify(v));
  // One expression marked pure, so that esbuild leaves a data file out of a bundle that does not use it.
  if (parts.length === 0) return `export default /* @__PURE__ */ JSON.parse(${literal(root)});\n`;
  // fill() changes each part in place and does not enter the parts it puts in, so each is filled once, and a
  // reference taken before its part is filled sees it filled.
  return [
    'function withParts(partsText, rootText) {',
    '  const parts = JSON.parse(partsText);',
    '  const fill = (v) => {',
    '    for (const k in v) {',
    '      const x = v[k];',
    `      if (typeof x === 'string') { if (x.charCodeAt(0) === 0) v[k] = parts[+x.slice(1)]; }`,
    `      else if (x !== null && typeof x === 'object') fill(x);`,
    '    }',
    '    return v;',
    '  };',
    '  for (const part of parts) fill(part);',
    '  return fill(JSON.parse(rootText));',
    '}',
    `export default /* @__PURE__ */ withParts(${literal(parts)}, ${literal(root)});`,
    '',
  ].join('\n');
}

/** How often each object or array of at least MIN_SHARED characters of JSON occurs. */
function count(v, counts) {
  if (v === null || typeof v !== 'object') return;
  const json = JSON.stringify(v);
  if (json.length >= MIN_SHARED) counts.set(json, (counts.get(json) ?? 0) + 1);
  for (const x of Object.values(v)) count(x, counts);
}

/** The esbuild plugin that loads server/data/*.json as jsonModule() writes it. */
export const jsonModulePlugin = {
  name: 'json-module',
  setup(build) {
    build.onLoad({ filter: /[\\/]server[\\/]data[\\/][^\\/]+\.json$/ }, (args) => ({
      contents: jsonModule(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
