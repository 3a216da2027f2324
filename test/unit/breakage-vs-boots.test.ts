/**
 * The breakage rules against every case the boot tier recorded (test/boot/cases.json: a Debian 12
 * service booted with a drop-in, healthy or broken). The vendor units are the ones of the
 * breaks-generic-* fixtures (the same Debian 12 packages). Precision first: no breaks-… (nor
 * read-only-pidfile) on a drop-in that booted healthy. Recall: every broken one is flagged.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeUnit } from '../../server/src/service';
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
}

const ROOT = join(__dirname, '..');
const all = JSON.parse(readFileSync(join(ROOT, 'boot', 'cases.json'), 'utf8')) as { blocks: Record<string, string[]>; cases: BootCase[] };
/** The Debian 12 cases (a case without "guest" boots Debian 12, the default guest of guests.json). */
const data = { blocks: all.blocks, cases: all.cases.filter((c) => (c.guest ?? 'debian-12') === 'debian-12') };
const services = (JSON.parse(readFileSync(join(ROOT, 'boot', 'services.json'), 'utf8')) as { services: BootService[] }).services;

/** The vendor unit file of a service, from its breaks-generic-* fixture (markers removed). */
function vendorUnit(service: string): { file: string; text: string } {
  const dir = join(ROOT, 'fixtures', 'diagnostics', `breaks-generic-${service}`);
  const file = readdirSync(dir).find((f) => !f.endsWith('.d'));
  assert.ok(file, `no unit file in ${dir}`);
  const text = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => !isMarker(l)).join('\n');
  return { file, text };
}

function expand(lines: readonly string[]): string[] {
  return lines.flatMap((l) => (l.startsWith('@') ? data.blocks[l.slice(1)] ?? [`unknown block ${l}`] : [l]));
}

function breakage(c: BootCase): string[] {
  const service = services.find((s) => s.name === c.service);
  assert.ok(service, `service ${c.service} in services.json`);
  const { file, text } = vendorUnit(c.service);
  const files = [{ path: `/lib/systemd/system/${file}`, text }];
  if (c.dropin?.length) files.push({ path: `/etc/systemd/system/${service.unit}.d/50-hardening.conf`, text: `[Service]\n${expand(c.dropin).join('\n')}\n` });
  const { diagnostics } = analyzeUnit({ name: service.unit, files, version: 252 });
  return diagnostics.filter((d) => d.code.startsWith('breaks-') || d.code === 'read-only-pidfile').map((d) => d.code);
}

test('the boot cases cover healthy and broken drop-ins of every service', () => {
  for (const s of services) {
    assert.ok(data.cases.some((c) => c.service === s.name && c.expect === 'healthy'), `${s.name}: a healthy case`);
  }
  assert.ok(data.cases.filter((c) => c.expect === 'broken').length >= 10);
});

for (const c of data.cases) {
  test(`${c.id} (booted ${c.expect}): ${c.expect === 'healthy' ? 'no breaks-…' : 'flagged'}`, () => {
    const codes = breakage(c);
    if (c.expect === 'healthy') assert.deepEqual(codes, [], `a drop-in that booted healthy gets ${codes.join(', ')}`);
    else assert.ok(codes.length > 0, 'a drop-in that broke the service gets no breaks-… warning');
  });
}
