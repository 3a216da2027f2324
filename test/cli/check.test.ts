/** The built CLI (`dist/cli.js check`): output formats, exit codes, drop-ins beside a unit, bad input. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer): string => writeUnder(tmp, rel, text);

const clean = write('clean/ok.service', '[Unit]\nDescription=ok\n[Service]\nExecStart=/bin/true\n');
const typo = write('typo/web.service', '[Service]\nExecStart=/bin/true\nProtectSytem=strict\n');
const dropin = write('typo/web.service.d/override.conf', '[Service]\nDescription=misplaced\n');
const broken = write('broken/b.service', '[Service\nExecStart=/bin/true\n');

test('cli check: a clean file prints nothing and exits 0', () => {
  const r = cli('check', clean);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '');
});

test('cli check: text format is file:line:col: severity code: message', () => {
  const r = cli('check', typo);
  assert.equal(r.status, 0, 'warnings only');
  assert.equal(
    r.stdout,
    `${typo}:3:1: warning unknown-directive: Unknown directive ProtectSytem= in [Service]: systemd 252 ignores it. Did you mean ProtectSystem=?\n`,
  );
});

test('cli check: JSON has one object per file in argument order, 1-based positions', () => {
  const r = cli('check', '--format', 'json', broken, typo, dropin, clean);
  assert.equal(r.status, 1, 'the broken header is an error');
  const out = JSON.parse(r.stdout) as { file: string; diagnostics: Record<string, unknown>[] }[];
  assert.deepEqual(
    out.map((o) => o.file),
    [broken, typo, dropin, clean],
  );
  assert.deepEqual(out[1]!.diagnostics[0], {
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 13,
    severity: 'warning',
    code: 'unknown-directive',
    message: 'Unknown directive ProtectSytem= in [Service]: systemd 252 ignores it. Did you mean ProtectSystem=?',
  });
  assert.equal(out[0]!.diagnostics[0]!.code, 'invalid-section-header');
  assert.equal(out[0]!.diagnostics[0]!.severity, 'error');
  assert.deepEqual(
    out[2]!.diagnostics.map((d) => d.code),
    ['misplaced-directive'],
  );
  assert.deepEqual(out[3]!.diagnostics, []);
});

test('cli check: a folder is searched for units and drop-ins', () => {
  const r = cli('check', '--format=json', join(tmp, 'typo'));
  const out = JSON.parse(r.stdout) as { file: string }[];
  assert.deepEqual(
    out.map((o) => o.file),
    [typo, dropin],
  );
});

test('cli check: unreadable input exits 2 and the other files are still checked', () => {
  const r = cli('check', '--format', 'json', join(tmp, 'missing.service'), typo);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing\.service/);
  assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
});

test('cli check: binary junk is reported, not a crash', () => {
  const junk = write('junk/j.service', Buffer.from([0x5b, 0xff, 0x00, 0xfe, 0x0a, 0x3d, 0x80, 0x0a]));
  const r = cli('check', '--format', 'json', junk);
  assert.equal(r.status, 1);
  const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }[])[0]!.diagnostics.map((d) => d.code);
  assert.ok(codes.includes('invalid-utf8'), codes.join(','));
});

test('cli: usage errors exit 2 with a clear message', () => {
  for (const args of [
    ['frobnicate'],
    ['check'],
    ['check', '--format', 'xml', clean],
    ['check', '--systemd-version', '238', clean],
    ['check', '--bogus', clean],
  ]) {
    const r = cli(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /systemd-hardening: /);
  }
  assert.match(cli('check', '--systemd-version', '238', clean).stderr, /supported versions are 239–262/);
});

test('cli check: --systemd-version changes which directives are known', () => {
  const p = write('version/v.service', '[Service]\nExecStart=/bin/true\nPrivatePIDs=yes\n');
  assert.match(
    cli('check', '--systemd-version', '252', p).stdout,
    /unknown-directive: .*PrivatePIDs= needs systemd 257/,
  );
  assert.equal(cli('check', '--systemd-version', '257', p).stdout, '');
});
