/** The compiled property accesses (model/property-access.ts): the same answers as the keyed accesses they replace. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getterOf, inputAccess, setterOf } from '../../server/src/model/property-access';
import type { SecurityInputs } from '../../server/src/model/security-types';

const inputs = (over: Partial<SecurityInputs>): SecurityInputs =>
  ({ privateTmp: false, capabilityBoundingSet: 5n, user: null, deviceAllow: ['/dev/null:rw'], systemCallFilter: new Set(['read']), ...over }) as SecurityInputs;

test('inputAccess().changed: scalars by ===, lists and sets by content, indices in the order of the names', () => {
  const access = inputAccess(['privateTmp', 'capabilityBoundingSet', 'user', 'deviceAllow', 'systemCallFilter']);
  const out = new Int32Array(access.names.length);
  const a = inputs({});
  // Equal content in other objects (and an equal bigint) is no change.
  assert.equal(access.changed(a, inputs({ deviceAllow: ['/dev/null:rw'], systemCallFilter: new Set(['read']), capabilityBoundingSet: 5n }), out), 0);
  const n = access.changed(a, inputs({ privateTmp: true, user: 'root', deviceAllow: ['/dev/null:r'], systemCallFilter: new Set(['write']) }), out);
  assert.deepEqual([...out.subarray(0, n)], [0, 2, 3, 4]);
  assert.equal(access.changed(a, inputs({ capabilityBoundingSet: 4n }), out), 1);
  assert.equal(out[0], 1);
});

test('inputAccess().copy writes exactly the named inputs; lists of names are compiled once', () => {
  const access = inputAccess(['privateTmp', 'user']);
  assert.equal(inputAccess(['privateTmp', 'user']), access);
  const to = inputs({});
  access.copy(to, inputs({ privateTmp: true, user: 'daemon', capabilityBoundingSet: 0n }));
  assert.equal(to.privateTmp, true);
  assert.equal(to.user, 'daemon');
  assert.equal(to.capabilityBoundingSet, 5n);
});

test('getterOf / setterOf: plain and nested fields; anything but a property path is refused', () => {
  const o = { a: 1, booleans: { PrivateTmp: false } };
  assert.equal(getterOf('a')(o), 1);
  setterOf('booleans.PrivateTmp')(o, true);
  assert.equal(getterOf('booleans.PrivateTmp')(o), true);
  for (const bad of ['a; process.exit()', 'a.b.c', '', '1a', 'a[0]']) {
    assert.throws(() => getterOf(bad), /not a property path/);
    assert.throws(() => inputAccess([bad as 'user']), /not a property path/);
  }
});
