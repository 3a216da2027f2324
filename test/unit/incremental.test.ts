/**
 * The seam of incremental scoring (exposure/incremental/index.ts) against the plain path: for every
 * .service file of the corpus, every check's plan (whether or not suggest() would offer it) and the
 * safe set, the seam's answer equals rebuilding the unit with the plan's drop-in and scoring it with
 * score(). The corpus is walked twice, so the second pass meets the outcomes the first one kept
 * (outcome-memo.ts); and once under a policy whose weights do not fit doubles (the seam's own plain
 * path). test/conformance/suggest-reference.test.ts compares whole suggest() results the same way.
 */
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { assessorsFor } from '../../server/src/exposure/assessors';
import { variantScorer, type VariantScore } from '../../server/src/exposure/incremental';
import { dropinPath, type LinePlan, planFor, plansOf, safePlan } from '../../server/src/exposure/plans';
import { type ScoreOptions, scoreInputs } from '../../server/src/exposure/score';
import { suggest } from '../../server/src/exposure/suggest';
import { buildUnit } from '../../server/src/model/build';
import { execSectionOf, modelForAnalysis, securityInputs } from '../../server/src/model/security-inputs';
import type { UnitModel } from '../../server/src/model/unit-model';
import { decodeBytes } from '../../server/src/syntax/bytes';
import { corpusFiles, readBytes } from '../helpers';

/** The plain path: the unit rebuilt from its texts with the drop-in appended, scored from scratch. */
function rebuilt(m: UnitModel, plan: LinePlan, checkIndex: number, options: ScoreOptions): VariantScore | null {
  const files = [
    ...m.files.map((f) => ({ path: f.path, text: f.tree.text })),
    { path: dropinPath(m), text: plan.text },
  ];
  const um = buildUnit(m.name, files, { version: m.version });
  const dropin = um.files[um.files.length - 1]!;
  const inputs = securityInputs(um, options);
  if (um.ignored.some((i) => i.file === dropin) || inputs.problems.some((p) => p.assignment.file === dropin))
    return null;
  const r = scoreInputs(inputs, options);
  if (!r.exposure) return null;
  return { tenths: r.exposure.tenths, badnessAfter: r.checks.find((c) => c.index === checkIndex)?.badness ?? null };
}

const units = corpusFiles()
  .filter((f) => f.endsWith('.service'))
  .map((f) => ({ name: basename(f), path: `/lib/systemd/system/${basename(f)}`, text: decodeBytes(readBytes(f)) }));

/** Compares the seam with the plain path for every plan of every unit; returns the differences and the count. */
function compare(
  version: number,
  options: ScoreOptions,
  passes: number,
  every = 1,
  list: ReadonlyArray<{ name: string; path: string; text: string }> = units,
): { failures: string[]; compared: number } {
  const failures: string[] = [];
  let compared = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let k = 0; k < list.length; k += every) {
      const u = list[k]!;
      const m = modelForAnalysis(buildUnit(u.name, [{ path: u.path, text: u.text }], { version }), version);
      const info = securityInputs(m, options);
      const base = scoreInputs(info, options);
      if (!base.exposure) continue;
      const section = execSectionOf(m.type) ?? 'Service';
      const scorer = variantScorer(m, info, base, options);
      const plans: Array<[LinePlan, number]> = [];
      assessorsFor(version).forEach((a, index) => {
        const plan = planFor(plansOf(section, m.version), index, a, info, section, m.version);
        if (plan?.known) plans.push([plan, index]);
      });
      const safe = safePlan(suggest(m, { ...options, version }).suggestions, section, m.version);
      if (safe) plans.push([safe, -1]);
      for (const [plan, index] of plans) {
        const fast = scorer.score(plan, index);
        const plain = rebuilt(m, plan, index, options);
        compared++;
        if (JSON.stringify(fast) !== JSON.stringify(plain))
          failures.push(
            `${u.name} + ${JSON.stringify(plan.lines)}: seam ${JSON.stringify(fast)}, rebuilt ${JSON.stringify(plain)}`,
          );
      }
    }
  }
  return { failures, compared };
}

test('incremental scoring equals rebuilding and scoring, every corpus unit and plan, twice, systemd 252', () => {
  assert.ok(units.length > 500, `corpus has ${units.length} .service files`);
  const { failures, compared } = compare(252, {}, 2);
  assert.ok(compared > 40_000, `${compared} variants compared`);
  assert.deepEqual(failures.slice(0, 10), []);
});

test('incremental scoring equals rebuilding and scoring, every other corpus unit, systemd 262', () => {
  const { failures, compared } = compare(262, {}, 1, 2);
  assert.ok(compared > 10_000, `${compared} variants compared`);
  assert.deepEqual(failures.slice(0, 10), []);
});

test('incremental scoring under a policy whose weights do not fit doubles equals rebuilding and scoring', () => {
  const policy = { NoNewPrivileges: { weight: 2 ** 40 }, PrivateTmp: { weight: 2 ** 40 } };
  const { failures, compared } = compare(252, { policy }, 1, 4);
  assert.ok(compared > 5_000, `${compared} variants compared`);
  assert.deepEqual(failures.slice(0, 10), []);
});

test('incremental scoring equals rebuilding and scoring on systemd 239, whose loader fails a SystemCallFilter= errno conflict', () => {
  // Every 8th corpus unit with a deny-list whose calls carry errnos: a plan that lists one of them again
  // (SystemCallFilter=~@privileged …) fails its line and loses the rest of its drop-in on 239 (851ee70a3d).
  const errnoUnits = units
    .filter((_, k) => k % 8 === 0)
    .map((u) => ({
      ...u,
      text: `${u.text}\n[Service]\nSystemCallFilter=~@clock:EPERM @module:EACCES @raw-io:EPERM\n`,
    }));
  const { failures, compared } = compare(239, {}, 2, 1, errnoUnits);
  assert.ok(compared > 5_000, `${compared} variants compared`);
  assert.deepEqual(failures.slice(0, 10), []);
});
