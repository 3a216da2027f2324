/**
 * Random mixes of sandboxing settings (mixes.ts: every check's values, lists set twice, empty resets,
 * `~` inversions, users, DynamicUser=, DefaultDependencies=no, a few values systemd refuses) as
 * drop-ins to corpus units, scored by us and by the real systemd-analyze of 252, 254, 257 and 262:
 * whether the unit is refused, the overall exposure, and every check's set/exposure (and badness,
 * weight, range) by json_field must agree.
 *
 * Batched (batch-oracle.ts): table form for the overall number, then JSON for the units that loaded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { score } from '../../server/src/exposure/score';
import { ORACLE_VERSIONS, oraclePath } from '../oracle';
import { oracle, skipUnless } from '../requirements';
import { analyseBatches, type BatchUnit, packBatches } from './batch-oracle';
import { corpusCases } from './corpus-cases';
import { busNameOf, flatModel, flatUnit } from './flat-units';
import { randomMixes } from './mixes';

const OPTIONS = { seccompTable: 'oracle', cgroupMaskUnavailable: true } as const;
const MIXES = Number(process.env.MIXES) || 2000;
const BATCH = 400;

const show = (t: number | null | undefined): string =>
  t === null || t === undefined ? 'refused' : (t / 10).toFixed(1);

for (const version of ORACLE_VERSIONS) {
  const bin = oraclePath(version);
  const skip = skipUnless('corpus', oracle(version));
  test(
    `${MIXES} random sandboxing drop-ins on corpus units agree with systemd-analyze ${version}`,
    { skip },
    async () => {
      const started = Date.now();
      const cases = corpusCases(version);
      const mixes = randomMixes(20_000 + version, MIXES);
      const units: BatchUnit[] = [];
      const ours = new Map<string, { label: string; result: ReturnType<typeof score> }>();
      mixes.forEach((mix, i) => {
        const c = cases[(i * 7919) % cases.length]!;
        const plain = flatUnit(c, `m${i}`);
        const extra = mix.dropins.map((text, k) => ({ name: `${plain.name}.d/${50 + k}-mix.conf`, text }));
        const u = flatUnit(c, `m${i}`, extra);
        const model = flatModel(u, version);
        ours.set(u.name, {
          label: `${c.label} + drop-ins ${JSON.stringify(mix.dropins)}`,
          result: score(model, { version, ...OPTIONS }),
        });
        units.push({ name: u.name, files: u.files, exclusive: busNameOf(model) });
      });
      const scored = Date.now();
      const results = await analyseBatches(bin!, version, packBatches(units, BATCH), { json: true });
      const failures: string[] = [];
      let compared = 0;
      let refused = 0;
      let rows = 0;
      for (const r of results) {
        for (const [name, tenths] of r.overall) {
          compared++;
          const { label, result } = ours.get(name)!;
          const mine = result.exposure?.tenths ?? null;
          const where = `${label} as ${name}`;
          if (mine !== tenths) {
            failures.push(
              `${where}: overall ours ${show(mine)}${result.refused ? ` (${result.refused.reason})` : ''}, systemd ${show(tenths)}`,
            );
            continue;
          }
          if (tenths === null) {
            refused++;
            continue;
          }
          const theirs = r.rows.get(name)!;
          const byField = new Map(result.checks.map((k) => [k.json_field, k]));
          for (const o of theirs) {
            rows++;
            const k = byField.get(o.json_field);
            const want = {
              set: o.set,
              exposure: o.exposure,
              badness: o.badness > 1e18 ? null : o.badness,
              weight: o.weight,
              range: o.range,
            };
            const got = k && { set: k.set, exposure: k.exposure, badness: k.badness, weight: k.weight, range: k.range };
            if (JSON.stringify(want) !== JSON.stringify(got))
              failures.push(`${where}: ${o.json_field} ours ${JSON.stringify(got)}, systemd ${JSON.stringify(want)}`);
          }
          if (theirs.length !== result.checks.length)
            failures.push(`${where}: ${result.checks.length} checks, systemd ${theirs.length}`);
        }
      }
      assert.equal(compared, MIXES);
      console.log(
        `systemd ${version}: ${compared} mixes (${refused} refused by both), ${rows} check rows compared, ${failures.length} disagreements; ` +
          `scored in ${scored - started} ms, measured in ${Date.now() - scored} ms`,
      );
      assert.equal(failures.length, 0, `${failures.length} disagree:\n${failures.slice(0, 20).join('\n')}`);
    },
  );
}
