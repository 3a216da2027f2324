/**
 * Which corpus units each release refuses (issue 14, item D): ours against the stored corpus answers
 * of the manager oracles 239m, 247m, 249m, 252m and of 255 --offline=yes, unit by unit, with the
 * oracle host's commands (oracle-host.ts). 239 refuses 7 units: nfs-ganesha-lock.service (no commands:
 * every release), systemd-exit/poweroff/reboot.service (SuccessAction= only: 239, 3f00d379fa), and
 * systemd-boot-update/-system-token.service and systemd-homed-activate.service (bootctl, homectl not
 * in DEFAULT_PATH on that host: 239–246, 9f71ba8d95). Refusals do not depend on the figure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STORED_ORACLE_KEYS, oracleKey } from '../oracle';
import { skipUnless } from '../requirements';
import { readCorpusAnswers, scoreCorpusCase } from './stored-oracles';

for (const key of STORED_ORACLE_KEYS) {
  test(`the corpus units systemd ${key} refuses are the ones we refuse`, { skip: skipUnless('corpus') }, () => {
    const { version, figure } = oracleKey(key);
    const wrong: string[] = [];
    const refused: string[] = [];
    const rows = readCorpusAnswers(key);
    for (const { case: c, answer } of rows) {
      const ours = scoreCorpusCase(c, version, figure).refused ?? null;
      const theirs = answer.exposure === null;
      if (theirs) refused.push(c.unit);
      if ((ours !== null) !== theirs)
        wrong.push(
          `${c.label}: ours ${ours ? `refused (${ours.reason})` : 'scored'}, systemd ${theirs ? `refused (${answer.load ?? ''})` : 'scored'}`,
        );
    }
    console.log(
      `systemd ${key}: ${rows.length - wrong.length}/${rows.length} agree on refusal; systemd refuses ${refused.length}: ${refused.join(', ')}`,
    );
    assert.equal(wrong.length, 0, wrong.join('\n'));
  });
}

test('239 refuses the seven units of the plan, for the reasons of the plan', { skip: skipUnless('corpus') }, () => {
  const reasons = new Map<string, string>();
  for (const { case: c } of readCorpusAnswers('239m')) {
    const r = scoreCorpusCase(c, 239).refused;
    if (r) reasons.set(c.unit, r.reason);
  }
  assert.deepEqual([...reasons.keys()].sort(), [
    'nfs-ganesha-lock.service',
    'systemd-boot-system-token.service',
    'systemd-boot-update.service',
    'systemd-exit.service',
    'systemd-homed-activate.service',
    'systemd-poweroff.service',
    'systemd-reboot.service',
  ]);
  assert.match(reasons.get('systemd-boot-update.service')!, /Executable "bootctl" not found/);
  assert.match(reasons.get('systemd-homed-activate.service')!, /Executable "homectl" not found/);
  for (const u of ['systemd-exit.service', 'systemd-poweroff.service', 'systemd-reboot.service'])
    assert.match(reasons.get(u)!, /SuccessAction= is not enough before systemd 240/, u);
});
