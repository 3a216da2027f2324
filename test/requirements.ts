/**
 * What some tests need from outside the repository, and the one way every test does without it.
 *
 * Needs: the shared folder beside the clone (`../shared`: the corpus of real units with the output the
 * real systemd-analyze gave for them, and the installer of the real binaries), and those binaries (the
 * oracles: systemd-analyze 252 from Debian 12's systemd package, 254, 257 and 262 installed by
 * `../shared/oracles/install-systemd-analyze.sh`; `bash scripts/setup-test-env.sh` sets all of it up).
 *
 * When one is missing, outside CI the test is skipped with a reason that starts with `needs WHAT:` and
 * says where it was looked for and how to get it; it shows as a SKIP line in the test output, and
 * scripts/run-tests.mjs closes the run with one line that counts the skips by what was missing.
 * In CI (the environment variable CI is `true` or `1`) a missing need is a failure, never a skip: a CI
 * clone always has ../shared beside it and runs the set-up first, so a missing need there is a broken
 * set-up that a skip would hide. Two exceptions are skipped in CI too: a primary source CI never has
 * (`systemd-stable`, a clone of systemd/systemd-stable for the generators' --check), and a live oracle CI
 * cannot have (`liveOracle('239m')`: built from source, or run as root), whose stored answers
 * (test/oracle-data) are tested instead.
 *
 *   test('…', { skip: skipUnless('corpus', oracle(254)) }, () => { … });   // when the test is declared
 *   test('…', (t) => { if (!need(t, oracle(252))) return; … });            // inside a test
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test, type TestContext } from 'node:test';
import { CORPUS, ROOT } from './helpers';
import { liveOracleMissing, oraclePath, userManagerMissing, type OracleVersion, type StoredOracleKey } from './oracle';

export type Need = 'corpus' | 'systemd-stable' | `systemd-analyze ${OracleVersion}` | LocalNeed;
/**
 * A live oracle that CI never has (built from source, or a manager run as root): test/oracle-data holds
 * its answers instead, so a missing one is a skip everywhere, CI included.
 */
export type LocalNeed = `live oracle ${StoredOracleKey}` | `live user manager ${number}`;

/**
 * Needs that CI never has: primary sources a developer fetches by hand (a clone of systemd-stable with its
 * tags, for the generators' --check). A test that needs one is skipped with the reason in CI too.
 */
const NOT_IN_CI: ReadonlySet<Need> = new Set<Need>(['systemd-stable']);

/** The systemd-stable clone the generators read tags from: SYSTEMD_STABLE_GIT, else the mirror's place. */
export function systemdStableGit(): string {
  return process.env.SYSTEMD_STABLE_GIT ?? '/work/.mirror/systemd+systemd-stable/repo';
}

/** The need for the live oracle of a stored key (`239m`, `255`, …). */
export function liveOracle(key: StoredOracleKey): LocalNeed {
  return `live oracle ${key}`;
}

/** The need for a version's live user manager (scripts/user-manager-oracle-layout.sh), asked for user units. */
export function liveUserManager(version: number): LocalNeed {
  return `live user manager ${version}`;
}

function isLocal(need: Need): need is LocalNeed {
  return need.startsWith('live oracle ') || need.startsWith('live user manager ');
}

/** Whether CI skips this need instead of failing on it. */
function skippedInCI(need: Need): boolean {
  return NOT_IN_CI.has(need) || isLocal(need);
}

/** The need for the real systemd-analyze of a version. */
export function oracle(version: OracleVersion): Need {
  return `systemd-analyze ${version}`;
}

/** True in CI, where a missing need fails the run. */
export function inCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** Why `need` is missing on this machine (where it was looked for, how to get it), or null when it is there. */
export function missing(need: Need): string | null {
  if (need === 'corpus') {
    if (existsSync(join(CORPUS, 'units')) && existsSync(join(CORPUS, 'oracle.jsonl'))) return null;
    return `needs ../shared/corpus: not found at ${CORPUS}; the shared folder must sit beside the clone (${relative(ROOT, CORPUS) === '../shared/corpus' ? 'as ../shared' : 'SYSTEMD_CORPUS names another place'}), see CONTRIBUTING.md`;
  }
  if (need === 'systemd-stable') {
    const dir = systemdStableGit();
    if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'))) return null;
    return `needs systemd-stable: no git clone at ${dir}; clone https://github.com/systemd/systemd-stable with its tags (bare is enough) and name it with SYSTEMD_STABLE_GIT`;
  }
  if (isLocal(need)) {
    // CI may well be root on a Debian 12 host (252m could start) yet refuse new namespaces: it asks the
    // stored answers only, unless LIVE_ORACLES=1 says the live ones work there.
    if (inCI() && process.env.LIVE_ORACLES !== '1')
      return `needs ${need}: CI tests the stored answers (test/oracle-data) only; LIVE_ORACLES=1 asks the live oracle too`;
    const why = need.startsWith('live user manager ')
      ? userManagerMissing(Number(need.slice('live user manager '.length)))
      : liveOracleMissing(need.slice('live oracle '.length) as StoredOracleKey);
    return why === null
      ? null
      : `needs ${need}: ${why}; set SYSTEMD_ORACLES_DIR to the oracles (../shared/oracles/README.md); CI uses test/oracle-data instead`;
  }
  const version = Number(need.slice('systemd-analyze '.length)) as OracleVersion;
  if (oraclePath(version)) return null;
  if (version === 252)
    return "needs systemd-analyze 252: /usr/bin/systemd-analyze not found; install Debian 12's systemd package (bash scripts/setup-test-env.sh does)";
  const dir = process.env.SYSTEMD_ORACLES_DIR ?? '~/.cache/systemd-oracles';
  return `needs systemd-analyze ${version}: not found in ${dir}/${version}; run bash ../shared/oracles/install-systemd-analyze.sh ${version} (bash scripts/setup-test-env.sh does)`;
}

function ciFailure(reason: string): Error {
  return new Error(
    `${reason}. CI=true: a missing need fails the run instead of skipping, since CI always has ../shared and runs scripts/setup-test-env.sh`,
  );
}

/** The needs this test file has already failed for in CI (each file runs in a process of its own). */
const failedInCI = new Set<string>();

/**
 * The `skip` option of a test that needs all of `needs`: false when they are there, else the reason for
 * the first one missing. In CI a missing need also adds one failing test to the file (once per need), so
 * the run fails while the tests that need it are skipped rather than crashing on the missing files.
 */
export function skipUnless(...needs: Need[]): string | false {
  for (const n of needs) {
    const reason = missing(n);
    if (reason === null) continue;
    if (inCI() && !skippedInCI(n) && !failedInCI.has(n)) {
      failedInCI.add(n);
      test(`set-up: ${n} is there`, () => {
        throw ciFailure(reason);
      });
    }
    return reason;
  }
  return false;
}

/**
 * Inside a test: true when all of `needs` are there. Else, outside CI, the test is marked skipped with
 * the reason and false is returned (return then, or go on with what does not need it); in CI it throws.
 */
export function need(t: TestContext, ...needs: Need[]): boolean {
  for (const n of needs) {
    const reason = missing(n);
    if (reason === null) continue;
    if (inCI() && !skippedInCI(n)) throw ciFailure(reason);
    t.skip(reason);
    return false;
  }
  return true;
}
