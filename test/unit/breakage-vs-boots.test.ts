/**
 * The breakage rules against every case the boot tier recorded (test/boot/cases.json: a service of
 * a guest booted with a drop-in, healthy or broken), under the guest's systemd version. A service
 * that places its own unit in the guest (services.json `files`) is read from test/boot/; the vendor
 * units are the ones of the breaks-generic-* fixtures for Debian 12 (the same packages) and copies
 * of the Debian 13 tree's units in fixtures/boot-units/debian-13 (which the service profiles' tests use
 * too). Precision first: no breaks-… (nor read-only-pidfile) on a drop-in that booted healthy.
 * Recall: every broken one is flagged.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeUnit, type SupportedVersion } from '../../server/src/service';
import { isMarker } from '../fixtures';

interface BootCase {
  id: string;
  guest?: string;
  service: string;
  dropin?: string[];
  expect: 'healthy' | 'broken';
}
interface BootService {
  name: string;
  unit: string;
  /** Files placed in the guest (guest path to source under test/boot/), such as the service's own unit. */
  files?: Record<string, string>;
  onGuest?: Record<string, { unit?: string; files?: Record<string, string> }>;
}

const ROOT = join(__dirname, '..');
const data = JSON.parse(readFileSync(join(ROOT, 'boot', 'cases.json'), 'utf8')) as {
  blocks: Record<string, string[]>;
  cases: BootCase[];
};
const services = (JSON.parse(readFileSync(join(ROOT, 'boot', 'services.json'), 'utf8')) as { services: BootService[] })
  .services;
const guests = JSON.parse(readFileSync(join(ROOT, 'boot', 'guests.json'), 'utf8')) as {
  default: string;
  guests: { id: string; systemd: number }[];
};
const guestOf = (c: BootCase): { id: string; systemd: number } =>
  guests.guests.find((g) => g.id === (c.guest ?? guests.default))!;

/**
 * The unit file of a service on a guest: the service's own unit when it places one in the guest
 * (services.json `files`, read from test/boot/), else the vendor unit (markers removed from the
 * Debian 12 fixtures).
 */
function vendorUnit(
  service: string,
  unit: string,
  guest: string,
  files: Record<string, string>,
): { path: string; text: string } {
  for (const dir of ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system']) {
    const source = files[`${dir}/${unit}`];
    if (source) return { path: `${dir}/${unit}`, text: readFileSync(join(ROOT, 'boot', source), 'utf8') };
  }
  if (guest !== 'debian-12') {
    const dir = join(ROOT, 'fixtures', 'boot-units', guest);
    const file = readdirSync(dir).find((f) => f === unit || f === unit.replace(/@[^.]+\./, '@.'));
    assert.ok(file, `no unit file for ${unit} in ${dir}`);
    return { path: `/lib/systemd/system/${file}`, text: readFileSync(join(dir, file), 'utf8') };
  }
  // A second entry of a package (memcached-socket: memcached with another check) shares its unit's
  // fixture; a service without a generic one (process-exporter) takes its rule's fixture.
  const diag = join(ROOT, 'fixtures', 'diagnostics');
  const holds = (d: string): boolean =>
    statSync(join(diag, d)).isDirectory() && readdirSync(join(diag, d)).includes(unit);
  const all = readdirSync(diag).sort();
  const named = all.includes(`breaks-generic-${service}`)
    ? `breaks-generic-${service}`
    : (all.find((d) => d.startsWith('breaks-generic-') && holds(d)) ??
      all.find((d) => d.startsWith('breaks-') && holds(d)));
  assert.ok(named, `no breaks-generic-* fixture for ${service} (${unit})`);
  const dir = join(diag, named);
  const file = readdirSync(dir).find((f) => !f.endsWith('.d'));
  assert.ok(file, `no unit file in ${dir}`);
  const text = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => !isMarker(l))
    .join('\n');
  return { path: `/lib/systemd/system/${file}`, text };
}

function expand(lines: readonly string[]): string[] {
  return lines.flatMap((l) => (l.startsWith('@') ? (data.blocks[l.slice(1)] ?? [`unknown block ${l}`]) : [l]));
}

function breakage(c: BootCase): string[] {
  const found = services.find((s) => s.name === c.service);
  assert.ok(found, `service ${c.service} in services.json`);
  const guest = guestOf(c);
  const unit = found.onGuest?.[guest.id]?.unit ?? found.unit;
  const own = found.onGuest?.[guest.id]?.files ?? found.files ?? {};
  const files = [vendorUnit(c.service, unit, guest.id, own)];
  if (c.dropin?.length)
    files.push({
      path: `/etc/systemd/system/${unit}.d/50-hardening.conf`,
      text: `[Service]\n${expand(c.dropin).join('\n')}\n`,
    });
  const { diagnostics } = analyzeUnit({ name: unit, files, version: guest.systemd as SupportedVersion });
  return diagnostics.filter((d) => d.code.startsWith('breaks-') || d.code === 'read-only-pidfile').map((d) => d.code);
}

test('the boot cases cover healthy and broken drop-ins of every service', () => {
  for (const s of services) {
    assert.ok(
      data.cases.some((c) => c.service === s.name && c.expect === 'healthy'),
      `${s.name}: a healthy case`,
    );
  }
  assert.ok(data.cases.filter((c) => c.expect === 'broken').length >= 10);
});

for (const c of data.cases) {
  test(`${c.id} (booted ${c.expect} under systemd ${guestOf(c).systemd}): ${c.expect === 'healthy' ? 'no breaks-…' : 'flagged'}`, () => {
    const codes = breakage(c);
    if (c.expect === 'healthy') assert.deepEqual(codes, [], `a drop-in that booted healthy gets ${codes.join(', ')}`);
    else assert.ok(codes.length > 0, 'a drop-in that broke the service gets no breaks-… warning');
  });
}
