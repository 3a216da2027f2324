/**
 * Scores one synthetic unit (plus drop-ins, plus an optional --security-policy) with the real
 * systemd-analyze of a version, the way the corpus oracle does it: a scratch root holding the
 * files at their system paths, `--offline=yes --root=R --json=short` with SYSTEMD_ANALYZE_DEBUG=1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeText } from '../../server/src/syntax/bytes';
import { runOracle } from '../oracle';

export interface SyntheticCase {
  name: string;
  text: string;
  dropins?: string[];
  policy?: unknown;
}

export interface OracleCheckRow {
  set: boolean | null;
  name: string;
  json_field: string;
  description: string | null;
  exposure: string | null;
  weight: number;
  badness: number;
  range: number;
}

/** Paths the files get (also used to build the model the same way). */
export function placeCase(c: SyntheticCase, version: number): Array<{ path: string; text: string }> {
  const lib = version >= 255 ? '/usr/lib/systemd/system' : '/lib/systemd/system';
  return [
    { path: `${lib}/${c.name}`, text: c.text },
    ...(c.dropins ?? []).map((t, i) => ({
      path: `/etc/systemd/system/${c.name}.d/${String(i).padStart(2, '0')}-case.conf`,
      text: t,
    })),
  ];
}

/** null when the binary refused the unit; otherwise its rows and the overall exposure in tenths. */
export function oracleScore(
  bin: string,
  c: SyntheticCase,
  version: number,
): { rows: OracleCheckRow[]; tenths: number } | null {
  const root = mkdtempSync(join(tmpdir(), 'sh-oracle-root-'));
  const cwd = mkdtempSync(join(tmpdir(), 'sh-oracle-cwd-'));
  try {
    for (const f of placeCase(c, version)) {
      const p = join(root, f.path);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, encodeText(f.text));
    }
    const args = ['security', '--offline=yes', `--root=${root}`, '--no-pager', '--json=short'];
    if (c.policy !== undefined) {
      writeFileSync(join(cwd, 'policy.json'), JSON.stringify(c.policy));
      args.push(`--security-policy=${join(cwd, 'policy.json')}`);
    }
    args.push(c.name);
    process.env.SYSTEMD_ANALYZE_DEBUG = '1';
    const r = runOracle(bin, args, cwd);
    delete process.env.SYSTEMD_ANALYZE_DEBUG;
    if (!r.stdout.trim()) return null;
    const rows = JSON.parse(r.stdout) as OracleCheckRow[];
    let sum = 0n;
    let weights = 0n;
    for (const k of rows) {
      if (k.badness > 1e18) continue;
      sum += (BigInt(k.badness) * BigInt(k.weight) + BigInt(k.range) - 1n) / BigInt(k.range);
      weights += BigInt(k.weight);
    }
    return { rows, tenths: Number((sum * 100n + weights - 1n) / weights) };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}
