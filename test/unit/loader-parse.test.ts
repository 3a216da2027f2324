/**
 * How each release's loader reads SystemCallFilter= errnos (model/loader-rules.ts ParseRules, from
 * assessors.json `parse`): the fixtures of test/fixtures/loader-parse/cases.json, each what a release's
 * own manager printed, each naming the systemd commit of the flag it follows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { score } from '../../server/src/exposure/score';
import { buildUnit } from '../../server/src/model/build';
import { loaderRules, type ParseRules } from '../../server/src/model/loader-rules';
import { valueProblems } from '../../server/src/model/security-inputs';
import { ROOT } from '../helpers';

interface Want {
  refused: boolean;
  rows?: Record<string, { set: boolean; description?: string }>;
}
interface Case {
  commit: string;
  flag: keyof ParseRules;
  unit?: string[];
  dropins?: Record<string, string[]>;
  want: Record<string, Want>;
}
const { cases } = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/loader-parse/cases.json'), 'utf8')) as {
  cases: Case[];
};

const DIR = '/etc/systemd/system';

function build(c: Case, version: number) {
  const unit = ['[Unit]', 'Description=probe', '[Service]', 'ExecStart=/bin/true', ...(c.unit ?? []), ''].join('\n');
  const files = [{ path: `${DIR}/probe.service`, text: unit }];
  for (const [name, lines] of Object.entries(c.dropins ?? {}))
    files.push({ path: `${DIR}/probe.service.d/${name}`, text: ['[Service]', ...lines, ''].join('\n') });
  return buildUnit('probe.service', files, { version, figure: 'running' });
}

for (const c of cases) {
  test(`${[...(c.unit ?? []), ...Object.values(c.dropins ?? {}).flat()].join(' ')}: ${c.commit}`, () => {
    const versions = Object.keys(c.want).map(Number);
    const flags = versions.map((v) => loaderRules(v).parse[c.flag]);
    assert.ok(new Set(flags).size > 1, `${c.flag} is the same in ${versions.join(', ')}`);
    for (const v of versions) {
      const want = c.want[String(v)]!;
      const r = score(build(c, v), { version: v });
      assert.equal(r.refused !== undefined, want.refused, `${v}: refused (${r.refused?.reason})`);
      for (const [name, row] of Object.entries(want.rows ?? {})) {
        const got = r.checks.find((k) => k.name === name);
        assert.ok(got, `${v}: no ${name} row`);
        assert.equal(got.set, row.set, `${v}: ${name} set`);
        if (row.description !== undefined) assert.equal(got.description, row.description, `${v}: ${name}`);
      }
    }
  });
}

test('239 reports the failing word: an error in the unit file, a warning in a drop-in that names what is lost', () => {
  const inUnit = valueProblems(build(cases[0]!, 239)).filter((p) => p.message.includes('fails on'));
  assert.equal(inUnit.length, 1);
  assert.equal(inUnit[0]!.effect, 'fatal');
  assert.match(
    inUnit[0]!.message,
    /'settimeofday:EPERM': settimeofday is already in the filter without an error number/,
  );
  const inDropin = valueProblems(build(cases[1]!, 239)).filter((p) => p.message.includes('fails on'));
  assert.equal(inDropin.length, 1);
  assert.equal(inDropin[0]!.effect, 'ignored');
  assert.match(inDropin[0]!.message, /ignores the rest of this drop-in$/);
  // From 240 the same lines are fine.
  assert.equal(valueProblems(build(cases[1]!, 240)).filter((p) => p.message.includes('fails on')).length, 0);
});
