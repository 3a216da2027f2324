/**
 * `npm run bench`, start-up part: what a fresh process of the built CLI and language server costs before and
 * while it answers once. Numbers, not assertions.
 *   cli score, one unit: `systemd-hardening score --format json UNIT`, whole process (load, read, score, print).
 *   cli --help: the same process that only loads the bundle and prints the usage.
 *   server initialize: from spawning dist/server.js --stdio to its answer to `initialize`.
 * With valgrind on the PATH it also prints the instructions callgrind counts for each (deterministic, unlike the
 * times on a shared machine; about 15 s each). BENCH_INSTRUCTIONS=0 leaves them out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SERVER_ENV } from '../protocol/launch';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER = join(ROOT, 'dist', 'server.js');
const UNIT = join(ROOT, '..', 'shared', 'corpus', 'units', 'acct', 'lib', 'systemd', 'system', 'acct.service');
const RUNS = 11;

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function framed(messages: object[]): string {
  return messages
    .map((m) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...m });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    })
    .join('');
}

const INITIALIZE = { id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
/** initialize, then shutdown and exit: the whole life of a server that answers once. */
const SESSION = framed([
  INITIALIZE,
  { method: 'initialized', params: {} },
  { id: 2, method: 'shutdown' },
  { method: 'exit' },
]);

function cliMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio: 'ignore' });
  if (r.error) throw r.error;
  return performance.now() - t0;
}

/** Milliseconds from spawning the server to the first bytes of its answer to initialize. */
function serverMs(): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, ...SERVER_ENV },
    });
    let answered = false;
    proc.stdout.on('data', () => {
      if (answered) return;
      answered = true;
      const ms = performance.now() - t0;
      proc.stdin.end(framed([{ id: 2, method: 'shutdown' }, { method: 'exit' }]));
      proc.once('exit', () => done(ms));
    });
    proc.once('error', fail);
    proc.stdin.write(framed([INITIALIZE]));
  });
}

/** Instructions callgrind counts for one run of node with these arguments (and this text on its stdin). */
function instructions(args: string[], stdinText = '', env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sh-bench-startup-'));
  try {
    const r = spawnSync(
      'valgrind',
      ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out')}`, process.execPath, ...args],
      { input: stdinText, stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, ...env } },
    );
    const refs = /I\s+refs:\s+([\d,]+)/.exec(r.stderr?.toString() ?? '');
    return refs ? `${(Number(refs[1]!.replace(/,/g, '')) / 1e9).toFixed(3)}e9 instructions` : 'not counted';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void (async () => {
  const lines: string[] = [];
  if (!existsSync(CLI) || !existsSync(SERVER)) lines.push('start-up: skipped (run npm run build)');
  else if (!existsSync(UNIT)) lines.push(`start-up: skipped (no ${UNIT})`);
  else {
    const score = ['score', '--format', 'json', UNIT];
    const scoreMs = median(Array.from({ length: RUNS }, () => cliMs(score)));
    const helpMs = median(Array.from({ length: RUNS }, () => cliMs(['--help'])));
    const initMs: number[] = [];
    for (let i = 0; i < RUNS; i++) initMs.push(await serverMs());
    const counted =
      process.env.BENCH_INSTRUCTIONS !== '0' && spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
    const count = (args: string[], stdinText?: string, env?: Record<string, string>): string =>
      counted ? `; ${instructions(args, stdinText, env)}` : '';
    lines.push(`start-up (median of ${RUNS} runs, whole process):`);
    lines.push(`  cli score, one unit (acct.service): ${scoreMs.toFixed(0)} ms${count([CLI, ...score])}`);
    lines.push(`  cli --help (load only):             ${helpMs.toFixed(0)} ms${count([CLI, '--help'])}`);
    lines.push(
      `  server initialize:                  ${median(initMs).toFixed(0)} ms${count([SERVER, '--stdio'], SESSION, { ...SERVER_ENV })}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
})();
