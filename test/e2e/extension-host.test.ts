/**
 * Tier "extension host": the mocha suite of test/e2e/suite (dist/test/index.js) inside the real
 * Node extension host of code-server 4.100.3, against this repository's extension (no VSIX).
 * Each mocha test is reported as a subtest here, so the node test runner's summary counts them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExtensionTests, skipUnlessSetUp } from './driver';

test(
  'extension host (code-server 4.100.3, VS Code 1.100.3)',
  { timeout: 300_000, skip: skipUnlessSetUp('vscode') },
  async (t) => {
    const run = await runExtensionTests();
    t.diagnostic(
      `extension tests: ${run.result?.passed ?? 0} passed, ${run.result?.failed ?? 0} failed, exit ${run.exitCode}, ${run.seconds.toFixed(1)} s`,
    );
    assert.ok(
      run.result,
      `the suite wrote no result (exit ${run.exitCode}); extension host log:\n${run.log.slice(-40).join('\n')}`,
    );
    assert.equal(run.result.error, undefined, `the suite did not load: ${run.result.error}`);
    assert.ok(run.result.tests.length > 0, 'the suite ran no test');
    for (const r of run.result.tests) {
      await t.test(r.title, () => {
        if (r.state === 'failed') assert.fail(r.error ?? 'failed');
      });
    }
    assert.equal(run.exitCode, run.result.failed > 0 ? 1 : 0, 'codeAutomationExit disagrees with the result file');
  },
);
