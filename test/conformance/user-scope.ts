/**
 * The user-scope tier: corpus units and random hardening drop-in mixes scored as user units
 * (`systemd-analyze --user security --offline=yes`, with a runtime folder of its own) by the real
 * 252, 254, 257 and 262, against the engine with `scope: 'user'`.
 *
 * The units: every corpus case of the version's oracle file (prefix `u<i>-`), and USER_MIXES mixes
 * (`randomMixes(40000 + version)`, mixes.ts) as drop-ins on case `(i * 7919) mod n` (prefix `w<i>-`).
 * test/oracle-data/user-<V>.jsonl.gz stores the oracle's answers with the mix texts, for machines
 * without the oracle (scripts/gen-oracle-user.ts writes it; README.md there).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { score, type ScoreResult } from '../../server/src/exposure/score';
import { ROOT } from '../helpers';
import { type BatchResult, type BatchUnit } from './batch-oracle';
import { type CorpusCase, type CorpusLine, corpusCases } from './corpus-cases';
import { busNameOf, flatModel, flatUnit } from './flat-units';
import { randomMixes } from './mixes';

export const USER_MIXES = 300;
export const USER_SEED = 40_000;
/** The options the oracle's host needs (as dropin-mixes.test.ts). */
export const OPTIONS = { seccompTable: 'oracle', cgroupMaskUnavailable: true } as const;

export function userFile(version: number): string {
  return join(ROOT, 'test', 'oracle-data', `user-${version}.jsonl.gz`);
}

/** A check row as stored: json_field, set, exposure (text), description. */
export type UserCheck = [jsonField: string, set: boolean | null, exposure: string | null, description: string | null];

/** One unit of the tier and (stored) the oracle's answer. */
export interface UserRow {
  /** `u<i>` for corpus case i, `w<i>` for mix i. */
  prefix: string;
  case: Pick<CorpusLine, 'package' | 'path' | 'unit' | 'dropins'>;
  /** The mix's drop-in texts (none for a corpus row). */
  mix: string[];
  /** Overall exposure in tenths; null = refused. */
  tenths?: number | null;
  checks?: UserCheck[] | null;
}

/** The units of the tier for a version: from the stored file when there is one (its mix texts), else generated. */
export function userRows(version: number): UserRow[] {
  const f = userFile(version);
  if (existsSync(f))
    return gunzipSync(readFileSync(f))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as UserRow);
  const cases = corpusCases(version);
  const pick = (c: CorpusCase): UserRow['case'] => {
    const { package: pkg, path, unit, dropins } = c.line;
    return { package: pkg, path, unit, dropins };
  };
  const rows: UserRow[] = cases.map((c, i) => ({ prefix: `u${i}`, case: pick(c), mix: [] }));
  randomMixes(USER_SEED + version, USER_MIXES).forEach((m, i) =>
    rows.push({ prefix: `w${i}`, case: pick(cases[(i * 7919) % cases.length]!), mix: m.dropins }),
  );
  return rows;
}

/** The row's unit as files for the oracle, and our score of it as a user unit. */
export function userUnit(
  row: UserRow,
  version: number,
  byCase: Map<string, CorpusCase>,
): { unit: BatchUnit; label: string; result: ScoreResult } {
  const key = caseKey(row.case);
  const c = byCase.get(key);
  if (!c) throw new Error(`corpus case ${key} not found`);
  const plain = flatUnit(c, row.prefix);
  const extra = row.mix.map((text, k) => ({ name: `${plain.name}.d/${50 + k}-mix.conf`, text }));
  const u = flatUnit(c, row.prefix, extra);
  const model = flatModel(u, version, undefined, 'user');
  return {
    unit: { name: u.name, files: u.files, exclusive: busNameOf(model) },
    label: `${c.label}${row.mix.length ? ` + drop-ins ${JSON.stringify(row.mix)}` : ''} as ${u.name}`,
    result: score(model, { version, ...OPTIONS }),
  };
}

export function caseKey(c: UserRow['case']): string {
  return [c.package, c.path, c.unit, ...c.dropins].join('\0');
}

export function casesByKey(version: number): Map<string, CorpusCase> {
  return new Map(corpusCases(version).map((c) => [caseKey(c.line), c]));
}

/** The oracle's answer for one unit of a batch result, in the stored shape. */
export function answerOf(r: BatchResult, name: string): Pick<UserRow, 'tenths' | 'checks'> {
  const tenths = r.overall.get(name) ?? null;
  const rows = r.rows.get(name);
  return {
    tenths,
    checks: tenths === null || !rows ? null : rows.map((o) => [o.json_field, o.set, o.exposure, o.description]),
  };
}

/** Where our score differs from an answer (empty: all agree). Counts the check rows compared. */
export function userDisagreements(
  result: ScoreResult,
  answer: Pick<UserRow, 'tenths' | 'checks'>,
  counts: { checks: number; agreeing: number },
): string[] {
  const mine = result.exposure?.tenths ?? null;
  const show = (t: number | null | undefined): string =>
    t === null || t === undefined ? 'refused' : (t / 10).toFixed(1);
  if (mine !== (answer.tenths ?? null))
    return [
      `overall ours ${show(mine)}${result.refused ? ` (${result.refused.reason})` : ''}, systemd ${show(answer.tenths)}`,
    ];
  if (answer.tenths === null || !answer.checks) return [];
  const out: string[] = [];
  const byField = new Map(result.checks.map((k) => [k.json_field, k]));
  answer.checks.forEach(([field, set, exposure, description], i) => {
    counts.checks++;
    const k = byField.get(field);
    const got = k ? [k.json_field, k.set, k.exposure, k.description] : null;
    const want = [field, set, exposure, description];
    if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${field}: ours ${JSON.stringify(got)}, systemd ${JSON.stringify(want)}`);
    else if (result.checks[i]?.json_field !== field)
      out.push(`row ${i}: ours ${result.checks[i]?.json_field ?? 'none'}, systemd ${field} (order)`);
    else counts.agreeing++;
  });
  if (answer.checks.length !== result.checks.length)
    out.push(`${result.checks.length} checks, systemd ${answer.checks.length}`);
  return out;
}
