// Regenerates test/oracle-data/user-<V>.jsonl.gz: every corpus unit and 300 random hardening drop-in mixes
// scored as user units by the real `systemd-analyze --user security --offline=yes` of 252, 254, 257 and 262
// (test/conformance/user-scope.ts says which units), and test/oracle-data/user-manifest.json.
//
//   SYSTEMD_ORACLES_DIR=/work/oracles-cache node --import tsx scripts/gen-oracle-user.ts [VERSION...]
//
// Default: every version whose oracle is installed. A row: {"prefix", "case", "mix", "tenths", "checks"}
// (`tenths` null = refused; `checks` = [json_field, set, exposure, description] in the oracle's order).
// The units are generated afresh (not read from an existing file), so a changed mixes.ts shows in the data.
// Output is deterministic for the same oracle and corpus (gzip level 9, no timestamps in the data).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ORACLE_VERSIONS, oraclePath, type OracleVersion } from '../test/oracle';
import { analyseBatches, packBatches } from '../test/conformance/batch-oracle';
import {
  answerOf,
  casesByKey,
  USER_MIXES,
  USER_SEED,
  userFile,
  userRows,
  userUnit,
  type UserRow,
} from '../test/conformance/user-scope';

const MANIFEST = join(__dirname, '..', 'test', 'oracle-data', 'user-manifest.json');

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map(Number);
  const versions = ORACLE_VERSIONS.filter((v) => (asked.length ? asked.includes(v) : oraclePath(v) !== null));
  const manifest: Record<string, unknown> = existsSync(MANIFEST)
    ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, unknown>)
    : {};
  for (const version of versions as OracleVersion[]) {
    const bin = oraclePath(version);
    if (!bin) throw new Error(`no systemd-analyze ${version} (SYSTEMD_ORACLES_DIR)`);
    const t0 = Date.now();
    // Fresh units: move the stored file aside while listing them.
    const file = userFile(version);
    if (existsSync(file)) rmSync(file);
    const byCase = casesByKey(version);
    const rows = userRows(version);
    const made = rows.map((row) => ({ row, ...userUnit(row, version, byCase) }));
    const results = await analyseBatches(
      bin,
      version,
      packBatches(
        made.map((m) => m.unit),
        400,
      ),
      { json: true, user: true },
    );
    const answers = new Map<string, ReturnType<typeof answerOf>>();
    for (const r of results) for (const name of r.overall.keys()) answers.set(name, answerOf(r, name));
    const out: UserRow[] = made.map((m) => ({ ...m.row, ...answers.get(m.unit.name)! }));
    const text = out.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeFileSync(file, gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
    const versionLine = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    manifest[String(version)] = {
      file: `user-${version}.jsonl.gz`,
      oracle: `${versionLine} --user --offline=yes`,
      seed: USER_SEED + version,
      corpus: rows.length - USER_MIXES,
      mixes: USER_MIXES,
      made: new Date().toISOString().slice(0, 10),
      command: `node --import tsx scripts/gen-oracle-user.ts ${version}`,
      seconds: (Date.now() - t0) / 1000,
    };
    writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
    const refused = out.filter((r) => r.tenths === null).length;
    console.error(
      `gen-oracle-user ${version}: ${out.length} units (${refused} refused), ${(text.length / 1024).toFixed(0)} KiB as text, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
