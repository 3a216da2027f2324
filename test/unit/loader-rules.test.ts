/**
 * What the loader of each release refuses (model/loader-rules.ts, from assessors.json refuses.*), one
 * fixture per rule, across every release 239–262: refused exactly where the data's flag says, with
 * the commit that changed it named in the data and in scripts/gen-assessors.mjs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit, type BuildOptions } from '../../server/src/model/build';
import { loaderRules } from '../../server/src/model/loader-rules';
import { score } from '../../server/src/exposure/score';
import { SUPPORTED_VERSIONS } from '../../server/src/service/versions';

function refusal(text: string, options: BuildOptions, path = '/etc/systemd/system/x.service'): string | null {
  const m = buildUnit('x.service', [{ path, text }], options);
  return score(m, { version: options.version }).refused?.reason ?? null;
}

const noCommands = (): boolean => false;
const everyCommand = (): boolean => true;

test('239 refuses a service whose only action is SuccessAction= (3f00d379fa allowed it in 240)', () => {
  const text = '[Unit]\nSuccessAction=exit-force\n[Service]\nType=oneshot\nRemainAfterExit=yes\n';
  for (const version of SUPPORTED_VERSIONS) {
    const r = refusal(text, { version });
    assert.equal(r !== null, loaderRules(version).successActionOnlyService, `${version}: ${r}`);
  }
  assert.match(refusal(text, { version: 239 })!, /neither ExecStart= nor ExecStop=/);
  assert.ok(loaderRules(239).successActionOnlyService && !loaderRules(240).successActionOnlyService);
});

test('239–246 refuse a bare command name the loading machine lacks in DEFAULT_PATH (9f71ba8d95 moved the lookup to execution in 247)', () => {
  const text = '[Service]\nExecStart=nonexistentcmd-xyz --flag\n';
  for (const version of SUPPORTED_VERSIONS) {
    const refused = refusal(text, { version, commandExists: noCommands });
    assert.equal(refused !== null, loaderRules(version).bareNameNotInDefaultPath, `${version}: ${refused}`);
    // Found on the machine: loads; not asked (no adapter): assumed found.
    assert.equal(refusal(text, { version, commandExists: everyCommand }), null, `${version}`);
    assert.equal(refusal(text, { version }), null, `${version}`);
    // With '-' the line is dropped with a warning instead of refusing the unit.
    const dropped = refusal('[Service]\nExecStartPre=-nonexistentcmd-xyz\nExecStart=/bin/true\n', {
      version,
      commandExists: noCommands,
    });
    assert.equal(dropped, null, `${version}`);
  }
  assert.match(
    refusal(text, { version: 239, commandExists: noCommands })!,
    /Executable "nonexistentcmd-xyz" not found in path "\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin"/,
  );
  // Any Exec*= line counts (systemd-homed-activate.service: ExecStop=homectl …), and an absolute path is never looked up.
  assert.notEqual(
    refusal('[Service]\nExecStart=/bin/true\nExecStop=homectl lock-all\n', { version: 246, commandExists: noCommands }),
    null,
  );
  assert.equal(refusal('[Service]\nExecStart=/no/such/program\n', { version: 239, commandExists: noCommands }), null);
  // The predicate is asked the name only.
  const asked: string[] = [];
  refusal('[Service]\nExecStart=bootctl update\n', {
    version: 239,
    commandExists: (n) => (asked.push(n), false),
  });
  assert.deepEqual(asked, ['bootctl']);
});

test('DynamicUser= in a user unit is refused from 256 (52d8ba71b6); a system unit keeps it', () => {
  const text = '[Service]\nExecStart=/bin/true\nDynamicUser=yes\n';
  for (const version of SUPPORTED_VERSIONS) {
    const user = refusal(text, { version }, '/home/a/.config/systemd/user/x.service');
    assert.equal(user !== null, loaderRules(version).dynamicUserInUserUnit, `${version}: ${user}`);
    assert.equal(refusal(text, { version }), null, `${version}`);
  }
  assert.match(
    refusal(text, { version: 257 }, '/etc/systemd/user/x.service')!,
    /DynamicUser= enabled for user unit, which is not supported/,
  );
});

test('a user unit with only a system SuccessAction=: taken as exit-force up to 252, ignored from 253 (2ae6917a1a)', () => {
  // systemd-poweroff.service as a user unit (measured: 252 scores it, 257 and 262 refuse it).
  const text = '[Unit]\nSuccessAction=poweroff-force\n[Service]\nType=oneshot\nRemainAfterExit=yes\n';
  for (const version of SUPPORTED_VERSIONS) {
    const user = refusal(text, { version }, '/usr/lib/systemd/user/x.service');
    const want = loaderRules(version).userUnitSystemActionIgnored || loaderRules(version).successActionOnlyService;
    assert.equal(user !== null, want, `${version}: ${user}`);
    if (!loaderRules(version).successActionOnlyService) assert.equal(refusal(text, { version }), null, `${version}`);
  }
  // An action the user manager can take counts, and an earlier one survives an ignored later one.
  assert.equal(refusal(text.replace('poweroff-force', 'exit'), { version: 262 }, '/etc/systemd/user/x.service'), null);
  assert.equal(
    refusal(
      text.replace('poweroff-force', 'exit\nSuccessAction=reboot'),
      { version: 262 },
      '/etc/systemd/user/x.service',
    ),
    null,
  );
});

// Measured with the 239 manager (manager-oracle.sh): Restart=on-failure refused (bad-setting), Restart=no loads; 247 loads both.
test('239–243 refuse a Type=oneshot service with any Restart= but no (10e72727ee allowed on-failure and the like in 244)', () => {
  const text = '[Service]\nType=oneshot\nExecStart=/bin/true\nRestart=on-failure\n';
  for (const version of SUPPORTED_VERSIONS) {
    const r = refusal(text, { version });
    assert.equal(r !== null, loaderRules(version).oneshotRestartNotNo, `${version}: ${r}`);
    assert.equal(refusal(text.replace('on-failure', 'no'), { version }), null, `${version}`);
    assert.notEqual(refusal(text.replace('on-failure', 'always'), { version }), null, `${version}`);
  }
});

test('the command lookup (which may touch the disk) is asked only by releases that look bare names up when loading', () => {
  const asked: number[] = [];
  for (const version of SUPPORTED_VERSIONS) {
    let calls = 0;
    refusal('[Service]\nExecStart=somecmd --flag\n', {
      version,
      commandExists: () => {
        calls++;
        return true;
      },
    });
    if (calls > 0) asked.push(version);
  }
  assert.deepEqual(
    asked,
    SUPPORTED_VERSIONS.filter((v) => loaderRules(v).bareNameNotInDefaultPath),
  );
});
