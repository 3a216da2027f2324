/**
 * The stored answers of the oracles CI cannot run (test/oracle.ts STORED_ORACLE_KEYS: 239m, 245m,
 * 247m, 249m, 252m, 254m, 257m, 262m = running figures from each version's own manager, 255 = built binary,
 * --offline=yes):
 *
 *  - corpus answers: ../shared/corpus/oracle-<key>.jsonl, or test/oracle-data/oracle-<key>.jsonl.gz
 *    (corpusFile()) (every corpus unit, and the units with their packaged drop-ins);
 *  - random drop-in mixes: test/oracle-data/mixes-<key>.jsonl.gz (mixes.ts on corpus units, made by
 *    scripts/gen-oracle-mixes.ts; test/oracle-data/README.md).
 *
 * Both come down to one answer shape (StoredAnswer), compared with the engine by disagreements(), and
 * re-asked of the live oracle by askLive() where it runs (root, SYSTEMD_ORACLES_DIR).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildUnit } from '../../server/src/model/build';
import type { UnitModel } from '../../server/src/model/unit-model';
import { score, type ScoreResult } from '../../server/src/exposure/score';
import { encodeText } from '../../server/src/syntax/bytes';
import { CORPUS, ROOT } from '../helpers';
import type { ManagerItem, ManagerOracle, ManagerRow } from '../manager-oracle';
import { type Figure, offlineOraclePath, oracleKey, type StoredOracleKey } from '../oracle';
import { analyseBatches, type BatchUnit, packBatches } from './batch-oracle';
import { type CorpusCase, type CorpusLine, placedCase } from './corpus-cases';
import { busNameOf, flatModel, flatUnit, type FlatUnit } from './flat-units';
import { oracleHostHas } from './oracle-host';

export const ORACLE_DATA = join(ROOT, 'test', 'oracle-data');

/** A check row of a stored answer; weight, badness and range only where the oracle printed them (250+ debug). */
export interface StoredCheck {
  set: boolean | null;
  name: string;
  json_field?: string;
  description: string | null;
  exposure: string | null;
  weight?: number;
  badness?: number | null;
  range?: number;
}

/** What an oracle answered for one unit; `exposure` null = refused. */
export interface StoredAnswer {
  scored_unit: string | null;
  exposure: number | null;
  /** The band word (UNSAFE, …), when the oracle's table was read for it. */
  band: string | null;
  checks: StoredCheck[] | null;
  /** The manager's LoadState/LoadError when it refused (running figures). */
  load?: string | null;
}

/** One stored random mix: the corpus case it was applied to, the prefix of the renamed files, the drop-ins. */
export interface StoredMix {
  i: number;
  case: Pick<CorpusLine, 'package' | 'path' | 'unit' | 'dropins'>;
  prefix: string;
  mix: string[];
  answer: StoredAnswer;
}

/** test/oracle-data/manifest.json: how each file was made. */
export interface MixManifestEntry {
  file: string;
  key: StoredOracleKey;
  oracle: string;
  seed: number;
  count: number;
  made: string;
  command: string;
  seconds: Record<string, number>;
}

export function mixFile(key: StoredOracleKey): string {
  return join(ORACLE_DATA, `mixes-${key}.jsonl.gz`);
}

export function readManifest(): Record<string, MixManifestEntry> {
  return JSON.parse(readFileSync(join(ORACLE_DATA, 'manifest.json'), 'utf8')) as Record<string, MixManifestEntry>;
}

export function readStoredMixes(key: StoredOracleKey): StoredMix[] {
  return gunzipSync(readFileSync(mixFile(key)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as StoredMix);
}

/** The seed of a key's mixes (randomMixes in mixes.ts): apart from the live tiers' 20 000 + version. */
export function mixSeed(key: StoredOracleKey): number {
  return 30_000 + oracleKey(key).version;
}

/** The corpus case a line names (texts read from ../shared/corpus/units). */
export function corpusCase(line: StoredMix['case']): CorpusCase {
  const read = (pkgPath: string) => ({ pkgPath, text: readFileSync(join(CORPUS, 'units', pkgPath), 'utf8') });
  return {
    line: { ...line, scored_unit: null },
    label: [`${line.package}/${line.path}`, line.unit, ...line.dropins].join(' + '),
    unit: line.unit,
    unitFile: read(`${line.package}/${line.path}`),
    dropins: line.dropins.map(read),
  };
}

/** A stored mix as renamed files (flat-units.ts): the drop-ins after the packaged ones, as 50-mix.conf, 51-mix.conf. */
export function mixUnit(c: CorpusCase, prefix: string, mix: readonly string[]): FlatUnit {
  const plain = flatUnit(c, prefix);
  return flatUnit(
    c,
    prefix,
    mix.map((text, k) => ({ name: `${plain.name}.d/${50 + k}-mix.conf`, text })),
  );
}

/** A corpus line of ../shared/corpus/oracle-<key>.jsonl with its answer. */
export interface CorpusAnswer {
  case: CorpusCase;
  answer: StoredAnswer;
}

/**
 * The corpus answers of a key: test/oracle-data/oracle-<key>.jsonl.gz for the keys stored after
 * ../shared was closed to us (245m 254m 257m 262m: scripts/gen-oracle-corpus.ts), else
 * ../shared/corpus/oracle-<key>.jsonl.
 */
export function corpusFile(key: StoredOracleKey): string {
  const own = join(ORACLE_DATA, `oracle-${key}.jsonl.gz`);
  return existsSync(own) ? own : join(CORPUS, `oracle-${key}.jsonl`);
}

interface CorpusFileLine extends CorpusLine {
  exposure: number | null;
  band: string | null;
  checks: StoredCheck[] | null;
  debug?: Array<[number, number | null, number]> | null;
  load?: string | null;
}

export function readCorpusAnswers(key: StoredOracleKey): CorpusAnswer[] {
  const file = corpusFile(key);
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const o = JSON.parse(l) as CorpusFileLine;
      const checks =
        o.checks && o.debug
          ? o.checks.map((k, i) => ({
              ...k,
              weight: o.debug![i]![0],
              badness: o.debug![i]![1],
              range: o.debug![i]![2],
            }))
          : o.checks;
      return {
        case: corpusCase(o),
        answer: {
          scored_unit: o.scored_unit,
          exposure: o.exposure,
          band: o.band,
          checks,
          ...(o.load !== undefined ? { load: o.load } : {}),
        },
      };
    });
}

