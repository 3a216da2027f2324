/**
 * suggest() scores each suggestion incrementally (only the settings it names folded again, only the
 * checks whose inputs change re-assessed). Here it must give exactly what the slow reference gives —
 * every suggestion's lines appended as a drop-in, the unit rebuilt from its files and scored from
 * scratch — on every corpus case for 252, 254, 257 and 262, and on corpus units with random
 * sandboxing drop-ins (so the folds continue from unusual states). Also: the dependencies suggest()
 * relies on (which inputs each check reads, which inputs changedInputs() compares) hold.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { READS } from '../../server/src/exposure/checks';
import { assessCheck, checkTable } from '../../server/src/exposure/engine';
import { suggest, suggestByRebuilding, type SuggestResult } from '../../server/src/exposure/suggest';
import { changedInputs, readsOf } from '../../server/src/exposure/incremental/incremental-scorer';
import { buildUnit } from '../../server/src/model/build';
import { modelForAnalysis, type SecurityInputs, securityInputs } from '../../server/src/model/security-inputs';
import { ORACLE_VERSIONS } from '../oracle';
import { skipUnless } from '../requirements';
import { corpusCases, placedCase } from './corpus-cases';
import { randomMixes } from './mixes';

const OPTIONS = { seccompTable: 'oracle', cgroupMaskUnavailable: true } as const;

function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint'
      ? `${x}n`
      : x instanceof Set
        ? [...(x as Set<unknown>)]
        : x instanceof Map
          ? [...(x as Map<unknown, unknown>)]
          : x,
  );
}

/** Everything of a SuggestResult but the models' object graphs (problems by place and text). */
function comparable(r: SuggestResult): string {
  const inputs = (i: SecurityInputs) => ({
    ...i,
    values: undefined,
    problems: i.problems.map((p) => [
      p.assignment.file.path,
      p.assignment.file.order,
      p.span.start,
      p.span.end,
      p.message,
      p.effect,
    ]),
  });
  return json({
    base: { ...r.base, inputs: inputs(r.base.inputs) },
    suggestions: r.suggestions,
    safeSet: r.safeSet,
  });
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 200), i + 200)}…\n  vs\n…${b.slice(Math.max(0, i - 200), i + 200)}…`;
}

for (const version of ORACLE_VERSIONS) {
  test(
    `suggest() equals rebuilding and rescoring, corpus and random drop-ins, systemd ${version}`,
    { skip: skipUnless('corpus') },
    () => {
      const failures: string[] = [];
      let units = 0;
      let suggestions = 0;
      const cases = corpusCases(version);
      const check = (label: string, name: string, files: Array<{ path: string; text: string }>) => {
        units++;
        const fast = suggest(buildUnit(name, files, { version }), { version, ...OPTIONS });
        const slow = suggestByRebuilding(buildUnit(name, files, { version }), { version, ...OPTIONS });
        suggestions += slow.suggestions.length + (slow.safeSet ? 1 : 0);
        const a = comparable(fast);
        const b = comparable(slow);
        if (a !== b) failures.push(`${label}: ${firstDifference(a, b)}`);
      };
      for (const c of cases) {
        const { name, files } = placedCase(c, version);
        check(c.label, name, files);
      }
      // Corpus units with random drop-ins.
      const mixes = randomMixes(1000 + version, 300);
      mixes.forEach((mix, i) => {
        const c = cases[(i * 37) % cases.length]!;
        const { name, files } = placedCase(c, version);
        const dir = `/etc/systemd/system/${name}.d`;
        const all = [...files, ...mix.dropins.map((text, k) => ({ path: `${dir}/${50 + k}-mix.conf`, text }))];
        check(`${c.label} + ${json(mix.dropins)}`, name, all);
      });
      console.log(
        `systemd ${version}: ${units} units, ${suggestions} suggestions and safe sets, ${failures.length} differ`,
      );
      assert.equal(failures.length, 0, failures.slice(0, 5).join('\n\n'));
    },
  );
}

test(
  'each check reads only the inputs its READS entry declares, and changedInputs() compares all of them',
  { skip: skipUnless('corpus') },
  () => {
    const bad = new Set<string>();
    for (const version of ORACLE_VERSIONS) {
      const table = checkTable(version, undefined);
      const cases = corpusCases(version);
      const mixes = randomMixes(7 + version, 150);
      const inputs: SecurityInputs[] = [];
      for (const c of cases) {
        const { name, files } = placedCase(c, version);
        inputs.push(securityInputs(modelForAnalysis(buildUnit(name, files, { version }), version), OPTIONS));
      }
      mixes.forEach((mix, i) => {
        const { name, files } = placedCase(cases[i % cases.length]!, version);
        const all = [
          ...files,
          ...mix.dropins.map((text, k) => ({ path: `/etc/systemd/system/${name}.d/${k}.conf`, text })),
        ];
        inputs.push(securityInputs(modelForAnalysis(buildUnit(name, all, { version }), version), OPTIONS));
      });
      for (const info of inputs) {
        for (const c of table.checks) {
          const read = new Set<string>();
          const spy = new Proxy(info, {
            get(target, prop, receiver) {
              if (typeof prop === 'string') read.add(prop);
              return Reflect.get(target, prop, receiver) as unknown;
            },
          });
          assessCheck(c, spy, { seccompTable: 'oracle' });
          for (const p of read)
            if (!readsOf(c).includes(p as keyof SecurityInputs))
              bad.add(`${version} ${c.assessor.json_field} reads ${p}`);
        }
      }
      // Every property a check reads is compared: change one at a time.
      const base = inputs[0]!;
      const props = new Set(table.checks.flatMap((c) => READS[c.assessor.kind](c.assessor)));
      props.add('defaultDependencies');
      for (const p of props) {
        const v = base[p];
        const changed =
          typeof v === 'boolean'
            ? !v
            : typeof v === 'bigint'
              ? v ^ 1n
              : typeof v === 'number'
                ? v + 1
                : Array.isArray(v)
                  ? [...v, 'x']
                  : v instanceof Set
                    ? new Set([...v, 'x'])
                    : v === null
                      ? 'x'
                      : `${String(v)}x`;
        const out: Array<keyof SecurityInputs> = [];
        changedInputs(base, { ...base, [p]: changed }, out);
        if (!out.includes(p)) bad.add(`changedInputs() misses ${p}`);
      }
    }
    assert.deepEqual([...bad], []);
  },
);
