/**
 * scripts/json-module.mjs, the form the bundles carry server/data/*.json in: for every data file, the module it
 * writes exports a value equal to the file's, with each repeated part written once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers';

interface JsonModule {
  jsonModule: (text: string) => string;
  MIN_SHARED: number;
}
let jsonModule: JsonModule['jsonModule'];
let MIN_SHARED = 0;

test.before(async () => {
  const m = (await import(pathToFileURL(join(ROOT, 'scripts', 'json-module.mjs')).href)) as JsonModule;
  ({ jsonModule, MIN_SHARED } = m);
});

function dataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'schemas' ? [] : dataFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sh-json-module-'));
let n = 0;
/** The default export of the module jsonModule() writes for `text`. */
async function load(text: string): Promise<unknown> {
  const file = join(dir, `m${n++}.mjs`);
  writeFileSync(file, jsonModule(text));
  return ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('every data file: the module exports the same value', async () => {
  const files = dataFiles(join(ROOT, 'server', 'data'));
  assert.ok(files.length >= 10, `found ${files.length} data files`);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    assert.deepStrictEqual(await load(text), JSON.parse(text), file);
  }
});

test('the data that repeats itself across releases is written once', () => {
  for (const name of ['syscall-groups.json', 'assessors.json']) {
    const text = readFileSync(join(ROOT, 'server', 'data', name), 'utf8');
    const written = jsonModule(text).length;
    const minified = JSON.stringify(JSON.parse(text)).length;
    assert.ok(written < minified / 2, `${name}: ${written} characters written for ${minified} of JSON`);
  }
});

test('repeated parts, nested and at any depth, come back in place; equal parts are one object', async () => {
  const long = 'x'.repeat(MIN_SHARED);
  const inner = { name: long, list: [1, 2, { deep: long }] };
  const value = {
    a: [inner, inner, { wrap: inner }],
    b: { inner, other: [long, inner] },
    c: [[1, 2], [1, 2], null, true, 0, ''],
    '0': 'integer-like key',
  };
  const text = JSON.stringify(value);
  const back = (await load(text)) as typeof value;
  assert.deepStrictEqual(back, JSON.parse(text));
  assert.equal(back.a[0], back.b.inner);
  assert.ok(jsonModule(text).length < text.length);
});

test('a string the references could be mistaken for is refused at build time', () => {
  assert.throws(() => jsonModule(JSON.stringify({ a: ['\u00001'] })), /U\+0000/);
  assert.throws(() => jsonModule('{"__proto__": {"a": 1}}'), /__proto__/);
});
