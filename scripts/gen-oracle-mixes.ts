// Regenerates test/oracle-data/mixes-<key>.jsonl.gz: random hardening drop-in mixes (test/conformance/mixes.ts)
// on corpus units, answered by the live oracles CI cannot run, and test/oracle-data/manifest.json.
//
//   SYSTEMD_ORACLES_DIR=/work/oracles-cache node --import tsx scripts/gen-oracle-mixes.ts [--count N] [KEY...]
//
// KEY: 239m 245m 247m 249m 252m 254m 257m 262m (the running figure, from that version's own manager through
// ../shared/oracles/manager-oracle.sh: needs root; 254, 257 and 262 need scripts/manager-oracle-layout.sh
// first) and 255 (--offline=yes of the built binary); default all.
// --count: mixes per key (default 300). Mix i is randomMixes(30000 + version)[i] applied to corpus case
// (i * 7919) mod (number of cases) of the key's corpus answers (stored-oracles.ts corpusFile(): for 245m,
// 254m, 257m and 262m test/oracle-data/oracle-<key>.jsonl.gz, made first by scripts/gen-oracle-corpus.ts),
// renamed with prefix `x<i>-`.
// Output is deterministic for the same oracles and corpus (gzip level 9, no timestamps in the data).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createManagerOracle } from '../test/manager-oracle';
import {
  liveOracleMissing,
  MANAGER_SCRIPT,
  type ManagerVersion,
  offlineOraclePath,
  oracleKey,
  oraclesDir,
  STORED_ORACLE_KEYS,
  type StoredOracleKey,
} from '../test/oracle';
import { randomMixes } from '../test/conformance/mixes';
import { busNameOf, flatModel } from '../test/conformance/flat-units';
import {
  askManager,
  askOfflineMixes,
  corpusCase,
  type MixManifestEntry,
  mixFile,
  mixManagerItem,
  mixSeed,
  mixUnit,
  ORACLE_DATA,
  readCorpusAnswers,
  type StoredAnswer,
  type StoredMix,
} from '../test/conformance/stored-oracles';

const args = process.argv.slice(2);
let count = 300;
const keys: StoredOracleKey[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--count') count = Number(args[++i]);
  else if ((STORED_ORACLE_KEYS as readonly string[]).includes(a)) keys.push(a as StoredOracleKey);
  else {
    console.error(`gen-oracle-mixes: unknown argument ${a}; keys: ${STORED_ORACLE_KEYS.join(' ')}`);
    process.exit(2);
  }
}
if (!Number.isInteger(count) || count < 1) {
  console.error('gen-oracle-mixes: --count needs a positive whole number');
  process.exit(2);
}

function oracleVersionLine(key: StoredOracleKey): string {
  const { version, figure } = oracleKey(key);
  const r =
    figure === 'running'
      ? spawnSync('bash', [MANAGER_SCRIPT, String(version), 'analyze', '--version'], {
          encoding: 'utf8',
          env: { ...process.env, SYSTEMD_ORACLES_DIR: oraclesDir() },
        })
      : spawnSync(offlineOraclePath(version), ['--version'], { encoding: 'utf8' });
  return `${(r.stdout ?? '').split('\n')[0]} ${figure === 'running' ? 'manager' : '--offline=yes'}`;
}

const manifestPath = join(ORACLE_DATA, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, MixManifestEntry>;

/** Written after each key, so the files and the manifest agree even if a later key fails. */
function writeManifest(): void {
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(manifestPath, JSON.stringify(sorted, null, 2) + '\n');
}

async function main(): Promise<void> {
  for (const key of keys.length ? keys : STORED_ORACLE_KEYS) {
    const why = liveOracleMissing(key);
    if (why) {
      console.error(`gen-oracle-mixes ${key}: ${why}`);
      process.exit(1);
    }
    const { version, figure } = oracleKey(key);
    const cases = readCorpusAnswers(key).map((a) => a.case);
    const seed = mixSeed(key);
    const mixes = randomMixes(seed, count).map((mix, i) => {
      const c = cases[(i * 7919) % cases.length]!;
      const line = { package: c.line.package, path: c.line.path, unit: c.line.unit, dropins: c.line.dropins };
      const prefix = `x${i}`;
      const unit = mixUnit(corpusCase(line), prefix, mix.dropins);
      return { i, line, prefix, dropins: mix.dropins, unit, model: flatModel(unit, version) };
    });
    const seconds: Record<string, number> = {};
    const t0 = Date.now();
    let answers: StoredAnswer[];
    let versionLine: string;
    if (figure === 'running') {
      const m = createManagerOracle(version as ManagerVersion);
      try {
        seconds.managerStart = (await m.start()) / 1000;
        versionLine = oracleVersionLine(key);
        const t1 = Date.now();
        answers = await askManager(
          m,
          mixes.map((x) => ({ item: mixManagerItem(x.unit), busName: busNameOf(x.model) })),
        );
        seconds.answering = (Date.now() - t1) / 1000;
      } finally {
        const left = m.stop();
        if (left.length) console.error(`gen-oracle-mixes ${key}: left after stop: ${left.join(', ')}`);
      }
    } else {
      versionLine = oracleVersionLine(key);
      answers = await askOfflineMixes(offlineOraclePath(version), version, mixes);
      seconds.answering = (Date.now() - t0) / 1000;
    }
    seconds.total = (Date.now() - t0) / 1000;
    const rows: StoredMix[] = mixes.map((x, k) => ({
      i: x.i,
      case: x.line,
      prefix: x.prefix,
      mix: x.dropins,
      answer: answers[k]!,
    }));
    const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeFileSync(mixFile(key), gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
    manifest[key] = {
      file: `mixes-${key}.jsonl.gz`,
      key,
      oracle: versionLine,
      seed,
      count,
      made: new Date().toISOString().slice(0, 10),
      command: `node --import tsx scripts/gen-oracle-mixes.ts --count ${count} ${key}`,
      seconds,
    };
    writeManifest();
    const refused = rows.filter((r) => r.answer.exposure === null).length;
    console.error(
      `gen-oracle-mixes ${key}: ${rows.length} mixes (${refused} refused), ${(text.length / 1024).toFixed(0)} KiB as text; ` +
        Object.entries(seconds)
          .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
          .join(', '),
    );
  }
}

main().catch((e: unknown) => {
  console.error(`gen-oracle-mixes: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
