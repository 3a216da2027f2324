/**
 * User units (issue 14, item E): every corpus unit and USER_MIXES random hardening drop-in mixes,
 * scored as user units, agree with `systemd-analyze --user security --offline=yes` of 252, 254, 257
 * and 262 (overall exposure, refusal, and per check: set, exposure, description, row order).
 * What changes in user scope: KeyringMode= starts at inherit (every version), DynamicUser= is refused
 * from 256, and 262 (systemd PR #42743) assesses the unit as the calling user.
 *
 * Against the stored answers (test/oracle-data/user-<V>.jsonl.gz) everywhere, and against the live
 * binary where it is installed (which must also still give the stored answers).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { ORACLE_VERSIONS, oraclePath } from '../oracle';
import { oracle, skipUnless } from '../requirements';
import { analyseBatches, packBatches } from './batch-oracle';
import { answerOf, casesByKey, userDisagreements, userFile, userRows, userUnit } from './user-scope';

const BATCH = 400;

for (const version of ORACLE_VERSIONS) {
  test(
    `user units: the stored answers of systemd-analyze ${version} --user agree with the engine`,
    { skip: skipUnless('corpus') || (existsSync(userFile(version)) ? false : `no ${userFile(version)}`) },
    () => {
      const byCase = casesByKey(version);
      const rows = userRows(version);
      const counts = { checks: 0, agreeing: 0 };
      const failures: string[] = [];
      let units = 0;
      let refused = 0;
      for (const row of rows) {
        const { label, result } = userUnit(row, version, byCase);
        const d = userDisagreements(result, row, counts);
        if (d.length) failures.push(`${label}: ${d.slice(0, 3).join('; ')}`);
        else units++;
        if (row.tenths === null) refused++;
      }
      console.log(
        `systemd ${version} --user (stored): ${units}/${rows.length} units agree (${refused} refused by systemd), ` +
          `${counts.agreeing}/${counts.checks} check rows`,
      );
      assert.equal(failures.length, 0, `${failures.length} disagree:\n${failures.slice(0, 15).join('\n')}`);
    },
  );

  test(
    `user units: corpus units and random mixes as user units agree with the live systemd-analyze ${version} --user`,
    { skip: skipUnless('corpus', oracle(version)) },
    async () => {
      const byCase = casesByKey(version);
      const rows = userRows(version);
      const made = rows.map((row) => ({ row, ...userUnit(row, version, byCase) }));
      const results = await analyseBatches(
        oraclePath(version)!,
        version,
        packBatches(
          made.map((m) => m.unit),
          BATCH,
        ),
        { json: true, user: true },
      );
      const answers = new Map<string, ReturnType<typeof answerOf>>();
      for (const r of results) for (const name of r.overall.keys()) answers.set(name, answerOf(r, name));
      const counts = { checks: 0, agreeing: 0 };
      const failures: string[] = [];
      const stale: string[] = [];
      let units = 0;
      for (const m of made) {
        const answer = answers.get(m.unit.name)!;
        const d = userDisagreements(m.result, answer, counts);
        if (d.length) failures.push(`${m.label}: ${d.slice(0, 3).join('; ')}`);
        else units++;
        if (
          m.row.tenths !== undefined &&
          JSON.stringify([m.row.tenths, m.row.checks]) !== JSON.stringify([answer.tenths, answer.checks])
        )
          stale.push(m.label);
      }
      console.log(
        `systemd ${version} --user (live): ${units}/${made.length} units agree, ${counts.agreeing}/${counts.checks} check rows`,
      );
      assert.equal(failures.length, 0, `${failures.length} disagree:\n${failures.slice(0, 15).join('\n')}`);
      assert.equal(
        stale.length,
        0,
        `${stale.length} stored answers differ from the live oracle:\n${stale.slice(0, 5).join('\n')}`,
      );
    },
  );
}