/**
 * Scoring options that reproduce the machine the oracles ran on. cgroupMaskUnavailable is the offline
 * oracles' failure only (262 --offline=yes there cannot load a unit that pulls in systemd-oomd); the
 * manager oracle mounts a cgroup2 view of its own and loads such units (262m: user@.service with
 * systemd-oomd's drop-in, 2 corpus rows and 2 mixes).
 */
function optionsFor(figure: Figure | undefined) {
  return { seccompTable: 'oracle', cgroupMaskUnavailable: figure !== 'running' } as const;
}

/** Our score of a corpus case, its files placed as the oracle placed them. */
export function scoreCorpusCase(c: CorpusCase, version: number, figure?: Figure): ScoreResult {
  const { name, files } = placedCase(c, version);
  return score(buildUnit(name, files, { version, figure, commandExists: oracleHostHas }), {
    version,
    ...optionsFor(figure),
  });
}

/** The BusName= of a corpus case (a manager refuses a second service with the same one). */
export function corpusBusName(c: CorpusCase, version: number): string | null {
  const { name, files } = placedCase(c, version);
  return busNameOf(buildUnit(name, files, { version }));
}

/** Our model and score of a mix. */
export function scoreMix(m: StoredMix, version: number, figure?: Figure): { model: UnitModel; result: ScoreResult } {
  const model = flatModel(mixUnit(corpusCase(m.case), m.prefix, m.mix), version, figure, undefined, oracleHostHas);
  return { model, result: score(model, { version, ...optionsFor(figure) }) };
}

/**
 * Where ours and the oracle's answer differ, one line each (empty when they agree). A running figure's
 * answer was read from the manager's table, which prints no description (NULL) as an empty cell.
 */
export function disagreements(want: StoredAnswer, got: ScoreResult, figure: Figure): string[] {
  const out: string[] = [];
  if (want.exposure === null || got.refused) {
    if ((want.exposure === null) !== (got.refused !== undefined))
      out.push(
        `refused: ours ${got.refused ? `yes (${got.refused.reason})` : 'no'}, systemd ${want.exposure === null ? `yes (${want.load ?? 'no reason kept'})` : 'no'}`,
      );
    return out;
  }
  if (got.unit !== want.scored_unit) out.push(`unit: ours ${got.unit}, systemd ${want.scored_unit}`);
  if (got.exposure?.text !== want.exposure.toFixed(1))
    out.push(`exposure: ours ${got.exposure?.text}, systemd ${want.exposure.toFixed(1)}`);
  if (want.band !== null && got.band !== want.band) out.push(`band: ours ${got.band}, systemd ${want.band}`);
  const theirs = want.checks ?? [];
  if (got.checks.length !== theirs.length) out.push(`check count: ours ${got.checks.length}, systemd ${theirs.length}`);
  theirs.forEach((k, i) => {
    const mine = got.checks[i];
    const fields = ['name', 'set', 'description', 'exposure', 'json_field', 'weight', 'badness', 'range'] as const;
    const pick = (o: object | undefined) =>
      o && Object.fromEntries(fields.filter((f) => f in k).map((f) => [f, (o as Record<string, unknown>)[f]]));
    const printed = mine && figure === 'running' && mine.description === null ? { ...mine, description: '' } : mine;
    const a = JSON.stringify(pick(printed));
    const b = JSON.stringify(pick(k));
    if (a !== b) out.push(`row ${i + 1}: ours ${a}, systemd ${b}`);
  });
  return out;
}

/** Key order stable JSON, so that two answers compare equal whatever order their fields came in. */
export function canonical(a: StoredAnswer): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return JSON.stringify(sort(a));
}

