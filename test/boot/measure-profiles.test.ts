/** measure-profiles.ts writes a guest's `measured` rows into a profile and leaves the rest of the file as written. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withMeasured } from './measure-profiles';

const PROFILE = `${JSON.stringify({ id: 'x', groups: [{ comment: 'c', lines: ['A=1'] }], measured: [], sources: ['s'] }, null, 2)}\n`;
const row12 = { guest: 'debian-12', systemd: 252, offline: 2.6, running: 2.4, healthy: true, bootSeconds: 4.2 };
const row13 = { guest: 'debian-13', systemd: 257, offline: 2.4, running: 2.4, healthy: true, bootSeconds: 5.1 };

test('the measured rows replace the list and nothing else changes', () => {
  const once = withMeasured(PROFILE, [row12]);
  assert.deepEqual(JSON.parse(once).measured, [row12]);
  const twice = withMeasured(once, [row12, row13]);
  assert.deepEqual(JSON.parse(twice).measured, [row12, row13]);
  assert.equal(withMeasured(twice, []), PROFILE);
});

test('a profile without a measured list is refused, not rewritten', () => {
  assert.throws(() => withMeasured('{ "id": "x" }', [row13]), /no "measured" list/);
});

test('in a profile written by hand, only the measured list changes and the rows that stay keep their text', () => {
  const byHand = '{\n  "id": "x",\n  "lines": ["A=1", "B=2"],\n  "measured": [\n    { "guest": "debian-12", "systemd": 252, "offline": 2.0, "running": 2.0, "healthy": true }\n  ],\n  "sources": ["s"]\n}\n';
  const kept = { guest: 'debian-12', systemd: 252, offline: 2, running: 2, healthy: true };
  const out = withMeasured(byHand, [kept, row13]);
  assert.deepEqual(JSON.parse(out).measured, [kept, row13]);
  assert.equal(out, byHand.replace('"healthy": true }\n', '"healthy": true },\n    { "guest": "debian-13", "systemd": 257, "offline": 2.4, "running": 2.4, "healthy": true, "bootSeconds": 5.1 }\n'));
});
