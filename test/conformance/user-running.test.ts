/**
 * User units, running figure (issue 14): every corpus unit and USER_RUNNING_MIXES random hardening drop-in
 * mixes, loaded by systemd V's own user manager and scored by its `systemd-analyze --user security NAME`
 * (user-running.ts), agree with the engine given `scope: 'user'`, `figure: 'running'`: overall exposure,
 * band, refusal, and per row in order name, ✓/✗, description, exposure, json_field. For 239–249 the only
 * figure a user unit has.
 *
 * Against the stored answers (test/oracle-data/user-<V>m.jsonl.gz) everywhere, and, where the user manager
 * runs (root, scripts/user-manager-oracle-layout.sh), every SAMPLE-th stored row is asked again and must come
 * back the same.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { isSupportedVersion } from '../../server/src/service/versions';
import { ROOT } from '../helpers';
import { managerOracle } from '../manager-oracle';
import { liveUserManager, skipUnless } from '../requirements';
import { busNameOf } from './flat-units';
import { askManager, canonical, disagreements, mixManagerItem } from './stored-oracles';
import {
  USER_RUNNING_VERSIONS,
  readUserRunning,
  userRunningFile,
  userRunningPlan,
  userRunningUnit,
} from './user-running';

const SAMPLE = 15;

for (const version of USER_RUNNING_VERSIONS) {
  const file = userRunningFile(version);
  const stored = existsSync(file) ? false : `no ${relative(ROOT, file)} (scripts/gen-oracle-user-running.ts)`;
  const manager = managerOracle(version, true);

  test(
    `user units, running figure: the stored answers of systemd ${version}'s user manager are whole`,
    { skip: skipUnless('corpus') || stored },
    () => {
      const rows = readUserRunning(version);
      const plan = userRunningPlan(version);
      assert.equal(rows.length, plan.length);
      rows.forEach((r, i) => {
        const { answer, ...unit } = r;
        assert.deepEqual(unit, plan[i], `row ${i} is not the unit the plan names (mixes.ts or the corpus changed?)`);
        assert.equal(answer.exposure === null, answer.checks === null, `row ${i}: figure without checks or back`);
      });
    },
  );

  test(
    `user units, running figure: the engine agrees with systemd ${version}'s user manager`,
    {
      skip: skipUnless('corpus') || stored,
      todo: isSupportedVersion(version) ? false : `the engine does not follow systemd ${version}`,
    },
    () => {
      const rows = readUserRunning(version);
      const failures: string[] = [];
      let refused = 0;
      for (const r of rows) {
        const { result, label } = userRunningUnit(r, version);
        const d = disagreements(r.answer, result, 'running');
        if (d.length) failures.push(`${label}: ${d.slice(0, 3).join('; ')}`);
        if (r.answer.exposure === null) refused++;
      }
      console.log(
        `systemd ${version} --user (running, stored): ${rows.length - failures.length}/${rows.length} units agree (${refused} refused by systemd)`,
      );
      assert.equal(failures.length, 0, `${failures.length} disagree:\n${failures.slice(0, 10).join('\n')}`);
    },
  );

  test(
    `user units, running figure: the stored answers still agree with systemd ${version}'s live user manager (every ${SAMPLE}th)`,
    { skip: skipUnless('corpus', liveUserManager(version)) || stored },
    async () => {
      const rows = readUserRunning(version).filter((r) => r.i % SAMPLE === 0);
      const made = rows.map((r) => userRunningUnit(r, version));
      let live;
      try {
        live = await askManager(
          manager,
          made.map((m) => ({ item: mixManagerItem(m.unit), busName: busNameOf(m.model) })),
        );
      } finally {
        assert.deepEqual(manager.stop(), [], `systemd ${version}'s user manager oracle left something behind`);
      }
      const stale = rows
        .filter((r, k) => canonical(r.answer) !== canonical(live[k]!))
        .map((r) => made[rows.indexOf(r)]!.label);
      assert.equal(
        stale.length,
        0,
        `${stale.length}/${rows.length} stored answers differ:\n${stale.slice(0, 5).join('\n')}`,
      );
    },
  );
}
