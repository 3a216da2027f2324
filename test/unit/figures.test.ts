/**
 * The two figures of `systemd-analyze security` (knowledge/figures.ts): the releases that have each, and
 * PrivateMounts= as each counts it (test/fixtures/figures/cases.json; the stored 252m answers hold the
 * running figure to the real manager on the whole corpus, in conformance/stored-oracles.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { score } from '../../server/src/exposure/score';
import { type Figure, figuresOf, offlinePrivateMounts, scoredFigure } from '../../server/src/knowledge/figures';
import { figureOf } from '../../server/src/features/figures';
import { TARGET_VERSIONS } from '../../server/src/knowledge/versions';
import { buildUnit } from '../../server/src/model/build';
import { deriveEnv } from '../../server/src/model/derive';
import { ROOT } from '../helpers';

interface Case {
  name: string;
  lines: string[];
  want: Record<string, boolean>;
}
const { cases } = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/figures/cases.json'), 'utf8')) as { cases: Case[] };

function privateMountsMark(lines: readonly string[], version: number, figure: Figure): boolean | null {
  const text = ['[Service]', 'ExecStart=/usr/bin/true', ...lines, ''].join('\n');
  const model = buildUnit('figure.service', [{ path: '/etc/systemd/system/figure.service', text }], {
    version,
    figure,
  });
  const check = score(model, { version }).checks.find((c) => c.name === 'PrivateMounts=');
  assert.ok(check, 'the table has a PrivateMounts= row');
  return check.set;
}

for (const c of cases) {
  test(`PrivateMounts= by figure: ${c.name}`, () => {
    for (const [key, want] of Object.entries(c.want)) {
      const [v, figure] = key.split(' ') as [string, Figure];
      assert.equal(privateMountsMark(c.lines, Number(v), figure), want, `${key}: ${c.lines.join(' ') || '(nothing)'}`);
    }
  });
}

test('releases before 250 have only the running figure; 250 on have both, offline by default', () => {
  assert.deepEqual(figuresOf(249), ['running']);
  assert.equal(scoredFigure(249), 'running');
  assert.deepEqual(figuresOf(250), ['offline', 'running']);
  assert.equal(scoredFigure(252), 'offline');
  assert.deepEqual(figuresOf(1000), []);
});

test('offline PrivateMounts=: explicit up to 253, unset counts from 254 (24002121289698569bc28c0fe32dbb553a648545)', () => {
  assert.equal(offlinePrivateMounts(253), 'explicit');
  assert.equal(offlinePrivateMounts(254), 'unset-counts');
  assert.equal(offlinePrivateMounts(262), 'unset-counts');
});

test('a model built without a figure takes its release default', () => {
  const model = buildUnit('x.service', [{ path: '/x.service', text: '[Service]\nExecStart=/bin/true\n' }], {
    version: 252,
  });
  assert.equal(model.figure, 'offline');
});

test('one answer to "which figure": building, deriving and figureOf() agree with scoredFigure() for every release and request', () => {
  const text = '[Service]\nExecStart=/bin/true\n';
  for (const version of TARGET_VERSIONS)
    for (const wanted of [undefined, 'offline', 'running'] as const) {
      const want = scoredFigure(version, wanted);
      const has = figuresOf(version);
      assert.ok(has.includes(want), `${version}: ${want} is one of ${has.join(', ')}`);
      if (wanted && has.includes(wanted)) assert.equal(want, wanted, `${version} ${wanted}`);
      if (!wanted) assert.equal(want, has.includes('offline') ? 'offline' : 'running', `${version} default`);
      const model = buildUnit('x.service', [{ path: '/x.service', text }], { version, figure: wanted });
      const where = `${version} ${wanted ?? '(none)'}`;
      assert.equal(model.figure, want, `${where}: model`);
      assert.equal(figureOf(model), want, `${where}: figureOf`);
      assert.equal(deriveEnv(model).figure, want, `${where}: deriveEnv`);
      assert.equal(deriveEnv({ ...model, figure: 'offline' }, wanted).figure, want, `${where}: deriveEnv(wanted)`);
    }
});
