/**
 * The oracles CI cannot run (239m, 245m, 247m, 249m, 252m, 254m, 257m, 262m: the running figure of that
 * version's own manager; 255: a built binary's --offline=yes), through their stored answers (stored-oracles.ts):
 *
 *  - the stored data is whole: every mix row of test/oracle-data and every corpus row is there and answered;
 *  - the engine agrees with every stored answer, corpus and random drop-in mixes, for each key whose
 *    version and figure it follows. A key it does not follow yet runs all the same but as a TODO (a
 *    failure there does not fail the run, and it never shows as a pass); its todo names the work item
 *    of issue 14 that makes it pass. A key moves out of TODO by itself once the engine lists its version
 *    (SUPPORTED_VERSIONS) and its figure (ENGINE_FIGURES below);
 *  - where the live oracle runs (root, SYSTEMD_ORACLES_DIR: ../shared/oracles/README.md), a sample of the
 *    stored answers is asked again and must come back the same, so the stored data cannot rot unseen.
 *    Each manager is started once, asked the whole sample with one daemon-reload, and stopped.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { isSupportedVersion } from '../../server/src/service/versions';
import { ROOT } from '../helpers';
import { managerLeftovers, managerOracle } from '../manager-oracle';
import { type Figure, type ManagerVersion, offlineOraclePath, oracleKey, STORED_ORACLE_KEYS } from '../oracle';
import { liveOracle, skipUnless } from '../requirements';
import { busNameOf, flatModel } from './flat-units';
import {
  askManager,
  canonical,
  askOfflineCorpus,
  askOfflineMixes,
  corpusBusName,
  corpusCase,
  corpusFile,
  corpusManagerItem,
  disagreements,
  mixFile,
  mixManagerItem,
  mixSeed,
  mixUnit,
  readCorpusAnswers,
  readManifest,
  readStoredMixes,
  scoreCorpusCase,
  scoreMix,
  type StoredAnswer,
} from './stored-oracles';

/** The figures the engine computes. */
const ENGINE_FIGURES: readonly Figure[] = ['offline', 'running'];

/**
 * The work items of issue 14 (/work/issue14/plan.md §1) that a key still waits for, though the engine
 * follows its version and figure. 239m waits for nothing since items D (refusals) and F (239-50's backported directives)
 * landed: 239m agreed on 547/585 corpus units and 253/300 mixes before them.
 */
const STILL_WAITS: Partial<Record<(typeof STORED_ORACLE_KEYS)[number], string>> = {};

/** What a key waits for while the engine does not follow its version or figure. */
const WAITS_FOR = 'issue 14 item B (the engine for this version and figure)';

function engineFollows(key: (typeof STORED_ORACLE_KEYS)[number]): boolean {
  const { version, figure } = oracleKey(key);
  return isSupportedVersion(version) && ENGINE_FIGURES.includes(figure) && STILL_WAITS[key] === undefined;
}

/** Sample for the live re-check: every SAMPLE-th stored mix and corpus row, plus every corpus row with drop-ins. */
const SAMPLE = 15;

const managers = new Map(
  STORED_ORACLE_KEYS.filter((k) => oracleKey(k).figure === 'running').map((k) => {
    const v = oracleKey(k).version as ManagerVersion;
    return [k, managerOracle(v)];
  }),
);