/** A manager oracle's row as a stored answer. */
export function managerAnswer(row: ManagerRow): StoredAnswer {
  return {
    scored_unit: row.scored_unit,
    exposure: row.exposure,
    band: row.band,
    checks: row.checks,
    load: row.load,
  };
}

/** A corpus case laid out as make-manager-oracle.py lays it out (package names; lib/ drop-ins before etc/). */
export function corpusManagerItem(c: CorpusCase): ManagerItem {
  const drops = [...c.dropins].sort(
    (a, b) =>
      Number(a.pkgPath.split('/').slice(1).join('/').startsWith('etc/')) -
      Number(b.pkgPath.split('/').slice(1).join('/').startsWith('etc/')),
  );
  const fragment = basename(c.unitFile.pkgPath);
  return {
    name: c.unit,
    fragment,
    files: [
      { name: fragment, text: c.unitFile.text },
      ...drops.map((d) => ({ name: `${basename(dirname(d.pkgPath))}/${basename(d.pkgPath)}`, text: d.text })),
    ],
  };
}

/** A mix as a manager item (its renamed files in a folder of its own). */
export function mixManagerItem(u: FlatUnit): ManagerItem {
  return { name: u.name, fragment: u.fragment, files: u.files };
}

/**
 * Asks a manager oracle about items, in groups with no BusName= twice (one manager refuses a second
 * service with the same bus name): one daemon-reload per group.
 */
export async function askManager(
  m: ManagerOracle,
  items: ReadonlyArray<{ item: ManagerItem; busName: string | null }>,
): Promise<StoredAnswer[]> {
  const units: BatchUnit[] = items.map((x, i) => ({ name: String(i), files: [], exclusive: x.busName }));
  const out: StoredAnswer[] = new Array(items.length);
  for (const group of packBatches(units, items.length)) {
    const rows = await m.answer(group.map((u) => items[Number(u.name)]!.item));
    group.forEach((u, k) => (out[Number(u.name)] = managerAnswer(rows[k]!)));
  }
  return out;
}

/** Asks an offline binary about mixes, batched (batch-oracle.ts); the band is not read there (null). */
export async function askOfflineMixes(
  bin: string,
  version: number,
  units: ReadonlyArray<{ unit: FlatUnit; model: UnitModel }>,
): Promise<StoredAnswer[]> {
  const batch: BatchUnit[] = units.map(({ unit, model }) => ({
    name: unit.name,
    files: unit.files,
    exclusive: busNameOf(model),
  }));
  const results = await analyseBatches(bin, version, packBatches(batch, 400), { json: true });
  const byName = new Map<string, StoredAnswer>();
  for (const r of results)
    for (const [name, tenths] of r.overall) {
      const rows = r.rows.get(name);
      byName.set(name, {
        scored_unit: tenths === null ? null : unitScored(name, version),
        exposure: tenths === null ? null : tenths / 10,
        band: null,
        checks: rows
          ? rows.map((k) => ({
              set: k.set,
              name: k.name,
              json_field: k.json_field,
              description: k.description,
              exposure: k.exposure,
              weight: k.weight,
              badness: k.badness > 1e18 ? null : k.badness,
              range: k.range,
            }))
          : null,
      });
    }
  return units.map(({ unit }) => byName.get(unit.name)!);
}

function unitScored(name: string, version: number): string {
  return /@\./.test(name) ? name.replace('@.', version >= 257 ? '@test_instance.' : '@i.') : name;
}

/**
 * Asks an offline binary about corpus cases as ../shared/corpus/make-oracle.sh does: each alone in a
 * scratch root at its package paths, `--offline=yes --root=R`, the table for the overall figure and band,
 * `--json=short` with SYSTEMD_ANALYZE_DEBUG=1 for the rows.
 */
export function askOfflineCorpus(key: StoredOracleKey, c: CorpusCase): StoredAnswer {
  const { version } = oracleKey(key);
  const bin = offlineOraclePath(version);
  const root = mkdtempSync(join(tmpdir(), 'sh-stored-root-'));
  try {
    for (const f of placedCase(c, version).files) {
      const p = join(root, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, encodeText(f.text));
    }
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C.UTF-8', SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' };
    delete env.SYSTEMD_UNIT_PATH;
    delete env.SYSTEMD_ANALYZE_DEBUG;
    const args = ['security', '--offline=yes', `--root=${root}`, '--no-pager', c.unit];
    const table = spawnSync(bin, args, { cwd: root, encoding: 'utf8', env });
    const m = /Overall exposure level for (\S+): (\d+\.\d) (\S+)/.exec(table.stdout ?? '');
    if (!m) return { scored_unit: null, exposure: null, band: null, checks: null };
    const json = spawnSync(bin, [...args.slice(0, -1), '--json=short', c.unit], {
      cwd: root,
      encoding: 'utf8',
      env: { ...env, SYSTEMD_ANALYZE_DEBUG: '1' },
    });
    const rows = JSON.parse(json.stdout) as Array<StoredCheck & { badness: number }>;
    return {
      scored_unit: m[1]!,
      exposure: Number(m[2]),
      band: m[3]!,
      checks: rows.map((k) => ({ ...k, badness: k.badness > 1e18 ? null : k.badness })),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
