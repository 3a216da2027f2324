/**
 * The generic hardening block broke six Debian 12 services when booted (test/fixtures/diagnostics/breaks-generic-*).
 * Applying every preferred fix of the breaks-* rules (and read-only-pidfile), one at a time until none is left,
 * must give exactly the drop-in that was then booted and ran healthy (test/fixtures/breakage-booted): the
 * fixes are enough, and they loosen nothing more.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeUnit, type SourceFile } from '../../server/src/service';
import { applyEdits } from '../../server/src/rules/sandbox';
import { isMarker } from '../fixtures';

const DIAG = join(__dirname, '..', 'fixtures', 'diagnostics');
const BOOTED = join(__dirname, '..', 'fixtures', 'breakage-booted');

const CASES: [string, string, string][] = [
  ['nginx', 'nginx.service', 'nginx.service'],
  ['haproxy', 'haproxy.service', 'haproxy.service'],
  ['memcached', 'memcached.service', 'memcached.service'],
  ['postgresql', 'postgresql@15-main.service', 'postgresql@.service'],
  ['mariadb', 'mariadb.service', 'mariadb.service'],
  ['node-exporter', 'prometheus-node-exporter.service', 'prometheus-node-exporter.service'],
  ['prometheus', 'prometheus.service', 'prometheus.service'],
  ['fail2ban', 'fail2ban.service', 'fail2ban.service'],
  ['certbot', 'certbot.service', 'certbot.service'],
  ['unbound', 'unbound.service', 'unbound.service'],
];

function withoutMarkers(text: string): string {
  return text
    .split('\n')
    .filter((l) => !isMarker(l))
    .join('\n');
}

/** The settings of a file: its non-empty lines that are not comments or section headers. */
function settings(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !/^[#;[]/.test(l))
    .sort();
}

test('the booted drop-ins are all here', () => {
  assert.deepEqual(readdirSync(BOOTED).sort(), CASES.map(([n]) => `${n}.conf`).sort());
});

for (const [service, name, file] of CASES) {
  test(`the generic block on ${service}, with every fix applied, is the drop-in that booted healthy`, () => {
    const dir = join(DIAG, `breaks-generic-${service}`);
    const files: SourceFile[] = [
      { path: join(dir, file), text: withoutMarkers(readFileSync(join(dir, file), 'utf8')) },
      {
        path: join(dir, `${file}.d`, 'override.conf'),
        text: withoutMarkers(readFileSync(join(dir, `${file}.d`, 'override.conf'), 'utf8')),
      },
    ];
    const before = settings(files[0]!.text);
    const applied: string[] = [];
    for (let round = 0; round < 10; round++) {
      const d = analyzeUnit({ name, files, version: 252 }).diagnostics.find(
        (x) => x.code.startsWith('breaks-') || x.code === 'read-only-pidfile',
      );
      if (!d) break;
      const fix = d.fixes?.find((f) => f.preferred);
      assert.ok(fix, `${d.code} has a preferred fix`);
      applied.push(d.code);
      for (const f of files)
        f.text = applyEdits(
          f.text,
          fix.edits.filter((e) => e.file === f.path),
        );
    }
    assert.ok(applied.length > 0);
    assert.equal(
      analyzeUnit({ name, files, version: 252 }).diagnostics.filter((x) => x.code.startsWith('breaks-')).length,
      0,
      'nothing left',
    );
    // Lines a fix added to the unit file (read-only-pidfile's) count as the drop-in's: that is where the boot put them.
    const added = settings(files[0]!.text).filter((l) => !before.includes(l));
    const ours = [...settings(files[1]!.text), ...added].sort();
    assert.deepEqual(ours, settings(readFileSync(join(BOOTED, `${service}.conf`), 'utf8')));
  });
}
