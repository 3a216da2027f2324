/**
 * Entry of the extension tests (bundled by esbuild into dist/test/index.js, mocha left external).
 * The editor loads this file in its extension host and calls `run()`: in code-server through the
 * workbench's `payload` (extensionTestsPath), in desktop VS Code through @vscode/test-electron.
 *
 * The result goes to the JSON file named by $SH_E2E_RESULT (the extension host inherits the
 * editor's environment), because mocha's console output reaches the driver only unformatted.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface SuiteResult {
  passed: number;
  failed: number;
  tests: Array<{ title: string; fullTitle: string; state: 'passed' | 'failed'; durationMs: number; error?: string }>;
  /** Set when the suite could not run at all (e.g. a test file threw while loading). */
  error?: string;
  /** Measurements taken inside the editor (for npm run bench). */
  metrics?: { activationMs?: number };
}

function write(result: SuiteResult): void {
  const ext = vscode.extensions.getExtension<{ activationMs?: number }>('systemd-hardening.systemd-hardening');
  result.metrics = { activationMs: ext?.exports?.activationMs };
  const path = process.env.SH_E2E_RESULT;
  if (path) writeFileSync(path, JSON.stringify(result, null, 2));
}

export function run(): Promise<void> {
  const result: SuiteResult = { passed: 0, failed: 0, tests: [] };
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  try {
    // The tdd functions exported by 'mocha' (suite, test, ...) act on the context set here.
    mocha.suite.emit('pre-require', globalThis, 'dist/test/index.js', mocha);
    require('./editor.suite');
    require('./client.suite');
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    write(result);
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      write(result);
      if (failures > 0) reject(new Error(`${failures} of ${result.tests.length} extension tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      result.passed++;
      result.tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
    });
    runner.on('fail', (t, err: Error) => {
      result.failed++;
      result.tests.push({
        title: t.title,
        fullTitle: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration ?? 0,
        error: err?.stack ?? String(err),
      });
    });
  });
}
