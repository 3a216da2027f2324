/**
 * features/figures.ts otherFigure() shows the other figure wherever the two figures score a unit
 * differently, for every rule by which they differ (knowledge/figures.ts figureRules()), not only
 * PrivateMounts=: here the running figure's `name:errno` SystemCallFilter= entries of the patch releases
 * 250.0-250.7 and 251.0-251.2, which have both figures (test/fixtures/figures/errno-suffix.json), how the
 * running figure reads IPAddressAllow=, and the rules the data gives each release. The answer is held to deriving and scoring the other figure in full.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { score, scoreInputs } from '../../server/src/exposure';
import { otherFigureIn } from '../../server/src/features/figures';
import { type Figure, figuresOf } from '../../server/src/knowledge/figures';
import { releaseLogic } from '../../server/src/knowledge/release-behaviour';
import { TARGET_VERSIONS } from '../../server/src/knowledge/versions';
import { buildUnit } from '../../server/src/model/build';
import { deriveEnv, type DeriveEnv, deriveInputs } from '../../server/src/model/derive';
import { ROOT } from '../helpers';

interface Fixture {
  patchReleases: Record<string, string>;
  units: { name: string; lines: string[] }[];
}
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/figures/errno-suffix.json'), 'utf8')) as Fixture;

/** Each release with both figures as the data gives it, and the patch releases with the errno suffix. */
const releases: { label: string; version: number; suffix: boolean | null }[] = [
  ...TARGET_VERSIONS.filter((v) => figuresOf(v).length > 1).map((v) => ({
    label: String(v),
    version: v,
    suffix: null,
  })),
  ...Object.entries(fixture.patchReleases).map(([v, range]) => ({ label: range, version: Number(v), suffix: true })),
];

/** The environment of `figure`, with the patch release's errno-suffix rule where it has one. */
function envOf(model: Parameters<typeof deriveEnv>[0], figure: Figure, suffix: boolean | null): DeriveEnv {
  const env = deriveEnv(model, figure);
  if (suffix === null || figure !== 'running') return env;
  return { ...env, rules: { ...env.rules, filterErrnoSuffix: suffix } };
}

test("the patch releases of the fixture have both figures; the errno-suffix rule is the data's", () => {
  for (const v of Object.keys(fixture.patchReleases).map(Number))
    assert.deepEqual([...figuresOf(v)].sort(), ['offline', 'running'], `${v} has both figures`);
  // The rule is the data's: the releases before 250 (one figure, the running one) have it.
  assert.equal(releaseLogic(249).runningFilterErrnoSuffix, true);
});

test('otherFigure() shows the other figure whenever it scores differently, for every figure rule', () => {
  const wrong: string[] = [];
  let differ = 0;
  for (const r of releases)
    for (const u of fixture.units)
      for (const own of ['offline', 'running'] as const) {
        const other: Figure = own === 'offline' ? 'running' : 'offline';
        const text = ['[Service]', 'ExecStart=/usr/bin/true', ...u.lines, ''].join('\n');
        const model = buildUnit('errno.service', [{ path: '/etc/systemd/system/errno.service', text }], {
          version: r.version,
          figure: own,
        });
        const info = score(model, { version: r.version }).inputs;
        const at = (figure: Figure) =>
          scoreInputs(deriveInputs(envOf(model, figure, r.suffix), info.values, info.problems, info.refused, null), {
            version: r.version,
          });
        const base = at(own);
        const full = at(other);
        const want =
          full.exposure && base.exposure && full.exposure.tenths !== base.exposure.tenths
            ? `${other} ${full.exposure.text} ${full.band}`
            : 'null';
        if (want !== 'null') differ++;
        const got = otherFigureIn(envOf(model, other, r.suffix), base);
        const gotText = got ? `${got.figure} ${got.exposure.toFixed(1)} ${got.band}` : 'null';
        if (gotText !== want) wrong.push(`${r.label} ${own} "${u.name}": ${gotText}, want ${want}`);
        // Where the errno rule separates them, the reason names it.
        const errnos = u.lines.some((l) => l.startsWith('SystemCallFilter=') && l.includes(':'));
        if (got && r.suffix && errnos && !/name:errno/.test(got.why))
          wrong.push(`${r.label} ${own} "${u.name}": why ${got.why}`);
      }
  assert.deepEqual(wrong, []);
  assert.ok(differ > 0, 'some unit scores differently in the two figures');
});
