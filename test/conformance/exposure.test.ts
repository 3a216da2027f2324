/**
 * Conformance of the exposure engine with the real `systemd-analyze security --offline=yes`:
 * every unit of the corpus (alone, and with its packaged drop-ins placed as the oracle placed them)
 * for systemd 252, 254, 257 and 262, compared with the oracle's recorded answers
 * (shared/corpus/oracle*.jsonl): refusal, overall exposure and band, and for every check by
 * json_field its set/exposure, badness/weight/range, name and description, plus the row order.
 *
 * Divergences must be listed in known-divergences.json; the test fails on an unlisted divergence
 * and on a listed one that no longer happens.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import { FileSet, findDropins, findFragment, systemSearchPath } from '../../server/src/model/search-path';
import { analysedUnitName } from '../../server/src/model/security-inputs';
import { score } from '../../server/src/exposure/score';
import { CORPUS } from '../helpers';
import { skipUnless } from '../requirements';

const ORACLES: Array<[number, string]> = [
  [252, 'oracle.jsonl'],
  [254, 'oracle-254.jsonl'],
  [257, 'oracle-257.jsonl'],
  [262, 'oracle-262.jsonl'],
];

interface OracleCheck {
  set: boolean | null;
  name: string;
  json_field: string;
  description: string | null;
  exposure: string | null;
}

interface OracleLine {
  package: string;
  path: string;
  unit: string;
  dropins: string[];
  scored_unit: string | null;
  exposure: number | null;
  band: string | null;
  checks: OracleCheck[] | null;
  debug: Array<[number, number | null, number]> | null;
}

export interface Divergence {
  version: number;
  /** `unit` plus the drop-ins (package/path) as the oracle line names them. */
  case: string;
  what: string;
  ours: unknown;
  oracle: unknown;
}

function caseName(o: OracleLine): string {
  return [`${o.package}/${o.path}`, o.unit, ...o.dropins].join(' + ');
}

/** Places the base unit and drop-ins at their package paths, as make-oracle.sh does, and loads them in systemd's order. */
function loadCase(o: OracleLine, version: number): { name: string; files: Array<{ path: string; text: string }> } {
  const place = (pkgPath: string): string => {
    let rel = pkgPath.slice(pkgPath.indexOf('/') + 1);
    if (version >= 255 && rel.startsWith('lib/')) rel = `usr/${rel}`;
    return `/${rel}`;
  };
  const texts = new Map<string, string>();
  const add = (pkgPath: string) => texts.set(place(pkgPath), readFileSync(join(CORPUS, 'units', pkgPath), 'utf8'));
  add(`${o.package}/${o.path}`);
  for (const d of o.dropins) add(d);
  const name = analysedUnitName(o.unit, version);
  const fs = new FileSet(texts.keys());
  const sp = systemSearchPath(version);
  const fragment = findFragment(name, fs, sp);
  assert.ok(fragment, `no fragment for ${name}`);
  const paths = [fragment, ...findDropins(name, fs, sp)];
  return { name, files: paths.map((p) => ({ path: p, text: texts.get(p)! })) };
}

export function compareAll(): {
  divergences: Divergence[];
  stats: Map<number, { cases: number; agree: number; checks: number; checksAgree: number }>;
} {
  const divergences: Divergence[] = [];
  const stats = new Map<number, { cases: number; agree: number; checks: number; checksAgree: number }>();
  for (const [version, file] of ORACLES) {
    const st = { cases: 0, agree: 0, checks: 0, checksAgree: 0 };
    stats.set(version, st);
    const lines = readFileSync(join(CORPUS, file), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      const o = JSON.parse(line) as OracleLine;
      const c = caseName(o);
      st.cases++;
      const before = divergences.length;
      const div = (what: string, ours: unknown, oracle: unknown) =>
        divergences.push({ version, case: c, what, ours, oracle });
      const { name, files } = loadCase(o, version);
      const model = buildUnit(name, files, { version });
      const r = score(model, { version, seccompTable: 'oracle', cgroupMaskUnavailable: true });
      if ((r.refused !== undefined) !== (o.scored_unit === null)) {
        div('refused', r.refused?.reason ?? null, o.scored_unit === null ? 'refused' : 'scored');
        continue;
      }
      if (o.scored_unit === null || !o.checks || !o.debug) {
        st.agree++;
        continue;
      }
      if (r.unit !== o.scored_unit) div('unit', r.unit, o.scored_unit);
      if (r.exposure?.text !== o.exposure!.toFixed(1)) div('exposure', r.exposure?.text, o.exposure!.toFixed(1));
      if (r.band !== o.band) div('band', r.band, o.band);
      const ours = new Map(r.checks.map((k) => [k.json_field, k]));
      o.checks.forEach((k, i) => {
        st.checks++;
        const mine = ours.get(k.json_field);
        if (!mine) {
          div(`${k.json_field}`, 'missing', k);
          return;
        }
        const [w, b, rg] = o.debug![i]!;
        const want = {
          set: k.set,
          exposure: k.exposure,
          badness: b,
          weight: w,
          range: rg,
          name: k.name,
          description: k.description,
        };
        const got = {
          set: mine.set,
          exposure: mine.exposure,
          badness: mine.badness,
          weight: mine.weight,
          range: mine.range,
          name: mine.name,
          description: mine.description,
        };
        if (JSON.stringify(want) !== JSON.stringify(got)) div(k.json_field, got, want);
        else st.checksAgree++;
      });
      if (r.checks.length !== o.checks.length) div('check count', r.checks.length, o.checks.length);
      const order = r.checks.map((k) => k.json_field).join(',');
      const want = o.checks.map((k) => k.json_field).join(',');
      if (order !== want) div('row order', order, want);
      if (divergences.length === before) st.agree++;
    }
  }
  return { divergences, stats };
}

const KNOWN = join(import.meta.dirname ?? __dirname, 'known-divergences.json');

function key(d: { version: number; case: string; what: string }): string {
  return `${d.version} | ${d.case} | ${d.what}`;
}

test(
  'exposure engine agrees with systemd-analyze security on the corpus (252, 254, 257, 262)',
  { skip: skipUnless('corpus') },
  () => {
    const { divergences, stats } = compareAll();
    for (const [v, s] of stats) {
      console.log(
        `systemd ${v}: ${s.agree}/${s.cases} units agree completely (${((100 * s.agree) / s.cases).toFixed(1)}%), ` +
          `${s.checksAgree}/${s.checks} check rows (${((100 * s.checksAgree) / Math.max(1, s.checks)).toFixed(2)}%)`,
      );
    }
    const known = JSON.parse(readFileSync(KNOWN, 'utf8')) as Array<{
      version: number;
      case: string;
      what: string;
      why: string;
    }>;
    const knownKeys = new Set(known.map(key));
    const seen = new Set(divergences.map(key));
    const unlisted = divergences.filter((d) => !knownKeys.has(key(d)));
    const stale = known.filter((k) => !seen.has(key(k)));
    const show = (ds: unknown[]) => JSON.stringify(ds.slice(0, 20), null, 1);
    assert.equal(unlisted.length, 0, `${unlisted.length} unlisted divergences, first ones:\n${show(unlisted)}`);
    assert.equal(stale.length, 0, `${stale.length} listed divergences no longer happen:\n${show(stale)}`);
  },
);
