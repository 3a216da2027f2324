/**
 * The written-out property accesses (model/property-access.ts): each function touches exactly the
 * field it is listed under, the tables cover every field of a real unit's values and inputs, and
 * inputAccess() answers as keyed accesses would.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import {
  COPY_INPUT,
  type FieldPath,
  GET_FIELD,
  GET_INPUT,
  inputAccess,
  SAME_INPUT,
} from '../../server/src/model/property-access';
import { securityInputs, type SecurityInputs } from '../../server/src/model/security-inputs';

const inputs = (over: Partial<SecurityInputs>): SecurityInputs =>
  ({
    privateTmp: false,
    capabilityBoundingSet: 5n,
    user: null,
    deviceAllow: ['/dev/null:rw'],
    systemCallFilter: new Set(['read']),
    ...over,
  }) as SecurityInputs;

/** A real unit's inputs (and, in `values`, its folded values): every field the tables must cover. */
const REAL = securityInputs(
  buildUnit('web.service', [{ path: '/etc/systemd/system/web.service', text: '[Service]\nExecStart=/usr/bin/web\n' }], {
    version: 252,
  }),
);
const NESTED = ['booleans', 'exec', 'namespacePaths'] as const;
type Row = Record<string, unknown>;

/** Every field path of the real values: top-level fields and the keys of the nested records. */
function realPaths(): string[] {
  const tv = REAL.values as unknown as Row;
  return [...Object.keys(tv), ...NESTED.flatMap((n) => Object.keys(tv[n] as Row).map((k) => `${n}.${k}`))];
}

/** An object with a distinct value in every field (nested records hold distinct values too). */
function marked(keys: readonly string[], nested: readonly string[] = []): Row {
  const o: Row = {};
  for (const k of keys) o[k] = nested.includes(k) ? {} : Symbol(k);
  return o;
}

function markedValues(): Row {
  const tv = REAL.values as unknown as Row;
  const o = marked(Object.keys(tv), NESTED);
  for (const n of NESTED) for (const k of Object.keys(tv[n] as Row)) (o[n] as Row)[k] = Symbol(`${n}.${k}`);
  return o;
}

/** `o` behind proxies that record every write as a path (nested records included). */
function recording(o: Row, writes: Array<[string, unknown]>): Row {
  const wrap = (target: Row, prefix: string): Row =>
    new Proxy(target, {
      get(t, k, r) {
        const v = Reflect.get(t, k, r) as unknown;
        return typeof k === 'string' && (NESTED as readonly string[]).includes(k) && prefix === ''
          ? wrap(v as Row, `${k}.`)
          : v;
      },
      set(t, k, v, r) {
        writes.push([`${prefix}${String(k)}`, v]);
        return Reflect.set(t, k, v, r);
      },
    });
  return wrap(o, '');
}

/** A table's functions by name, as functions of plain rows. */
function entries<F>(table: object): Array<[string, F]> {
  return Object.entries(table) as Array<[string, F]>;
}

const at = (o: Row, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (x as Row)[k], o);

test('GET_FIELD covers every field of the folded values, nested ones as booleans.X, exec.X, namespacePaths.X', () => {
  assert.deepEqual(Object.keys(GET_FIELD).sort(), realPaths().sort());
});

test('GET_FIELD: each getter reads the field it is listed under', () => {
  const o = markedValues();
  for (const [path, get] of entries<(x: Row) => unknown>(GET_FIELD)) assert.equal(get(o), at(o, path), path);
});

test('GET_INPUT covers every property of the inputs, and each getter reads its own', () => {
  assert.deepEqual(Object.keys(GET_INPUT).sort(), Object.keys(REAL).sort());
  const o = marked(Object.keys(REAL));
  for (const [k, get] of entries<(x: Row) => unknown>(GET_INPUT)) assert.equal(get(o), o[k], k);
});

test('COPY_INPUT and SAME_INPUT cover every derived input; each copies or compares only its own', () => {
  const identity = ['version', 'unitName', 'type', 'refused', 'problems', 'values'];
  const derived = Object.keys(REAL).filter((k) => !identity.includes(k));
  assert.deepEqual(Object.keys(COPY_INPUT).sort(), [...derived].sort());
  assert.deepEqual(Object.keys(SAME_INPUT).sort(), [...derived].sort());
  for (const k of derived) {
    const from = marked(Object.keys(REAL));
    const writes: Array<[string, unknown]> = [];
    new Map(entries<(to: Row, from: Row) => void>(COPY_INPUT)).get(k)!(
      recording(marked(Object.keys(REAL)), writes),
      from,
    );
    assert.deepEqual(writes, [[k, from[k]]], k);

    // Lists and sets compare by content (as the real inputs hold them), everything else by ===.
    const same = new Map(entries<(a: Row, b: Row) => boolean>(SAME_INPUT)).get(k)!;
    const real = (REAL as unknown as Row)[k];
    const a = marked(Object.keys(REAL));
    const [x, equal, other] = Array.isArray(real)
      ? [['a'], ['a'], ['b']]
      : real instanceof Set
        ? [new Set(['a']), new Set(['a']), new Set(['b'])]
        : [Symbol(k), undefined, Symbol(k)];
    a[k] = x;
    assert.equal(same(a, { ...a }), true, k);
    assert.equal(same(a, { ...marked(Object.keys(REAL)), [k]: x }), true, `${k}: only its own input counts`);
    if (equal !== undefined) assert.equal(same(a, { ...a, [k]: equal }), true, `${k}: equal content`);
    assert.equal(same(a, { ...a, [k]: other }), false, k);
  }
});

test('inputAccess().changed: scalars by ===, lists and sets by content, indices in the order of the names', () => {
  const access = inputAccess(['privateTmp', 'capabilityBoundingSet', 'user', 'deviceAllow', 'systemCallFilter']);
  const out = new Int32Array(access.names.length);
  const a = inputs({});
  // Equal content in other objects (and an equal bigint) is no change.
  assert.equal(
    access.changed(
      a,
      inputs({ deviceAllow: ['/dev/null:rw'], systemCallFilter: new Set(['read']), capabilityBoundingSet: 5n }),
      out,
    ),
    0,
  );
  const n = access.changed(
    a,
    inputs({ privateTmp: true, user: 'root', deviceAllow: ['/dev/null:r'], systemCallFilter: new Set(['write']) }),
    out,
  );
  assert.deepEqual([...out.subarray(0, n)], [0, 2, 3, 4]);
  assert.equal(access.changed(a, inputs({ capabilityBoundingSet: 4n }), out), 1);
  assert.equal(out[0], 1);
});

test('inputAccess().copy writes exactly the named inputs; a list of names is made once', () => {
  const access = inputAccess(['privateTmp', 'user']);
  assert.equal(inputAccess(['privateTmp', 'user']), access);
  const to = inputs({});
  access.copy(to, inputs({ privateTmp: true, user: 'daemon', capabilityBoundingSet: 0n }));
  assert.equal(to.privateTmp, true);
  assert.equal(to.user, 'daemon');
  assert.equal(to.capabilityBoundingSet, 5n);
});

test('field paths are a closed set: a derivation reading a path outside it does not compile', () => {
  // @ts-expect-error 'booleans.NoSuchSetting' is not a FieldPath.
  const bad: FieldPath = 'booleans.NoSuchSetting';
  assert.equal(GET_FIELD[bad as FieldPath], undefined);
});
