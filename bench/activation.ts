/**
 * Extension activation time in a real VS Code workbench (code-server's Node extension host): the time
 * from activate() to a running language client, read from the extension's API by the extension tests.
 */
import { runExtensionTests } from '../test/e2e/driver';

void (async () => {
  const run = await runExtensionTests();
  const ms = run.result?.metrics?.activationMs;
  process.stdout.write(
    `extension activation (code-server 4.100.3 = VS Code 1.100.3): ${ms === undefined ? 'not measured' : `${ms} ms`} (extension tests: ${run.result?.passed ?? 0} passed, ${run.result?.failed ?? 0} failed, ${run.seconds.toFixed(1)} s)\n`,
  );
})();
