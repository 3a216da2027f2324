/**
 * The declarations incremental scoring relies on (model/derive.ts): each setting group's put() writes
 * only the TypedValues fields it declares, each derivation reads only the fields it declares and
 * writes only the inputs it declares (and reads the unit itself only when it says so), and every
 * derived input has exactly one derivation, and a derivation reads the figure only when it says so. Checked
 * on the folded values of every corpus case and of random sandboxing mixes, for all four versions,
 * plus copies with the switches that open other branches turned on (DynamicUser=, PrivateDevices=,
 * ProtectClock=, RootImage=, a device policy).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import { DERIVATIONS, deriveEnv, deriveInputs, type DerivedInput, type FieldPath } from '../../server/src/model/derive';
import { GROUPS } from '../../server/src/model/groups';
import {
  modelForAnalysis,
  securityInputs,
  typedValues,
  type TypedValues,
} from '../../server/src/model/security-inputs';
import type { UnitModel } from '../../server/src/model/unit-model';
import { ORACLE_VERSIONS } from '../oracle';
import { skipUnless } from '../requirements';
import { corpusCases, placedCase } from './corpus-cases';
import { randomMixes } from './mixes';

const OPTIONS = { seccompTable: 'oracle', cgroupMaskUnavailable: true } as const;
const NESTED = new Set(['booleans', 'namespacePaths', 'exec']);

/** A proxy of `tv` that records the fields read (nested ones as `booleans.X`). */
function spy(tv: TypedValues, read: Set<string>): TypedValues {
  return new Proxy(tv, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string') return v;
      if (NESTED.has(prop)) {
        return new Proxy(v as object, {
          get(t, k, r) {
            if (typeof k === 'string') read.add(`${prop}.${k}`);
            return Reflect.get(t, k, r) as unknown;
          },
        });
      }
      read.add(prop);
      return v;
    },
  });
}

test('every setting group writes only the fields it declares', () => {
  const bad: string[] = [];
  GROUPS.forEach((g, i) => {
    const written = new Set<string>();
    const nested = (name: string) =>
      new Proxy(
        {},
        {
          set(_t, k) {
            written.add(`${name}.${String(k)}`);
            return true;
          },
        },
      );
    const tv = new Proxy(
      { booleans: nested('booleans'), namespacePaths: nested('namespacePaths'), exec: nested('exec') } as Record<
        string,
        unknown
      >,
      {
        set(_t, k) {
          written.add(String(k));
          return true;
        },
      },
    );
    g.put(tv as unknown as TypedValues, { name: null, hostDependent: [] });
    for (const w of written)
      if (!g.fields.includes(w as FieldPath)) bad.push(`group ${i} (${g.keys.map((k) => k[1]).join(',')}) writes ${w}`);
    for (const f of g.fields) if (!written.has(f)) bad.push(`group ${i} declares ${f} but does not write it`);
  });
  assert.deepEqual(bad, []);
});

test(
  'every derived input has exactly one derivation, and derivations read and write only what they declare',
  { skip: skipUnless('corpus') },
  () => {
    const bad = new Set<string>();
    const writers = new Map<string, number>();
    for (const d of DERIVATIONS) for (const w of d.writes) writers.set(w, (writers.get(w) ?? 0) + 1);
    const identity = new Set(['version', 'unitName', 'type', 'refused', 'problems', 'values']);
    let checked = 0;
    for (const version of ORACLE_VERSIONS) {
      const cases = corpusCases(version);
      const models: UnitModel[] = cases.map((c) => {
        const { name, files } = placedCase(c, version);
        return modelForAnalysis(buildUnit(name, files, { version }), version);
      });
      randomMixes(11 + version, 100).forEach((mix, i) => {
        const { name, files } = placedCase(cases[i % cases.length]!, version);
        const all = [
          ...files,
          ...mix.dropins.map((text, k) => ({ path: `/etc/systemd/system/${name}.d/${k}.conf`, text })),
        ];
        models.push(modelForAnalysis(buildUnit(name, all, { version }), version));
      });
      for (const model of models) {
        const info = securityInputs(model, OPTIONS);
        for (const k of Object.keys(info))
          if (!identity.has(k) && writers.get(k) !== 1) bad.add(`${k} has ${writers.get(k) ?? 0} derivations`);
        const tv = typedValues(model, OPTIONS).value;
        const env = deriveEnv(model);
        const opened: TypedValues = {
          ...tv,
          dynamicUser: true,
          booleans: { ...tv.booleans, PrivateDevices: true, ProtectClock: true },
          rootImage: '/img.raw',
          devicePolicy: 'strict',
        };
        for (const values of [tv, opened]) {
          const full = deriveInputs(env, values, info.problems, info.refused, null);
          for (const d of DERIVATIONS) {
            const read = new Set<string>();
            const out = { ...full };
            const wrote = new Set<string>();
            const target = new Proxy(out, {
              set(t, k, v) {
                wrote.add(String(k));
                return Reflect.set(t, k, v);
              },
            });
            let readModel = false;
            let readFigure = false;
            const envSpy = new Proxy(env, {
              get(t, k, r) {
                if (k === 'model') readModel = true;
                if (k === 'figure' || k === 'rules') readFigure = true;
                return Reflect.get(t, k, r) as unknown;
              },
            });
            d.run(target, spy(values, read), envSpy, null);
            checked++;
            // Outcomes of suggestions are kept across units (exposure/incremental/outcome-memo.ts) unless a derivation says it reads the unit.
            if (readModel && !d.readsUnitName)
              bad.add(
                `derivation of ${d.writes.join(',')} reads the unit (env.model) but does not say so (readsUnitName)`,
              );
            // features/figures.ts otherFigure() re-runs only the derivations that say they read the figure.
            if (readFigure && !d.readsFigure)
              bad.add(
                `derivation of ${d.writes.join(',')} reads the figure (env.figure, env.rules) but does not say so (readsFigure)`,
              );
            for (const r of read)
              if (!d.reads.includes(r as FieldPath)) bad.add(`derivation of ${d.writes.join(',')} reads ${r}`);
            for (const w of wrote)
              if (!d.writes.includes(w as DerivedInput)) bad.add(`derivation of ${d.writes.join(',')} writes ${w}`);
          }
        }
      }
    }
    assert.ok(checked > 1000);
    assert.deepEqual([...bad], []);
  },
);
