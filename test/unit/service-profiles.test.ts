/**
 * server/data/service-profiles/*.json (their schema is checked by data-schemas.test.ts): every file is loaded by
 * knowledge/service-profiles.ts under its file name; a service profile names an entry of
 * service-needs.json; and `harden` with each profile, on the service's real unit file (Debian 12's in
 * test/fixtures/harden/debian-12/, named by the service's first unit in service-needs.json, or in
 * test/fixtures/profiles/ID/; Debian 13's in test/fixtures/boot-units/debian-13/) or, for a
 * generic kind, on a bare service, gives a sound drop-in: re-scored equal, no breaks-… or weakens-…,
 * clean for every supported version. Each `measured` row's offline figure is harden's exposure_after on
 * the guest's unit file for the guest's systemd.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { knownServices } from '../../server/src/knowledge/service-needs';
import { SERVICE_PROFILES, type ServiceProfile } from '../../server/src/knowledge/service-profiles';
import { analyzeUnit, hardenUnit, scoreUnit, SUPPORTED_VERSIONS, type SourceFile } from '../../server/src/service';
import { withDropin, withoutHardening } from '../../server/src/features/harden-files';

const DIR = join(__dirname, '..', '..', 'server', 'data', 'service-profiles');
const FIXTURES = join(__dirname, '..', 'fixtures', 'harden');
const HARM = /^(breaks-|weakens-)|^(read-only-pidfile|ambient-outside-bounding-set)$/;

test('service profiles: every file is named by its id and is loaded', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  assert.ok(files.length > 0);
  for (const f of files) {
    const data = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { id: string };
    assert.equal(`${data.id}.json`, f);
    assert.ok(
      SERVICE_PROFILES.some((p) => p.id === data.id),
      `${f} is imported by knowledge/service-profiles.ts`,
    );
  }
  assert.equal(SERVICE_PROFILES.length, files.length);
});

test('service profiles: a service profile names a known service; ids are unique', () => {
  const names = new Set(knownServices().map((s) => s.name));
  const ids = new Set<string>();
  for (const p of SERVICE_PROFILES) {
    assert.ok(!ids.has(p.id), p.id);
    ids.add(p.id);
    if (p.kind === 'service') assert.ok(names.has(p.needs!), `${p.id}: needs ${p.needs}`);
    else assert.match(p.id, /^generic-/);
  }
});

/** Where each guest's unit files are kept (the first unit of the service's service-needs.json entry). */
const GUEST_FIXTURES: Record<string, string[]> = {
  'debian-12': [join(FIXTURES, 'debian-12')],
  'debian-13': [join(__dirname, '..', 'fixtures', 'boot-units', 'debian-13')],
};
/** A profile's own fixture folder (test/fixtures/profiles/ID/, one unit file: Debian 12's). */
const PROFILE_FIXTURES = join(__dirname, '..', 'fixtures', 'profiles');

/** The service's unit file kept as a fixture for a guest, with the name and path it has there. */
function fixtureOf(p: ServiceProfile, guest: string): { name: string; files: SourceFile[] } | null {
  const needs = knownServices().find((s) => s.name === p.needs);
  const candidates: string[] = [];
  const first = needs?.units[0];
  if (first) for (const dir of GUEST_FIXTURES[guest] ?? []) candidates.push(join(dir, first));
  const own = join(PROFILE_FIXTURES, p.id);
  if (guest === 'debian-12' && existsSync(own))
    for (const f of readdirSync(own).filter((x) => x.endsWith('.service'))) candidates.push(join(own, f));
  const path = candidates.find((c) => existsSync(c));
  if (!path) return null;
  const file = path.slice(path.lastIndexOf('/') + 1);
  // A template is hardened as an instance, as it runs.
  const name = file.includes('@.') ? file.replace('@.', '@test.') : file;
  return { name, files: [{ path: `/usr/lib/systemd/system/${file}`, text: readFileSync(path, 'utf8') }] };
}

function assertSound(
  label: string,
  name: string,
  files: SourceFile[],
  version: (typeof SUPPORTED_VERSIONS)[number],
  profile: string,
): number {
  const r = hardenUnit({ name, files, version }, { profile });
  assert.equal(r.error, undefined, `${label}: ${r.error}`);
  assert.equal(r.profile, profile);
  assert.ok(r.dropin.length > 0, `${label}: something to add`);
  const merged = withDropin(withoutHardening(files), r.dropinPath!, r.dropin);
  assert.equal(
    scoreUnit({ name, files: merged, version }).exposure,
    r.exposureAfter,
    `${label}: exposure_after re-scores equal`,
  );
  const diags = analyzeUnit({ name, files: merged, version }).diagnostics;
  const harm = diags.filter((d) => HARM.test(d.code));
  const before = analyzeUnit({ name, files, version }).diagnostics.filter((d) => HARM.test(d.code));
  assert.deepEqual(
    harm.map((d) => `${d.code}: ${d.message}`),
    before.map((d) => `${d.code}: ${d.message}`),
    `${label}: no new breaks-… or weakens-…`,
  );
  const own = diags.filter((d) => d.file === r.dropinPath && (d.severity === 'error' || d.severity === 'warning'));
  assert.deepEqual(
    own.map((d) => `${d.code}: ${d.message}`),
    [],
    `${label}: clean for systemd ${version}`,
  );
  assert.ok(r.exposureAfter! <= r.exposureBefore!, `${label}: ${r.exposureBefore} -> ${r.exposureAfter}`);
  return r.exposureAfter!;
}

for (const p of SERVICE_PROFILES) {
  test(`service profiles: ${p.id} gives a sound drop-in for every supported version`, () => {
    for (const version of SUPPORTED_VERSIONS) {
      if (p.kind === 'generic') {
        const files = [
          {
            path: '/etc/systemd/system/app.service',
            text: '[Unit]\nDescription=app\n[Service]\nExecStart=/usr/bin/app\n',
          },
        ];
        assertSound(`${p.id} on a bare service, systemd ${version}`, 'app.service', files, version, p.id);
        continue;
      }
      const fixture = fixtureOf(p, 'debian-12');
      assert.ok(
        fixture,
        `${p.id}: the unit file is kept in test/fixtures/harden/debian-12/ (named as in service-needs.json) or test/fixtures/profiles/${p.id}/`,
      );
      assertSound(`${p.id}, systemd ${version}`, fixture.name, fixture.files, version, p.id);
    }
  });

  if (p.measured.length) {
    test(`service profiles: ${p.id}'s measured offline figures are our engine's on the kept unit file`, () => {
      for (const m of p.measured) {
        const fixture = fixtureOf(p, m.guest);
        assert.ok(fixture, `${p.id}: no unit file kept for ${m.guest}`);
        const version = SUPPORTED_VERSIONS.find((v) => v === m.systemd);
        assert.ok(version, `${p.id}: systemd ${m.systemd} is supported`);
        const r = hardenUnit({ name: fixture.name, files: fixture.files, version }, { profile: p.id });
        assert.equal(r.exposureAfter, m.offline, `${p.id} on ${m.guest}`);
      }
    });
  }
}
