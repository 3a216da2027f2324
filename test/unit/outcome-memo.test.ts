/**
 * The outcomes of suggestions kept per plan (exposure/incremental/outcome-memo.ts): found only for the same check
 * table, libseccomp table and values; never kept for objects; the oldest dropped beyond the limit.
 * That suggest() gives what rebuilding each variant gives, with outcomes shared across units, is
 * held on the corpus and random mixes by test/conformance/suggest-reference.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Outcome } from '../../server/src/exposure/incremental/incremental-scorer';
import { checkTable } from '../../server/src/exposure/engine';
import { findOutcome, keepOutcome, type OutcomeEntry } from '../../server/src/exposure/incremental/outcome-memo';

const get = (k: string) => (o: object) => (o as Record<string, unknown>)[k];
const VALUES = [get('a'), get('b')];
const INPUTS = [get('c')];
const outcome = (badnessSumChange: number): Outcome => ({
  scored: true,
  badnessSumChange,
  weightSumChange: 0,
  checkBadness: 0,
});

test('an outcome is found for the same tables and values only', () => {
  const entries: OutcomeEntry[] = [];
  const t252 = checkTable(252, undefined);
  const t254 = checkTable(254, undefined);
  const kept = outcome(-7);
  keepOutcome(entries, t252, 'distribution', VALUES, { a: true, b: 3n }, INPUTS, { c: 'x' }, kept);
  assert.equal(findOutcome(entries, t252, 'distribution', VALUES, { a: true, b: 3n }, INPUTS, { c: 'x' }), kept);
  assert.equal(findOutcome(entries, t254, 'distribution', VALUES, { a: true, b: 3n }, INPUTS, { c: 'x' }), undefined);
  assert.equal(findOutcome(entries, t252, 'oracle', VALUES, { a: true, b: 3n }, INPUTS, { c: 'x' }), undefined);
  assert.equal(findOutcome(entries, t252, 'distribution', VALUES, { a: false, b: 3n }, INPUTS, { c: 'x' }), undefined);
  assert.equal(findOutcome(entries, t252, 'distribution', VALUES, { a: true, b: 4n }, INPUTS, { c: 'x' }), undefined);
  assert.equal(findOutcome(entries, t252, 'distribution', VALUES, { a: true, b: 3n }, INPUTS, { c: 'y' }), undefined);
});

test('values that are objects are not kept (they belong to one unit)', () => {
  const entries: OutcomeEntry[] = [];
  const t = checkTable(252, undefined);
  keepOutcome(entries, t, 'distribution', VALUES, { a: ['x'], b: 1 }, INPUTS, { c: null }, outcome(1));
  keepOutcome(entries, t, 'distribution', VALUES, { a: 1, b: 1 }, INPUTS, { c: new Set() }, outcome(1));
  assert.equal(entries.length, 0);
});

test('beyond the limit the oldest outcome goes', () => {
  const entries: OutcomeEntry[] = [];
  const t = checkTable(252, undefined);
  for (let i = 0; i < 20; i++)
    keepOutcome(entries, t, 'distribution', VALUES, { a: i, b: 0 }, INPUTS, { c: 0 }, outcome(i));
  assert.ok(entries.length <= 8);
  assert.equal(findOutcome(entries, t, 'distribution', VALUES, { a: 0, b: 0 }, INPUTS, { c: 0 }), undefined);
  assert.deepEqual(findOutcome(entries, t, 'distribution', VALUES, { a: 19, b: 0 }, INPUTS, { c: 0 }), outcome(19));
});
