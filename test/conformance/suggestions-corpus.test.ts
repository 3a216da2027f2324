/**
 * Predicted deltas at scale: for every corpus case (each unit alone, and with its packaged drop-ins)
 * and each of systemd 252, 254, 257 and 262, every suggestion suggest() makes, and its safe set, is
 * written as a drop-in and the real systemd-analyze re-measures the unit; its overall exposure must be
 * the `exposure_after` we predicted (and the unit without the drop-in must score as we say).
 *
 * Batched for speed (batch-oracle.ts): the variants are renamed with unique prefixes and scored a few
 * hundred per process from one flat folder. Versions whose binary is missing are skipped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUGGESTION_DROPIN, suggest } from '../../server/src/exposure/suggest';
import { ORACLE_VERSIONS, oraclePath } from '../oracle';
import { oracle, skipUnless } from '../requirements';
import { analyseBatches, type BatchUnit, packBatches } from './batch-oracle';
import { corpusCases } from './corpus-cases';
import { busNameOf, flatModel, flatUnit } from './flat-units';

const OPTIONS = { seccompTable: 'oracle', cgroupMaskUnavailable: true } as const;
const BATCH = 500;

interface Variant {
  case: string;
  /** The drop-in's lines (null: the unit as it is). */
  lines: string[] | null;
  what: string;
  expected: number | null;
}

const show = (t: number | null): string => (t === null ? 'refused' : (t / 10).toFixed(1));

for (const version of ORACLE_VERSIONS) {
  const bin = oraclePath(version);
  const skip = skipUnless('corpus', oracle(version));
  test(`every suggestion and safe set on the corpus, re-measured by systemd-analyze ${version}`, { skip }, async () => {
    const started = Date.now();
    const variants = new Map<string, Variant>();
    const units: BatchUnit[] = [];
    const cases = corpusCases(version);
    let suggestions = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const base = flatUnit(c, `c${i}`);
      const model = flatModel(base, version);
      const r = suggest(model, { version, ...OPTIONS });
      const exclusive = busNameOf(model);
      variants.set(base.name, {
        case: c.label,
        lines: null,
        what: 'unit as it is',
        expected: r.base.exposure?.tenths ?? null,
      });
      units.push({ name: base.name, files: base.files, exclusive });
      const sets = r.suggestions.map((s) => ({ lines: [...s.lines], what: s.json_field, tenths: s.exposure.tenths }));
      suggestions += sets.length;
      if (r.safeSet) sets.push({ lines: r.safeSet.lines, what: 'safe set', tenths: r.safeSet.exposure.tenths });
      sets.forEach((s, j) => {
        const v = flatUnit(c, `c${i}s${j}`);
        v.files.push({ name: `${v.fragment}.d/${SUGGESTION_DROPIN}`, text: `[Service]\n${s.lines.join('\n')}\n` });
        variants.set(v.name, { case: c.label, lines: s.lines, what: s.what, expected: s.tenths });
        units.push({ name: v.name, files: v.files, exclusive });
      });
    }
    const predicted = Date.now();
    const results = await analyseBatches(bin!, version, packBatches(units, BATCH));
    const failures: string[] = [];
    let k = 0;
    for (const r of results) {
      for (const [name, tenths] of r.overall) {
        const v = variants.get(name)!;
        k++;
        if (tenths !== v.expected) {
          failures.push(
            `${v.case} as ${name}${v.lines ? ` + drop-in ${JSON.stringify(v.lines)} (${v.what})` : ''}: ours ${show(v.expected)}, systemd ${show(tenths)}`,
          );
        }
      }
    }
    assert.equal(k, variants.size);
    console.log(
      `systemd ${version}: ${cases.length} units × ${suggestions} suggestions (+ safe sets, + the units alone) = ${variants.size} runs, ` +
        `${variants.size - failures.length} agree; predicted in ${predicted - started} ms, measured in ${Date.now() - predicted} ms`,
    );
    assert.equal(failures.length, 0, `${failures.length} disagree:\n${failures.slice(0, 20).join('\n')}`);
  });
}
