/**
 * The offline figure each profile records (measured[].offline for debian-12) is what our engine gives
 * the vendor unit kept as a fixture (test/fixtures/profiles/ID/UNIT) with the profile's lines as its
 * drop-in. The figures themselves came from the real `systemd-analyze security --offline=yes`
 * (systemd 252): in the booted guest for the services the boot tier boots, on the host for the ones
 * that cannot run there. Also checks that a profile that cannot boot says so and claims no health.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scoreUnit } from '../../server/src/service';

interface Profile {
  id: string;
  groups: { comment: string; lines: string[] }[];
  boot: { service?: string; cannot?: string };
  measured: { guest: string; systemd: number; offline: number; running?: number | null; healthy: boolean | null }[];
}

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'profiles');
const PROFILES = join(ROOT, 'server', 'data', 'service-profiles');

const ids = readdirSync(FIXTURES).sort();

test('every profile fixture folder has its profile and one unit file', () => {
  assert.ok(ids.length >= 9, ids.join(', '));
  for (const id of ids) {
    assert.ok(existsSync(join(PROFILES, `${id}.json`)), `${id}: no server/data/service-profiles/${id}.json`);
    assert.equal(readdirSync(join(FIXTURES, id)).filter((f) => f.endsWith('.service')).length, 1, id);
  }
});

for (const id of ids) {
  const profile = JSON.parse(readFileSync(join(PROFILES, `${id}.json`), 'utf8')) as Profile;
  const unit = readdirSync(join(FIXTURES, id)).find((f) => f.endsWith('.service'))!;
  const text = readFileSync(join(FIXTURES, id, unit), 'utf8');
  const dropin = `[Service]\n${profile.groups.flatMap((g) => g.lines).join('\n')}\n`;
  const row = profile.measured.find((m) => m.guest === 'debian-12');

  test(`${id}: the profile's offline figure on debian-12 is our engine's on ${unit} with its drop-in`, () => {
    assert.ok(row, `${id}: no debian-12 row in measured`);
    assert.equal(row.systemd, 252);
    const r = scoreUnit({
      name: unit,
      version: 252,
      files: [
        { path: `/lib/systemd/system/${unit}`, text },
        { path: `/etc/systemd/system/${unit}.d/hardening.conf`, text: dropin },
      ],
    });
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.exposure, row.offline);
    const before = scoreUnit({ name: unit, version: 252, files: [{ path: `/lib/systemd/system/${unit}`, text }] });
    assert.ok(
      before.exposure !== null && r.exposure !== null && r.exposure <= before.exposure,
      `${id}: the profile makes ${unit} worse (${before.exposure} -> ${r.exposure})`,
    );
  });

  test(`${id}: a profile that cannot boot has no health or running figure; one that boots has both`, () => {
    assert.ok(row);
    if (profile.boot.cannot) {
      assert.equal(row.healthy, null);
      assert.ok(row.running === undefined || row.running === null);
    } else {
      assert.ok(profile.boot.service, `${id}: boot needs service or cannot`);
      assert.equal(typeof row.healthy, 'boolean');
      assert.equal(typeof row.running, 'number');
    }
  });
}