for (const key of STORED_ORACLE_KEYS) {
  const { version, figure } = oracleKey(key);
  const todo = engineFollows(key) ? false : `needs ${STILL_WAITS[key] ?? WAITS_FOR}`;

  test(
    `stored ${key} answers are whole (test/oracle-data, ${relative(ROOT, corpusFile(key))})`,
    {
      skip: skipUnless('corpus'),
    },
    () => {
      const entry = readManifest()[key];
      assert.ok(entry, `test/oracle-data/manifest.json has no entry for ${key}`);
      assert.equal(entry.seed, mixSeed(key));
      const mixes = readStoredMixes(key);
      assert.equal(
        mixes.length,
        entry.count,
        `${mixFile(key)} has ${mixes.length} rows, the manifest says ${entry.count}`,
      );
      mixes.forEach((m, i) => {
        assert.equal(m.i, i);
        assert.equal(m.prefix, `x${i}`);
        assert.ok(m.mix.length > 0);
        assert.equal(
          m.answer.exposure === null,
          m.answer.checks === null,
          `mix ${i}: checks without a figure or the reverse`,
        );
      });
      assert.ok(existsSync(corpusFile(key)), `${corpusFile(key)} not found`);
      const corpus = readCorpusAnswers(key);
      assert.equal(corpus.length, 585);
      for (const c of corpus) assert.equal(c.answer.exposure === null, c.answer.checks === null, c.case.label);
    },
  );

  test(
    `engine agrees with systemd ${version} (${figure}) on the corpus (stored ${key} answers)`,
    {
      skip: skipUnless('corpus'),
      todo,
    },
    () => {
      const failures: string[] = [];
      let agree = 0;
      const answers = readCorpusAnswers(key);
      for (const { case: c, answer } of answers) {
        const d = disagreements(answer, scoreCorpusCase(c, version, figure), figure);
        if (d.length) failures.push(`${c.label}: ${d.slice(0, 3).join('; ')}`);
        else agree++;
      }
      console.log(`${key}: ${agree}/${answers.length} corpus units agree`);
      assert.equal(failures.length, 0, `${failures.length} disagree, first ones:\n${failures.slice(0, 10).join('\n')}`);
    },
  );

  test(
    `engine agrees with systemd ${version} (${figure}) on random drop-in mixes (stored ${key} answers)`,
    {
      skip: skipUnless('corpus'),
      todo,
    },
    () => {
      const failures: string[] = [];
      let agree = 0;
      const mixes = readStoredMixes(key);
      for (const m of mixes) {
        const d = disagreements(m.answer, scoreMix(m, version, figure).result, figure);
        if (d.length) failures.push(`mix ${m.i} on ${m.case.package}/${m.case.path}: ${d.slice(0, 3).join('; ')}`);
        else agree++;
      }
      console.log(`${key}: ${agree}/${mixes.length} mixes agree`);
      assert.equal(failures.length, 0, `${failures.length} disagree, first ones:\n${failures.slice(0, 10).join('\n')}`);
    },
  );

  test(
    `stored ${key} answers still agree with the live oracle (every ${SAMPLE}th mix and corpus row)`,
    {
      skip: skipUnless('corpus', liveOracle(key)),
    },
    async () => {
      const corpus = readCorpusAnswers(key).filter((c, i) => i % SAMPLE === 0 || c.case.dropins.length > 0);
      const mixes = readStoredMixes(key).filter((m) => m.i % SAMPLE === 0);
      const units = mixes.map((m) => {
        const unit = mixUnit(corpusCase(m.case), m.prefix, m.mix);
        return { unit, model: flatModel(unit, version) };
      });
      let live: StoredAnswer[];
      const started = Date.now();
      let startMs = 0;
      if (figure === 'running') {
        const m = managers.get(key)!;
        try {
          startMs = await m.start();
          live = await askManager(m, [
            ...corpus.map((c) => ({ item: corpusManagerItem(c.case), busName: corpusBusName(c.case, version) })),
            ...units.map((u) => ({ item: mixManagerItem(u.unit), busName: busNameOf(u.model) })),
          ]);
        } finally {
          assert.deepEqual(m.stop(), [], `the systemd ${version} manager oracle left something behind`);
          assert.deepEqual(managerLeftovers(version, null), []);
        }
      } else {
        live = [
          ...corpus.map((c) => askOfflineCorpus(key, c.case)),
          ...(await askOfflineMixes(offlineOraclePath(version), version, units)),
        ];
      }
      const n = corpus.length + mixes.length;
      console.log(
        `${key}: ${n} units asked again (${corpus.length} corpus, ${mixes.length} mixes) in ${Date.now() - started} ms` +
          (figure === 'running' ? `, of which ${startMs} ms starting the manager` : ''),
      );
      const stored = [...corpus.map((c) => c.answer), ...mixes.map((m) => m.answer)];
      const labels = [...corpus.map((c) => c.case.label), ...mixes.map((m) => `mix ${m.i}`)];
      const stale: string[] = [];
      stored.forEach((s, i) => {
        const got = live[i]!;
        if (canonical(s) !== canonical(got))
          stale.push(`${labels[i]}: stored ${canonical(s).slice(0, 300)}\n  live ${canonical(got).slice(0, 300)}`);
      });
      assert.equal(
        stale.length,
        0,
        `${stale.length}/${n} stored answers differ from the live oracle:\n${stale.slice(0, 5).join('\n')}`,
      );
    },
  );
}
