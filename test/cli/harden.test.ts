/**
 * `systemd-hardening harden`, data-driven: each folder of test/fixtures/harden/cli/ holds units and a
 * case.json (working folder, arguments, exit status, the file with the expected stdout). Paths of the
 * fixture folder in the output are written as `<case>`. SH_UPDATE_FIXTURES=1 rewrites the expected
 * files (review the diff before committing). Then --write: creates the file, is a no-op when it is
 * identical, and refuses to replace a different one.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';
import { cliIn } from './helpers';

const CASES = join(ROOT, 'test', 'fixtures', 'harden', 'cli');

interface Case {
  what: string;
  cwd: string;
  args: string[];
  status: number;
  expected: string;
}

for (const dir of readdirSync(CASES).sort()) {
  const folder = join(CASES, dir);
  const c = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as Case;
  test(`harden CLI: ${dir}: ${c.what}`, () => {
    const r = cliIn(join(folder, c.cwd), ['harden', ...c.args]);
    assert.equal(r.status, c.status, r.stderr);
    const out = r.stdout.split(folder).join('<case>');
    const expectedPath = join(folder, c.expected);
    if (process.env.SH_UPDATE_FIXTURES) writeFileSync(expectedPath, out);
    assert.equal(out, readFileSync(expectedPath, 'utf8'));
    if (c.expected.endsWith('.json')) {
      const units = JSON.parse(r.stdout) as Record<string, unknown>[];
      for (const u of units) {
        const keys = [
          'file',
          'unit',
          'figure',
          'profile',
          'dropin_path',
          'dropin',
          'exposure_before',
          'exposure_after',
          'left_open',
          'verify',
        ];
        assert.deepEqual(
          Object.keys(u).filter((k) => k !== 'error'),
          keys,
        );
      }
    }
  });
}

function copyCase(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sh-harden-'));
  cpSync(join(CASES, name), dir, { recursive: true });
  return dir;
}

test('harden CLI: --write creates the drop-in under the root, then is a no-op; it never touches the unit file', () => {
  const dir = copyCase('vendor-root');
  try {
    const unit = join(dir, 'root/usr/lib/systemd/system/nginx.service');
    const unitText = readFileSync(unit, 'utf8');
    const target = join(dir, 'root/etc/systemd/system/nginx.service.d/hardening.conf');
    const first = cliIn(dir, ['harden', '--root', 'root', 'nginx.service', '--write', '--format', 'dropin']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /wrote .*root\/etc\/systemd\/system\/nginx\.service\.d\/hardening\.conf/);
    assert.equal(readFileSync(target, 'utf8'), first.stdout);
    const again = cliIn(dir, ['harden', '--root', 'root', 'nginx.service', '--write']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /already up to date/);
    assert.equal(readFileSync(target, 'utf8'), first.stdout);
    assert.equal(readFileSync(unit, 'utf8'), unitText);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('harden CLI: --write refuses to replace a different existing file (exit 2, the file kept)', () => {
  const dir = copyCase('relative');
  try {
    const target = join(dir, 'units/runner.service.d/hardening.conf');
    const mine = '[Service]\n# my own\nProtectSystem=full\n';
    cpSync(join(dir, 'units/runner.service'), join(dir, 'units/runner.service.bak'));
    writeFileSync(join(dir, 'mine.conf'), mine);
    cpSync(join(dir, 'mine.conf'), target);
    const r = cliIn(join(dir, 'units'), ['harden', 'runner.service', '--write']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exists and differs from the recommended drop-in: not replaced/);
    assert.equal(readFileSync(target, 'utf8'), mine);
    assert.equal(
      readFileSync(join(dir, 'units/runner.service'), 'utf8'),
      readFileSync(join(dir, 'units/runner.service.bak'), 'utf8'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('harden CLI: an unknown profile and a missing unit are usage errors (exit 2)', () => {
  const p = cliIn(join(CASES, 'relative', 'units'), ['harden', 'runner.service', '--profile', 'no-such']);
  assert.equal(p.status, 2);
  assert.match(p.stderr, /unknown profile 'no-such': known profiles are .*nginx/);
  const m = cliIn(join(CASES, 'relative', 'units'), ['harden', 'missing.service']);
  assert.equal(m.status, 2);
  assert.ok(!existsSync(join(CASES, 'relative', 'units', 'missing.service.d')));
});
