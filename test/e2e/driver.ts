/**
 * The editor tiers' driver: code-server 4.100.3 (VS Code 1.100.3) started per run in temp folders,
 * Debian's chromium through playwright-core, and the extension tests run in code-server's Node
 * extension host through the workbench's `payload` URL parameter. See ../shared/E2E.md.
 *
 * Everything this starts is stopped again: code-server runs in its own process group (it, its
 * extension host and our language server), killed as a group; the browser is closed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SuiteResult } from './suite/index';
import { inCI } from '../requirements';

export const ROOT = resolve(__dirname, '..', '..');
export const TOOLS = process.env.SYSTEMD_HARDENING_TOOLS ?? join(homedir(), '.cache', 'systemd-hardening-tools');
export const CODE_SERVER = join(TOOLS, 'code-server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';
export const NVIM = '/usr/bin/nvim';
export const WORKSPACE_FIXTURE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
export const ARTIFACTS = join(ROOT, '.test-artifacts');
export const SERVER_JS = join(ROOT, 'dist', 'server.js');

const SETUP_HINT = 'run `bash scripts/setup-e2e.sh` (npm test does it)';

/**
 * Why an editor's tests cannot run on this machine (scripts/setup-e2e.sh sets the two editors up
 * separately, and one of them may have failed), or false. A skip is loud: it is printed on stderr
 * and names the tool, in the form of test/requirements.ts ("needs WHAT: ..."). In CI (CI=true, see
 * test/requirements.ts) or with SH_E2E_REQUIRE_ALL=1 nothing is skipped: the test runs and fails with
 * requireFile's message instead.
 */
export function skipUnlessSetUp(editor: 'vscode' | 'neovim'): string | false {
  const tools =
    editor === 'vscode'
      ? [
          [CODE_SERVER, 'code-server 4.100.3'],
          [CHROMIUM, 'Debian chromium'],
        ]
      : [[NVIM, 'neovim']];
  const missing = tools.filter(([path]) => !existsSync(path!)).map(([path, what]) => `${what} (${path})`);
  if (missing.length === 0 || process.env.SH_E2E_REQUIRE_ALL === '1' || inCI()) return false;
  const reason = `needs ${missing.join(' and ')}: not installed; ${SETUP_HINT}, which says why it could not set it up`;
  process.stderr.write(`\n*** e2e ${editor}: ${reason} ***\n\n`);
  return reason;
}

/** Throws a clear error when something the tiers need is missing. */
export function requireFile(path: string, what: string, hint = SETUP_HINT): void {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: ${hint}`);
}

export function requireBuild(): void {
  for (const f of ['extension.js', 'server.js', 'test/index.js'])
    requireFile(join(ROOT, 'dist', f), `the bundle dist/${f}`, 'run `npm run build` first');
}

/** A bounded wait on a promise, with a message that says what was awaited. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface CodeServer {
  port: number;
  /** The temp folder of this run: workspace, user data, extensions, logs. */
  dir: string;
  workspace: string;
  /** Everything code-server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'editor.hover.delay': 100,
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'chat.commandCenter.enabled': false,
};

const live = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
// A test process that dies early must not leave code-server behind.
process.on('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
});

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server on a free port of 127.0.0.1 (the kernel picks it) with a fresh copy of a
 * workspace fixture folder (by default the one with nginx.service).
 */
export async function startCodeServer(
  name: string,
  env: Record<string, string> = {},
  fixture = WORKSPACE_FIXTURE,
): Promise<CodeServer> {
  requireFile(CODE_SERVER, 'code-server 4.100.3');
  const dir = mkdtempSync(join(tmpdir(), `sh-e2e-${name}-`));
  const workspace = join(dir, 'workspace');
  cpSync(fixture, workspace, { recursive: true });
  mkdirSync(join(dir, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(dir, 'user-data', 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  // Without --config, code-server writes ~/.config/code-server/config.yaml.
  writeFileSync(join(dir, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const args = [
    '--config',
    join(dir, 'config.yaml'),
    '--user-data-dir',
    join(dir, 'user-data'),
    '--extensions-dir',
    join(dir, 'extensions'),
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspace,
  ];
  const child = spawn(CODE_SERVER, args, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  live.add(child);
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const listening = new Promise<number>((resolveListening, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolveListening(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${out}`)),
    );
  });
  const stop = async (): Promise<void> => {
    if (!live.has(child)) return;
    killGroup(child, 'SIGTERM');
    await within(exited, 10_000, 'code-server to exit').catch(() => killGroup(child, 'SIGKILL'));
    // The extension host and the language server are in the same group: make sure none is left.
    const deadline = Date.now() + 5_000;
    while (child.pid !== undefined && groupAlive(child.pid) && Date.now() < deadline) {
      killGroup(child, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }
    live.delete(child);
  };
  let port: number;
  try {
    port = await within(listening, 60_000, 'code-server to listen');
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, dir, workspace, output: () => out, stop };
}

