/**
 * The recommended drop-in against the real systemd-analyze 252: for the real unit files of seven
 * Debian 12 services (test/fixtures/harden/debian-12/, copied from the boot tier's guest tree), the unit
 * is put in a temporary root at /usr/lib/systemd/system and the drop-in where `harden` says it goes
 * (/etc/systemd/system/NAME.service.d/hardening.conf); `systemd-analyze security --offline=yes
 * --root=DIR NAME` must print exposure_after. Also with an older hardening.conf and a later drop-in in
 * place, so the replacement and the order by file name are what systemd does.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { hardenUnit, type SourceFile } from '../../server/src/service';
import { oraclePath, runOracle } from '../oracle';
import { skipUnless } from '../requirements';

const FIXTURES = join(__dirname, '..', 'fixtures', 'harden', 'debian-12');
const bin = oraclePath(252);

function oracle(root: string, name: string): string | null {
  const r = runOracle(bin!, ['security', '--offline=yes', '--no-pager', `--root=${root}`, name]);
  return /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout)?.[1] ?? null;
}

function writeTree(root: string, files: readonly SourceFile[]): void {
  for (const f of files) {
    mkdirSync(join(root, dirname(f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.text);
  }
}

const EXTRA: Record<string, (name: string) => SourceFile[]> = {
  alone: () => [],
  'with an older hardening.conf and a later drop-in': (name) => [
    { path: `/etc/systemd/system/${name}.d/hardening.conf`, text: '[Service]\nPrivateNetwork=yes\n' },
    { path: `/etc/systemd/system/${name}.d/zz-local.conf`, text: '[Service]\nProtectHome=read-only\nPrivateTmp=no\n' },
  ],
};

for (const file of readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.service'))
  .sort()) {
  for (const [what, extra] of Object.entries(EXTRA)) {
    test(`harden vs systemd-analyze 252: ${file} ${what}`, { skip: skipUnless('systemd-analyze 252') }, () => {
      const name = file.includes('@.') ? file.replace('@.', '@test.') : file;
      const files: SourceFile[] = [
        { path: `/usr/lib/systemd/system/${file}`, text: readFileSync(join(FIXTURES, file), 'utf8') },
        ...extra(name),
      ];
      const r = hardenUnit({ name, files, version: 252 });
      assert.equal(r.error, undefined, r.error);
      const root = mkdtempSync(join(tmpdir(), 'sh-harden-'));
      try {
        writeTree(root, files);
        assert.equal(oracle(root, name), r.exposureBefore?.toFixed(1), `${name}: exposure_before`);
        if (r.dropin) writeTree(root, [{ path: r.dropinPath!, text: r.dropin }]);
        else rmSync(join(root, `etc/systemd/system/${name}.d/hardening.conf`), { force: true });
        assert.equal(oracle(root, name), r.exposureAfter?.toFixed(1), `${name}: exposure_after\n${r.dropin}`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
}
