/**
 * test/requirements.ts: a test that needs something missing is skipped with a reason naming it, or, in
 * CI, fails. Each case runs a small test file in a child test runner with the corpus or the oracles
 * pointed at a folder that does not exist (SYSTEMD_CORPUS, SYSTEMD_ORACLES_DIR).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-requirements-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const NOWHERE = join(tmp, 'nowhere');

const REQUIREMENTS = JSON.stringify(join(ROOT, 'test', 'requirements.ts'));
/** One test per form: declared with skipUnless(), and asking need(t) inside the body. */
const FILE = join(tmp, 'needs.test.ts');
writeFileSync(
  FILE,
  [
    "import { test } from 'node:test';",
    `import { liveOracle, need, oracle, skipUnless } from ${REQUIREMENTS};`,
    "test('declared', { skip: skipUnless('corpus') }, () => { throw new Error('ran without the corpus'); });",
    "test('declared, two needs', { skip: skipUnless('corpus', oracle(254)) }, () => { throw new Error('ran without them'); });",
    "test('inside', (t) => { if (!need(t, oracle(257))) return; throw new Error('ran without the oracle'); });",
    "test('primary source', (t) => { if (!need(t, 'systemd-stable')) return; throw new Error('ran without the clone'); });",
    "test('live', { skip: skipUnless(liveOracle('239m')) }, () => { throw new Error('ran without the manager'); });",
    "test('live, inside', (t) => { if (!need(t, liveOracle('255'))) return; throw new Error('ran without 255'); });",
    '',
  ].join('\n'),
);

function run(ci: boolean): { status: number | null; out: string } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SYSTEMD_CORPUS: NOWHERE,
    SYSTEMD_ORACLES_DIR: NOWHERE,
    SYSTEMD_STABLE_GIT: NOWHERE,
  };
  delete env.CI;
  delete env.NODE_TEST_CONTEXT; // a test runner of its own, not a child of this one
  if (ci) env.CI = 'true';
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', FILE], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('outside CI, a missing need skips the test with a reason that names it, where it was looked for and how to get it', () => {
  const { status, out } = run(false);
  assert.equal(status, 0, out);
  const skips = [...out.matchAll(/^ok \d+ - (.+?) # SKIP (.*)$/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    skips.map(([name]) => name),
    ['declared', 'declared, two needs', 'inside', 'primary source', 'live', 'live, inside'],
    out,
  );
  assert.match(skips[3]![1]!, new RegExp(`^needs systemd-stable: no git clone at ${NOWHERE}; .*SYSTEMD_STABLE_GIT`));
  assert.match(skips[0]![1]!, new RegExp(`^needs \\.\\./shared/corpus: not found at ${NOWHERE}; .*SYSTEMD_CORPUS`));
  assert.equal(skips[1]![1], skips[0]![1], 'the first missing need is named');
  assert.match(
    skips[2]![1]!,
    new RegExp(
      `^needs systemd-analyze 257: not found in ${NOWHERE}/257; run bash \\.\\./shared/oracles/install-systemd-analyze\\.sh 257`,
    ),
  );
  assert.match(skips[4]![1]!, new RegExp(`^needs live oracle 239m: .*${NOWHERE}.*; CI uses test/oracle-data instead`));
  assert.match(skips[5]![1]!, new RegExp(`^needs live oracle 255: ${NOWHERE}/255/systemd-analyze not found`));
  assert.match(out, /^# fail 0$/m);
});

test('in CI (CI=true), a missing need fails the run, once per need and file, with the same reason (but a primary source CI never has is skipped)', () => {
  const { status, out } = run(true);
  assert.notEqual(status, 0, out);
  const failed = [...out.matchAll(/^not ok \d+ - (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(failed.sort(), ['inside', 'set-up: corpus is there'], out);
  assert.match(out, /needs \.\.\/shared\/corpus: not found at .*CI=true: a missing need fails the run/);
  assert.match(out, /needs systemd-analyze 257: not found in .*CI=true: a missing need fails the run/);
  // The tests declared with skipUnless() are still skipped, not run against the missing files.
  assert.match(out, /^ok \d+ - declared # SKIP needs \.\.\/shared\/corpus/m);
  // A primary source CI never has (a systemd-stable clone) is skipped there too, with the reason.
  assert.match(out, /^ok \d+ - primary source # SKIP needs systemd-stable: no git clone at /m);
  // A live oracle CI cannot have (built, or a manager run as root) is a skip there too: its answers are stored.
  // CI asks the live ones only when LIVE_ORACLES=1 says it can (root and new namespaces).
  assert.match(out, /^ok \d+ - live # SKIP needs live oracle 239m: CI tests the stored answers .*LIVE_ORACLES=1/m);
  assert.match(out, /^ok \d+ - live, inside # SKIP needs live oracle 255: CI tests the stored answers/m);
});
