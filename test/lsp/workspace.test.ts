/**
 * Tier "lsp": the `systemdHardening/workspaceUnits` scan of the "Unit Exposure" view. Folder links
 * that loop (`a -> .`, `b -> .`) list each unit once and do not hang the server; a link to /proc is
 * not entered; a unit reached by two paths is listed once. The scan leaves the server responsive
 * (a hover sent after it starts is answered before it ends), stops when cancelled, and reports
 * progress on the request's work-done token.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { fileUri, LspServer } from './client';

const WORKSPACE_UNITS = 'systemdHardening/workspaceUnits';

interface Result {
  units: Array<{ uri: string; unit: string; exposure: number | null }>;
  truncated?: string;
}

const tmps: string[] = [];
const servers: LspServer[] = [];

function tree(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tmps.push(dir);
  return dir;
}

async function serverFor(root: string, extra: Record<string, unknown> = {}): Promise<LspServer> {
  const s = LspServer.start();
  servers.push(s);
  await s.initialize(root, extra);
  return s;
}

const unitText = (i: number): string =>
  `[Unit]\nDescription=unit ${i}\n\n[Service]\nExecStart=/usr/bin/u${i}\n${i % 2 ? 'PrivateTmp=yes\n' : ''}${i % 3 ? 'ProtectSystem=strict\n' : ''}`;

/** `count` units in folders of 100. */
function manyUnits(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = join(root, `group${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `u${i}.service`), unitText(i));
  }
}

let big: string;

before(() => {
  big = tree('sh-lsp-ws-big-');
  manyUnits(big, 1500);
});

after(async () => {
  for (const s of servers) await s.stop();
  for (const d of tmps) rmSync(d, { recursive: true, force: true });
});

test('looping folder links list each unit once; a link to /proc is not entered; a unit linked twice is listed once', async () => {
  const root = tree('sh-lsp-ws-loop-');
  manyUnits(root, 3);
  symlinkSync('.', join(root, 'a'));
  symlinkSync('.', join(root, 'b'));
  symlinkSync('..', join(root, 'group0', 'up'));
  symlinkSync('/proc', join(root, 'proc'));
  symlinkSync(join(root, 'group0', 'u1.service'), join(root, 'alias.service'));
  const server = await serverFor(root);
  const r = await server.request<Result>(WORKSPACE_UNITS, {}, 60_000);
  const names = r.units.map((u) => u.unit).sort();
  assert.deepEqual(names, ['u0.service', 'u1.service', 'u2.service'], JSON.stringify(names.slice(0, 10)));
  assert.equal(r.truncated, undefined);
});

test('a hover sent while the scan runs is answered before the scan ends', async () => {
  const server = await serverFor(big);
  const uri = fileUri(join(big, 'group0', 'u0.service'));
  await server.open(uri, unitText(0));
  await server.diagnostics(uri, () => true, 'diagnostics of u0.service');
  const order: string[] = [];
  const scan = server.request<Result>(WORKSPACE_UNITS, {}, 120_000).then((r) => {
    order.push('scan');
    return r;
  });
  // Sent right behind the scan request: a scan that kept the event loop would answer it only afterwards.
  const hover = server
    .request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 2 } }, 120_000)
    .then(() => order.push('hover'));
  const [r] = await Promise.all([scan, hover]);
  assert.deepEqual(order, ['hover', 'scan']);
  assert.equal(r.units.length, 1500);
});

test('a cancelled scan stops and answers RequestCancelled (-32800)', async () => {
  const server = await serverFor(big);
  const source = new CancellationTokenSource();
  const scan = server.conn.sendRequest<Result>(WORKSPACE_UNITS, {}, source.token).then(
    () => 'answered',
    (e: { code?: number }) => e.code,
  );
  // Cancel once the scan has surely started: a request behind it has been answered.
  await server.request(
    'textDocument/hover',
    { textDocument: { uri: fileUri(join(big, 'none.service')) }, position: { line: 0, character: 0 } },
    120_000,
  );
  source.cancel();
  assert.equal(await scan, -32800);
});

test("progress: begin, reports and end on the request's work-done token", async () => {
  const server = await serverFor(big);
  const r = await server.request<Result>(WORKSPACE_UNITS, { workDoneToken: 'scan-1' }, 120_000);
  assert.equal(r.units.length, 1500);
  await server.waitFor(
    () => (server.progress.some((p) => p.token === 'scan-1' && p.value.kind === 'end') ? true : undefined),
    'the end of progress',
  );
  const kinds = server.progress.filter((p) => p.token === 'scan-1').map((p) => p.value.kind);
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds[kinds.length - 1], 'end');
  assert.ok(kinds.filter((k) => k === 'report').length >= 2, `progress: ${kinds.join(' ')}`);
});

test('progress: a client that supports window/workDoneProgress gets progress on a token the server creates', async () => {
  const server = await serverFor(big, { capabilities: { window: { workDoneProgress: true } } });
  const r = await server.request<Result>(WORKSPACE_UNITS, {}, 120_000);
  assert.equal(r.units.length, 1500);
  assert.equal(server.progressTokens.length, 1, 'one window/workDoneProgress/create');
  const token = server.progressTokens[0]!;
  await server.waitFor(
    () => (server.progress.some((p) => p.token === token && p.value.kind === 'end') ? true : undefined),
    'the end of progress',
  );
  const kinds = server.progress.filter((p) => p.token === token).map((p) => p.value.kind);
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds[kinds.length - 1], 'end');
});
