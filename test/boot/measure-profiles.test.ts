/** measure-profiles.ts writes a guest's `measured` row into a profile and leaves the rest of the file as written. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withMeasured } from './measure-profiles';

const PROFILE = `{
  "id": "x",
  "groups": [ { "comment": "c", "lines": ["A=1"] } ],
  "measured": [],
  "sources": ["s"]
}
`;
const row12 = { guest: 'debian-12', systemd: 252, offline: 2.6, running: 2.4, healthy: true, bootSeconds: 4.2 };
const row13 = { guest: 'debian-13', systemd: 257, offline: 2.4, running: 2.4, healthy: true, bootSeconds: 5.1 };

test('the measured rows replace the list, one per line, and nothing else changes', () => {
  const once = withMeasured(PROFILE, [row12]);
  assert.deepEqual(JSON.parse(once).measured, [row12]);
  const twice = withMeasured(once, [row12, row13]);
  assert.deepEqual(JSON.parse(twice).measured, [row12, row13]);
  assert.equal(twice.replace(/"measured": \[[^\]]*\]/, '"measured": []'), PROFILE);
  assert.match(twice, /^ {4}\{ "guest": "debian-13", "systemd": 257, "offline": 2\.4, "running": 2\.4, "healthy": true, "bootSeconds": 5\.1 \}$/m);
});

test('a profile without a measured list is refused, not rewritten', () => {
  assert.throws(() => withMeasured('{ "id": "x" }', [row13]), /no "measured" list/);
});