export async function launchBrowser(): Promise<Browser> {
  requireFile(CHROMIUM, 'Debian chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(60_000);
  return page;
}

/** The `payload` entries that load this repository folder as the extension under development (no VSIX). */
export function developmentPayload(cs: CodeServer, withTests: boolean): Array<[string, string]> {
  const remote = `vscode-remote://127.0.0.1:${cs.port}`;
  const payload: Array<[string, string]> = [['extensionDevelopmentPath', `${remote}${ROOT}`]];
  if (withTests) payload.push(['extensionTestsPath', `${remote}${join(ROOT, 'dist', 'test')}`]);
  payload.push(['skipWelcome', 'true']);
  return payload;
}

export function workbenchUrl(cs: CodeServer, payload?: Array<[string, string]>): string {
  let url = `http://127.0.0.1:${cs.port}/?folder=${encodeURIComponent(cs.workspace)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Folder for screenshots and logs of one tier (kept after the run, gitignored). */
export function artifacts(tier: string): string {
  const d = join(ARTIFACTS, tier);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

export interface ExtensionTestRun {
  exitCode: number;
  result: SuiteResult | null;
  /** Extension-host console lines (mocha's reporter among them). */
  log: string[];
  seconds: number;
}

/**
 * Runs dist/test/index.js in code-server's Node extension host, with this repository folder as the
 * extension under development (no VSIX): the workbench reads `extensionDevelopmentPath` and
 * `extensionTestsPath` from the `payload` parameter and calls `codeAutomationExit` when `run()` settles.
 */
export async function runExtensionTests(timeoutMs = 240_000): Promise<ExtensionTestRun> {
  requireBuild();
  const started = Date.now();
  const out = artifacts('extension-host');
  const resultFile = join(out, 'result.json');
  rmSync(resultFile, { force: true });
  const cs = await startCodeServer('exthost', { SH_E2E_RESULT: resultFile });
  const log: string[] = [];
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    browser = await launchBrowser();
    page = await newPage(browser);
    let exit: (code: number) => void = () => {};
    const exited = new Promise<number>((r) => (exit = r));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      log.push(
        `[${type}] ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`,
      );
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await page.goto(workbenchUrl(cs, developmentPayload(cs, true)));
    let exitCode: number;
    try {
      exitCode = await within(exited, timeoutMs, 'the extension tests to finish (codeAutomationExit)');
    } catch (e) {
      await page.screenshot({ path: join(out, 'timeout.png') }).catch(() => {});
      throw new Error(`${(e as Error).message}\nextension host log:\n${log.slice(-40).join('\n')}`);
    }
    await page.screenshot({ path: join(out, 'done.png') }).catch(() => {});
    const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) : null;
    return { exitCode, result, log, seconds: (Date.now() - started) / 1000 };
  } finally {
    writeFileSync(join(out, 'extension-host.log'), log.join('\n') + '\n');
    await browser?.close().catch(() => {});
    await cs.stop();
    writeFileSync(join(out, 'code-server.log'), cs.output());
    rmSync(cs.dir, { recursive: true, force: true });
  }
}
