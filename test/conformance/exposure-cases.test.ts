/**
 * Edge cases of the exposure engine against the real binaries: test/fixtures/exposure-cases.json
 * holds synthetic units (one setting at a time, merges of repeated lines, version-specific values,
 * refusals, drop-ins, policies). For every case and every installed systemd-analyze, the refusal,
 * the overall exposure and each row (badness, weight, range, description, set, exposure, order)
 * must match. Versions whose binary is missing are skipped.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { score } from '../../server/src/exposure/score';
import { buildUnit } from '../../server/src/model/build';
import { analysedUnitName } from '../../server/src/model/security-inputs';
import { ORACLE_VERSIONS, oraclePath } from '../oracle';
import { oracle, skipUnless } from '../requirements';
import { oracleScore, placeCase, type SyntheticCase } from './exposure-oracle';

const CASES = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'exposure-cases.json'), 'utf8'),
) as SyntheticCase[];

for (const version of ORACLE_VERSIONS) {
  const bin = oraclePath(version);
  test(`exposure edge cases agree with systemd-analyze ${version}`, { skip: skipUnless(oracle(version)) }, () => {
    const failures: string[] = [];
    for (const c of CASES) {
      const o = oracleScore(bin!, c, version);
      const model = buildUnit(analysedUnitName(c.name, version), placeCase(c, version), { version });
      const r = score(model, { version, seccompTable: 'oracle', cgroupMaskUnavailable: true, policy: c.policy });
      const tag = `${c.name} ${JSON.stringify(c.text)}${c.dropins ? ` + ${JSON.stringify(c.dropins)}` : ''}${c.policy ? ` policy ${JSON.stringify(c.policy)}` : ''}`;
      if ((o === null) !== (r.exposure === null)) {
        failures.push(`${tag}: refused ours=${r.refused?.reason ?? 'no'} systemd=${o === null ? 'yes' : 'no'}`);
        continue;
      }
      if (!o) continue;
      if (r.exposure!.tenths !== o.tenths) failures.push(`${tag}: exposure ${r.exposure!.tenths} vs ${o.tenths}`);
      const want = o.rows.map((k) => [
        k.json_field,
        k.set,
        k.exposure,
        k.badness > 1e18 ? null : k.badness,
        k.weight,
        k.range,
        k.name,
        k.description,
      ]);
      const got = r.checks.map((k) => [
        k.json_field,
        k.set,
        k.exposure,
        k.badness,
        k.weight,
        k.range,
        k.name,
        k.description,
      ]);
      for (let i = 0; i < Math.max(want.length, got.length); i++) {
        if (JSON.stringify(want[i]) !== JSON.stringify(got[i])) {
          failures.push(`${tag}: row ${i} ours=${JSON.stringify(got[i])} systemd=${JSON.stringify(want[i])}`);
          break;
        }
      }
    }
    assert.equal(failures.length, 0, failures.slice(0, 10).join('\n'));
  });
}
