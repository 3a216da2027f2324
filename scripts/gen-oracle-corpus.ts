// Writes test/oracle-data/oracle-<key>.jsonl.gz: the running figure of every corpus unit (585 rows, the
// rows and order of ../shared/corpus/oracle.jsonl), asked of that version's own manager through
// ../shared/oracles/manager-oracle.sh. For the running keys stored after ../shared was closed to us
// (245m 254m 257m 262m); 239m 247m 249m 252m live in ../shared/corpus (made by make-manager-oracle.py, same line format).
//
//   SYSTEMD_ORACLES_DIR=/work/oracles-cache node --import tsx scripts/gen-oracle-corpus.ts [KEY...]
//
// Root needed; 254, 257 and 262 need scripts/manager-oracle-layout.sh first. Default keys: 245m 254m 257m 262m.
// Differences from make-manager-oracle.py: a template is asked as the instance the engine names it
// (test/manager-oracle.ts managerInstance(): `i`, 257 on `test_instance`, where make-manager-oracle.py
// always asks `i`), and units that share a BusName= go to separate daemon-reloads.
// Output is deterministic for the same oracle and corpus (gzip level 9, no timestamps in the data).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CORPUS } from '../test/helpers';
import { createManagerOracle, type ManagerRow } from '../test/manager-oracle';
import {
  liveOracleMissing,
  MANAGER_SCRIPT,
  type ManagerVersion,
  oracleKey,
  oraclesDir,
  STORED_ORACLE_KEYS,
  type StoredOracleKey,
} from '../test/oracle';
import { type BatchUnit, packBatches } from '../test/conformance/batch-oracle';
import type { CorpusLine } from '../test/conformance/corpus-cases';
import { corpusBusName, corpusCase, corpusManagerItem, ORACLE_DATA } from '../test/conformance/stored-oracles';

const DEFAULT_KEYS: StoredOracleKey[] = ['245m', '254m', '257m', '262m'];

const keys: StoredOracleKey[] = [];
for (const a of process.argv.slice(2)) {
  if ((STORED_ORACLE_KEYS as readonly string[]).includes(a) && oracleKey(a as StoredOracleKey).figure === 'running')
    keys.push(a as StoredOracleKey);
  else {
    console.error(
      `gen-oracle-corpus: unknown argument ${a}; running keys: ${STORED_ORACLE_KEYS.filter((k) => k.endsWith('m')).join(' ')}`,
    );
    process.exit(2);
  }
}

interface PlanLine extends CorpusLine {
  version: string;
}

/** The corpus rows as ../shared/corpus/make-oracle.sh planned them (every oracle file has them in this order). */
function plan(): PlanLine[] {
  return readFileSync(join(CORPUS, 'oracle.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const o = JSON.parse(l) as PlanLine;
      return {
        package: o.package,
        version: o.version,
        path: o.path,
        unit: o.unit,
        dropins: o.dropins,
        scored_unit: null,
      };
    });
}

async function main(): Promise<void> {
  const lines = plan();
  for (const key of keys.length ? keys : DEFAULT_KEYS) {
    const why = liveOracleMissing(key);
    if (why) {
      console.error(`gen-oracle-corpus ${key}: ${why}`);
      process.exit(1);
    }
    const version = oracleKey(key).version as ManagerVersion;
    const cases = lines.map((l) => corpusCase(l));
    const units: BatchUnit[] = cases.map((c, i) => ({
      name: String(i),
      files: [],
      exclusive: corpusBusName(c, version),
    }));
    const rows: ManagerRow[] = new Array(cases.length);
    const m = createManagerOracle(version);
    const t0 = Date.now();
    let versionLine = '';
    let reloads = 0;
    try {
      const startMs = await m.start();
      const r = spawnSync('bash', [MANAGER_SCRIPT, String(version), 'analyze', '--version'], {
        encoding: 'utf8',
        env: { ...process.env, SYSTEMD_ORACLES_DIR: oraclesDir() },
      });
      versionLine = (r.stdout ?? '').split('\n')[0]!;
      for (const group of packBatches(units, cases.length)) {
        const got = await m.answer(group.map((u) => corpusManagerItem(cases[Number(u.name)]!)));
        group.forEach((u, k) => (rows[Number(u.name)] = got[k]!));
        reloads++;
      }
      console.error(`gen-oracle-corpus ${key}: manager start ${(startMs / 1000).toFixed(1)} s`);
    } finally {
      const left = m.stop();
      if (left.length) {
        console.error(`gen-oracle-corpus ${key}: left after stop: ${left.join(', ')}`);
        process.exitCode = 1;
      }
    }
    const text =
      lines
        .map((l, i) => {
          const row = rows[i]!;
          return JSON.stringify({
            package: l.package,
            version: l.version,
            path: l.path,
            unit: l.unit,
            dropins: l.dropins,
            scored_unit: row.scored_unit,
            exit_code: row.exit_code,
            exposure: row.exposure,
            band: row.band,
            checks: row.checks,
            stderr: row.stderr.slice(0, 500),
            load: row.load,
            oracle: `${versionLine} manager`,
          });
        })
        .join('\n') + '\n';
    const out = join(ORACLE_DATA, `oracle-${key}.jsonl.gz`);
    writeFileSync(out, gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
    const refused = rows.filter((r) => r.exposure === null).length;
    console.error(
      `gen-oracle-corpus ${key}: ${rows.length} rows (${refused} refused), ${reloads} daemon-reload(s), ` +
        `${((Date.now() - t0) / 1000).toFixed(1)} s; ${versionLine}; wrote ${out}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(`gen-oracle-corpus: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
