/**
 * The running figure of user units: corpus units and random hardening drop-in mixes loaded by a version's
 * own USER manager (`systemd --user`, through ../shared/oracles/manager-oracle.sh `<V>u`, the folder
 * scripts/user-manager-oracle-layout.sh writes) and scored by its `systemd-analyze --user security NAME`,
 * against the engine with `scope: 'user'` and `figure: 'running'`. For 239–249 this is the only figure of
 * a user unit (no --offline before 250).
 *
 * The units of a version: every corpus case of the key `<V>m` (stored-oracles.ts readCorpusAnswers(), prefix
 * `u<i>-`), and USER_RUNNING_MIXES mixes (`randomMixes(40000 + version)`, as user-scope.ts, on case
 * `(i * 7919) mod n`, prefix `w<i>-`). Stored in test/oracle-data/user-<V>m.jsonl.gz, in the row format of the
 * stored mixes (`{i, case, prefix, mix, answer}`; a corpus row has no mix), by
 * scripts/gen-oracle-user-running.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { score, type ScoreResult } from '../../server/src/exposure/score';
import type { UnitModel } from '../../server/src/model/unit-model';
import type { ManagerVersion, StoredOracleKey } from '../oracle';
import { flatModel, type FlatUnit } from './flat-units';
import { randomMixes } from './mixes';
import { oracleHostHas } from './oracle-host';
import { corpusCase, mixUnit, ORACLE_DATA, readCorpusAnswers, type StoredMix } from './stored-oracles';

/** The versions whose user manager runs here (scripts/user-manager-oracle-layout.sh). */
export const USER_RUNNING_VERSIONS = [
  239, 245, 247, 249, 252, 254, 257, 262,
] as const satisfies readonly ManagerVersion[];
export type UserRunningVersion = (typeof USER_RUNNING_VERSIONS)[number];

export const USER_RUNNING_MIXES = 300;
export const USER_RUNNING_SEED = 40_000;

export function userRunningFile(version: number): string {
  return join(ORACLE_DATA, `user-${version}m.jsonl.gz`);
}

export function readUserRunning(version: number): StoredMix[] {
  const f = userRunningFile(version);
  if (!existsSync(f)) return [];
  return gunzipSync(readFileSync(f))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as StoredMix);
}

/** The rows to ask (answers not yet known): the key's corpus cases, then the mixes. */
export function userRunningPlan(version: UserRunningVersion): Array<Omit<StoredMix, 'answer'>> {
  const cases = readCorpusAnswers(`${version}m` as StoredOracleKey).map((a) => a.case);
  const pick = (c: (typeof cases)[number]): StoredMix['case'] => {
    const { package: pkg, path, unit, dropins } = c.line;
    return { package: pkg, path, unit, dropins };
  };
  const rows: Array<Omit<StoredMix, 'answer'>> = cases.map((c, i) => ({
    i,
    case: pick(c),
    prefix: `u${i}`,
    mix: [],
  }));
  randomMixes(USER_RUNNING_SEED + version, USER_RUNNING_MIXES).forEach((m, k) =>
    rows.push({
      i: cases.length + k,
      case: pick(cases[(k * 7919) % cases.length]!),
      prefix: `w${k}`,
      mix: m.dropins,
    }),
  );
  return rows;
}

/** A row's unit as renamed files, our model of it as a user unit with the running figure, and our score. */
export function userRunningUnit(
  row: Omit<StoredMix, 'answer'>,
  version: number,
): { unit: FlatUnit; model: UnitModel; result: ScoreResult; label: string } {
  const c = corpusCase(row.case);
  const unit = mixUnit(c, row.prefix, row.mix);
  const model = flatModel(unit, version, 'running', 'user', oracleHostHas);
  const result = score(model, { version, seccompTable: 'oracle', cgroupMaskUnavailable: false });
  const label = `${c.label}${row.mix.length ? ` + drop-ins ${JSON.stringify(row.mix)}` : ''} as ${unit.name}`;
  return { unit, model, result, label };
}
