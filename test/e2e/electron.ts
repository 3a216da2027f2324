/**
 * `npm run test:electron`: the extension-host suite (dist/test/index.js, the same one the e2e tier
 * runs in code-server) under desktop VS Code with @vscode/test-electron.
 *
 * It needs desktop VS Code: downloaded from update.code.visualstudio.com (unreachable on the
 * project's CI machines, which is why this is not part of `npm test`), or a local build given as
 * VSCODE_EXECUTABLE=/path/to/code. On a machine without a display run it under `xvfb-run -a`.
 *   VSCODE_VERSION=1.100.3 npm run test:electron
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { requireBuild, ROOT, TOOLS, WORKSPACE_FIXTURE } from './driver';
import type { SuiteResult } from './suite/index';

async function vscodeExecutable(): Promise<string> {
  const local = process.env.VSCODE_EXECUTABLE;
  if (local) {
    if (!existsSync(local)) throw new Error(`VSCODE_EXECUTABLE=${local} does not exist`);
    return local;
  }
  const version = process.env.VSCODE_VERSION ?? 'stable';
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(TOOLS, 'vscode'), timeout: 30_000 });
  } catch (e) {
    throw new Error(
      `cannot download VS Code ${version} (${(e as Error).message}).\n` +
        'test:electron needs desktop VS Code: run it where update.code.visualstudio.com is reachable, or set\n' +
        "VSCODE_EXECUTABLE to a local VS Code binary. On this project's CI machines use `npm run test:e2e`\n" +
        "(the same suite in code-server's extension host).",
    );
  }
}

async function main(): Promise<number> {
  requireBuild();
  const executable = await vscodeExecutable();
  const dir = mkdtempSync(join(tmpdir(), 'sh-electron-'));
  const workspace = join(dir, 'workspace');
  cpSync(WORKSPACE_FIXTURE, workspace, { recursive: true });
  const resultFile = join(dir, 'result.json');
  try {
    let code = 0;
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: join(ROOT, 'dist', 'test'),
        extensionTestsEnv: { SH_E2E_RESULT: resultFile },
        launchArgs: [
          workspace,
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          '--user-data-dir',
          join(dir, 'user-data'),
          '--extensions-dir',
          join(dir, 'extensions'),
        ],
      });
    } catch (e) {
      console.error(`test:electron: ${(e as Error).message}`);
      code = 1;
    }
    if (!existsSync(resultFile)) {
      console.error('test:electron: the suite wrote no result');
      return 1;
    }
    const r = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    for (const t of r.tests)
      console.log(
        `${t.state === 'passed' ? 'ok' : 'not ok'} - ${t.title}${t.error ? `\n  ${t.error.split('\n')[0]}` : ''}`,
      );
    if (r.error) console.log(`suite error: ${r.error}`);
    console.log(`electron: ${r.passed} passed, ${r.failed} failed`);
    return r.failed > 0 || r.error ? 1 : code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`test:electron: ${e.message}`);
    process.exit(2);
  },
);
