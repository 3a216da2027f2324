// Regenerates test/oracle-data/user-<V>m.jsonl.gz: every corpus unit and 300 random hardening drop-in mixes
// loaded as user units by systemd V's own user manager and scored by its `systemd-analyze --user security`
// (the running figure; test/conformance/user-running.ts says which units), and their entries in
// test/oracle-data/user-manifest.json.
//
//   SYSTEMD_ORACLES_DIR=/work/oracles-cache scripts/user-manager-oracle-layout.sh 239 245 247 249 252   # once
//   SYSTEMD_ORACLES_DIR=/work/oracles-cache node --import tsx scripts/gen-oracle-user-running.ts [VERSION...]
//
// Needs root (manager-oracle.sh runs the manager in new namespaces). Default: every version of
// USER_RUNNING_VERSIONS. Each user manager is started once, asked every unit (one daemon-reload per group of
// units with distinct BusName=), and stopped. Deterministic for the same oracles and corpus.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createManagerOracle, managerFolder } from '../test/manager-oracle';
import { MANAGER_SCRIPT, oraclesDir } from '../test/oracle';
import { busNameOf } from '../test/conformance/flat-units';
import { askManager, mixManagerItem, ORACLE_DATA, type StoredMix } from '../test/conformance/stored-oracles';
import {
  USER_RUNNING_MIXES,
  USER_RUNNING_SEED,
  USER_RUNNING_VERSIONS,
  userRunningFile,
  userRunningPlan,
  userRunningUnit,
  type UserRunningVersion,
} from '../test/conformance/user-running';

const MANIFEST = join(ORACLE_DATA, 'user-manifest.json');

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map(Number);
  for (const v of asked)
    if (!(USER_RUNNING_VERSIONS as readonly number[]).includes(v))
      throw new Error(`no user manager oracle for ${v}; versions: ${USER_RUNNING_VERSIONS.join(' ')}`);
  const versions = asked.length ? (asked as UserRunningVersion[]) : USER_RUNNING_VERSIONS;
  const manifest: Record<string, unknown> = existsSync(MANIFEST)
    ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, unknown>)
    : {};
  for (const version of versions) {
    const folder = managerFolder(version, true);
    if (!existsSync(join(oraclesDir(), folder, 'bin', 'systemd')))
      throw new Error(`no ${join(oraclesDir(), folder)}: run scripts/user-manager-oracle-layout.sh ${version}`);
    const t0 = Date.now();
    const plan = userRunningPlan(version);
    const made = plan.map((row) => ({ row, ...userRunningUnit(row, version) }));
    const m = createManagerOracle(version, true);
    let answers;
    let start = 0;
    try {
      start = (await m.start()) / 1000;
      answers = await askManager(
        m,
        made.map((x) => ({ item: mixManagerItem(x.unit), busName: busNameOf(x.model) })),
      );
    } finally {
      const left = m.stop();
      if (left.length) console.error(`gen-oracle-user-running ${version}: left after stop: ${left.join(', ')}`);
    }
    const rows: StoredMix[] = made.map((x, k) => ({ ...x.row, answer: answers[k]! }));
    const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeFileSync(userRunningFile(version), gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
    const versionLine = spawnSync('bash', [MANAGER_SCRIPT, folder, 'analyze', '--version'], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_ORACLES_DIR: oraclesDir() },
    }).stdout.split('\n')[0];
    spawnSync('bash', [MANAGER_SCRIPT, folder, 'stop'], { env: { ...process.env, SYSTEMD_ORACLES_DIR: oraclesDir() } });
    manifest[`${version}m`] = {
      file: `user-${version}m.jsonl.gz`,
      oracle: `${versionLine} --user, asked of its running user manager`,
      seed: USER_RUNNING_SEED + version,
      corpus: rows.length - USER_RUNNING_MIXES,
      mixes: USER_RUNNING_MIXES,
      made: new Date().toISOString().slice(0, 10),
      command: `node --import tsx scripts/gen-oracle-user-running.ts ${version}`,
      seconds: { managerStart: start, total: (Date.now() - t0) / 1000 },
    };
    const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(MANIFEST, JSON.stringify(sorted, null, 2) + '\n');
    const refused = rows.filter((r) => r.answer.exposure === null).length;
    console.error(
      `gen-oracle-user-running ${version}: ${rows.length} units (${refused} refused), ${(text.length / 1024).toFixed(0)} KiB as text, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(`gen-oracle-user-running: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
