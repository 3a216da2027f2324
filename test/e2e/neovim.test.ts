/**
 * Tier "neovim": headless neovim 0.7 (Debian) as a second, independent LSP client of
 * `node dist/server.js --stdio`: diagnostics, hover, a code action whose edit it applies, and the
 * diagnostic going away. The Lua side (nvim/lsp-check.lua) prints one CHECK line per step.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, NVIM, requireFile, SERVER_JS, skipUnlessSetUp, WORKSPACE_FIXTURE, within } from './driver';
import { descriptionOf, hoverShowsDescription } from './spec';

const SCRIPT = join(__dirname, 'nvim', 'lsp-check.lua');

interface NvimRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** nvim with the pcall/cquit wrapper (a bare Lua error would leave headless nvim hanging), `timeout` and stdin from /dev/null. */
function runNvim(file: string, cwd: string): Promise<NvimRun> {
  const lua = `lua local ok, e = pcall(dofile, ${JSON.stringify(SCRIPT)}) if not ok then io.stdout:write("FAIL: " .. tostring(e) .. "\\n") vim.cmd("cquit 1") end`;
  const child = spawn(
    'timeout',
    ['-k', '5', '60', NVIM, '--headless', '-u', 'NONE', '-i', 'NONE', '-n', file, '-c', lua],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SH_SERVER: SERVER_JS, SH_HOVER_DIRECTIVE: 'ExecStart' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return within(
    new Promise<NvimRun>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr }))),
    90_000,
    'nvim to exit',
  ).catch((e) => {
    child.kill('SIGKILL');
    throw e;
  });
}

test(
  'neovim 0.7 as an LSP client of dist/server.js --stdio',
  { timeout: 120_000, skip: skipUnlessSetUp('neovim') },
  async (t) => {
    requireFile(NVIM, 'neovim');
    requireFile(SERVER_JS, 'dist/server.js', 'run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'sh-e2e-nvim-'));
    try {
      cpSync(WORKSPACE_FIXTURE, dir, { recursive: true });
      const started = Date.now();
      const run = await runNvim(join(dir, 'nginx.service'), dir);
      const seconds = (Date.now() - started) / 1000;
      writeFileSync(
        join(artifacts('neovim'), 'nvim.log'),
        `exit ${run.code}, ${seconds.toFixed(1)} s\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n`,
      );
      t.diagnostic(`nvim: exit ${run.code} in ${seconds.toFixed(1)} s`);
      const lines = run.stdout.split('\n');
      const fatal = lines.find((l) => l.startsWith('FAIL: '));
      assert.equal(fatal, undefined, `the Lua script failed:\n${run.stdout}\n${run.stderr}`);
      const checks = lines.filter((l) => l.startsWith('CHECK ')).map((l) => /^CHECK (\S+) (ok|fail) ?(.*)$/.exec(l)!);
      for (const want of [
        'start',
        'diagnostics',
        'sandbox-diagnostic',
        'summary',
        'hover',
        'weak-line-diagnostic',
        'own-action',
        'risk-title',
        'edit-applied',
        'diagnostic-gone',
      ]) {
        await t.test(want, () => {
          const c = checks.find((m) => m[1] === want);
          assert.ok(c, `no result for '${want}' (an earlier step failed); nvim output:\n${run.stdout}`);
          assert.equal(c[2], 'ok', `${want}: ${c[3]}\n${run.stdout}`);
        });
      }
      await t.test('the hover shows the directive description', () => {
        const hover = (lines.find((l) => l.startsWith('HOVER ')) ?? '').slice('HOVER '.length).replace(/\\n/g, '\n');
        assert.ok(
          hoverShowsDescription(hover, 'ExecStart'),
          `hover:\n${hover}\nexpected: ${descriptionOf('ExecStart')}`,
        );
      });
      await t.test('nvim exits 0 and finished the script', () => {
        assert.ok(lines.includes('NVIM-LSP DONE'), run.stdout);
        assert.equal(run.code, 0, `exit ${run.code}\n${run.stderr}`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
