/**
 * The "Unit Exposure" view's scan (`systemdHardening/workspaceUnits`) of a generated tree of 5,000
 * service units (50 folders of 100, every tenth with a drop-in, and two links back to the root that
 * a naive walk would loop through), on the built `dist/server.js` over stdio: the scan's time, and how
 * long the server keeps other requests waiting meanwhile, measured by hovers sent one after another
 * while the scan runs (the slowest answer is the longest stall of the event loop an editor would feel).
 * `node --import tsx bench/workspace.ts [path/to/server.js]`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER_ENV } from '../protocol/launch';
import { ROOT } from '../test/helpers';

const UNITS = 5000;

function generate(root: string): void {
  const settings = [
    'PrivateTmp=yes',
    'ProtectSystem=strict',
    'NoNewPrivileges=yes',
    'ProtectHome=yes',
    'PrivateDevices=yes',
    'RestrictRealtime=yes',
  ];
  for (let i = 0; i < UNITS; i++) {
    const dir = join(root, `group${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir);
    const body = [
      `[Unit]`,
      `Description=generated unit ${i}`,
      '',
      '[Service]',
      `ExecStart=/usr/bin/daemon-${i} --foreground`,
      ...settings.filter((_, k) => (i >> k) & 1),
    ];
    writeFileSync(join(dir, `unit-${i}.service`), body.join('\n') + '\n');
    if (i % 10 === 0) {
      mkdirSync(join(dir, `unit-${i}.service.d`));
      writeFileSync(join(dir, `unit-${i}.service.d`, 'override.conf'), '[Service]\nPrivateNetwork=yes\n');
    }
  }
  symlinkSync('.', join(root, 'a'));
  symlinkSync('.', join(root, 'b'));
}

async function main(): Promise<void> {
  const server = process.argv[2] ?? join(ROOT, 'dist', 'server.js');
  const root = mkdtempSync(join(tmpdir(), 'sh-bench-ws-'));
  try {
    generate(root);
    const proc = spawn(process.execPath, [server, '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...SERVER_ENV },
    });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification(() => {});
    conn.onRequest(() => null);
    conn.listen();
    const rootUri = pathToFileURL(root).href;
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {},
      initializationOptions: { settings: { debounceMs: 0 } },
    });
    await conn.sendNotification('initialized', {});
    const uri = `${rootUri}/group0/unit-1.service`;
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'systemd-unit',
        version: 1,
        text: '[Service]\nExecStart=/usr/bin/daemon-1\nPrivateTmp=yes\n',
      },
    });
    const hover = (): Promise<unknown> =>
      conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } });
    await hover();
    const idle: number[] = [];
    for (let i = 0; i < 50; i++) {
      const h0 = performance.now();
      await hover();
      idle.push(performance.now() - h0);
    }
    idle.sort((a, b) => a - b);

    let done = false;
    const t0 = performance.now();
    const scan = conn
      .sendRequest<{ units: Array<{ unit: string }>; truncated?: string }>('systemdHardening/workspaceUnits', {})
      .then((r) => {
        done = true;
        return r;
      });
    const waits: number[] = [];
    while (!done) {
      const h0 = performance.now();
      await hover();
      // A hover sent before the scan ended counts even when its answer came after.
      waits.push(performance.now() - h0);
      await new Promise((r) => setTimeout(r, 2));
    }
    const r = await scan;
    const ms = performance.now() - t0;
    const sorted = [...waits].sort((a, b) => a - b);
    const worst = sorted.length ? sorted[sorted.length - 1]! : NaN;
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
    process.stdout.write(
      `workspace scan of ${UNITS.toLocaleString('en')} units (with 'a -> .' and 'b -> .' links): ${r.units.length} listed (${new Set(r.units.map((u) => u.unit)).size} different units) in ${(ms / 1000).toFixed(2)} s${r.truncated ? ` (${r.truncated})` : ''}; ` +
        `${waits.length} hovers answered during it, median ${median.toFixed(1)} ms, the slowest in ${worst.toFixed(1)} ms (the longest the scan kept a request waiting); the same hover without a scan: median ${idle[25]!.toFixed(1)} ms\n`,
    );
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    conn.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
