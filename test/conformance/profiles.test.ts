/**
 * The hardening profiles (and so the snippets): every line is a directive each supported version
 * knows, with a value it accepts, and a profile added as a drop-in to a bare service scores what the
 * real systemd-analyze of each version says.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROFILES, profileLines } from '../../server/src/features/profiles';
import { analyzeUnit, scoreUnit } from '../../server/src/service';
import { ORACLE_VERSIONS, oraclePath, runOracle } from '../oracle';
import { oracle, skipUnless } from '../requirements';

const BASE = '[Unit]\nDescription=profile test\n[Service]\nExecStart=/usr/bin/true\n';

for (const version of ORACLE_VERSIONS) {
  test(
    `profiles: clean for systemd ${version}, and scored as systemd-analyze ${version} scores them`,
    { skip: skipUnless(oracle(version)) },
    () => {
      const dir = mkdtempSync(join(tmpdir(), `sh-profiles-${version}-`));
      try {
        for (const p of PROFILES) {
          const dropin = `[Service]\n${profileLines(p, version).join('\n')}\n`;
          const files = [
            { path: `/p/${p.id}.service`, text: BASE },
            { path: `/p/${p.id}.service.d/hardening.conf`, text: dropin },
          ];
          const { diagnostics } = analyzeUnit({ name: `${p.id}.service`, files, version });
          assert.deepEqual(
            diagnostics.map((d) => `${d.code}: ${d.message}`),
            [],
            p.id,
          );
          const ours = scoreUnit({ name: `${p.id}.service`, files, version });
          mkdirSync(join(dir, `${p.id}.service.d`), { recursive: true });
          writeFileSync(join(dir, `${p.id}.service`), BASE);
          writeFileSync(join(dir, `${p.id}.service.d`, 'hardening.conf'), dropin);
          const r = runOracle(
            oraclePath(version)!,
            ['security', '--offline=yes', '--no-pager', join(dir, `${p.id}.service`)],
            dir,
          );
          const theirs = /Overall exposure level for \S+: (\d+\.\d) (\w+)/.exec(r.stdout);
          assert.ok(theirs, `${p.id}: ${r.stderr.slice(0, 300)}`);
          assert.equal(ours.exposure?.toFixed(1), theirs[1], p.id);
          assert.equal(ours.band, theirs[2], p.id);
          assert.ok(ours.exposure! < 5, `${p.id} hardens well (${ours.exposure})`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
