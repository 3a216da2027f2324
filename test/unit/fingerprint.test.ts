/** The server's fingerprint of what it published: equal for equal data, different when anything differs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint } from '../../server/src/lsp/fingerprint';

const diag = (message: string, line = 3) => ({
  range: { start: { line, character: 0 }, end: { line, character: 4 } },
  severity: 2,
  code: 'x',
  source: 's',
  message,
});

test('equal data, equal fingerprint (fresh objects, undefined properties skipped as JSON.stringify does)', () => {
  assert.equal(
    fingerprint(1, [diag('a')], { exposure: 9.6 }),
    fingerprint(1, [diag('a')], { exposure: 9.6, band: undefined }),
  );
});

test('any difference changes the fingerprint', () => {
  const base = fingerprint(1, [diag('a')], { exposure: 9.6 });
  for (const other of [
    fingerprint(2, [diag('a')], { exposure: 9.6 }),
    fingerprint(1, [diag('b')], { exposure: 9.6 }),
    fingerprint(1, [diag('a', 4)], { exposure: 9.6 }),
    fingerprint(1, [diag('a'), diag('a')], { exposure: 9.6 }),
    fingerprint(1, [], { exposure: 9.6 }),
    fingerprint(1, [diag('a')], { exposure: 9.5 }),
    fingerprint(1, [diag('a')], { exposure: null }),
    fingerprint(1, [diag('a')], { exposure: '9.6' }),
  ])
    assert.notEqual(other, base);
  // Strings are delimited: moving a character between neighbours changes the fingerprint.
  assert.notEqual(fingerprint(['ab', 'c']), fingerprint(['a', 'bc']));
});
