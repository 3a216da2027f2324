/**
 * Tier "lsp": the protocol around the features. A stream whose framing is broken makes the server
 * say why on stderr and exit non-zero (it used to wait for ever, silent); requests before
 * `initialize` and after `shutdown` get the errors the protocol prescribes; `exit` ends the process
 * with 0 after `shutdown` and 1 without.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { SERVER_ENV } from '../../protocol/launch';
import { fileUri, LspServer, SERVER_JS } from './client';

/** Generous: the server gives up on a stalled body after 10 s; this only bounds a hang. */
const EXIT_BOUND_MS = 30_000;

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { processId: null, rootUri: null, capabilities: {} },
});

const BAD_FRAMES: Array<{ name: string; bytes: string; stderr: RegExp }> = [
  {
    name: 'Content-Length: abc',
    bytes: `Content-Length: abc\r\n\r\n${body}`,
    stderr: /malformed message.*Content-Length/,
  },
  { name: 'Content-Length: -5', bytes: `Content-Length: -5\r\n\r\n${body}`, stderr: /malformed message/ },
  {
    name: 'no Content-Length header',
    bytes: `Content-Type: application/vscode-jsonrpc\r\n\r\n${body}`,
    stderr: /malformed message.*Content-Length/,
  },
  { name: 'a header line without a colon', bytes: `Content-Length 12\r\n\r\n${body}`, stderr: /malformed message/ },
  {
    name: 'Content-Length shorter than the body',
    bytes: `Content-Length: 10\r\n\r\n${body}`,
    stderr: /malformed message/,
  },
  {
    name: 'Content-Length longer than the body',
    bytes: `Content-Length: ${body.length + 100}\r\n\r\n${body}`,
    stderr: /stopped short of its Content-Length/,
  },
];

function runWith(
  bytes: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [SERVER_JS, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...SERVER_ENV },
    });
    let stderr = '';
    let stdout = '';
    proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    proc.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), EXIT_BOUND_MS);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, stdout });
    });
    // The input stays open: the server must not need its end to notice.
    proc.stdin.write(bytes);
  });
}

for (const frame of BAD_FRAMES) {
  test(`malformed framing: ${frame.name} → a message on stderr and a non-zero exit`, async () => {
    const r = await runWith(frame.bytes);
    assert.equal(r.signal, null, `the server did not exit within ${EXIT_BOUND_MS / 1000} s (killed)`);
    assert.notEqual(r.code, 0, 'exit status');
    assert.match(r.stderr, frame.stderr);
    assert.equal(r.stdout, '', 'nothing on stdout but the protocol (no answer to a broken message)');
  });
}

const hover = (uri: string): unknown => ({ textDocument: { uri }, position: { line: 0, character: 0 } });

async function errorCode(p: Promise<unknown>): Promise<number | string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as { code?: number }).code ?? String(e);
  }
}

test('before initialize: a request gets -32002 (ServerNotInitialized), a notification is dropped', async () => {
  const server = LspServer.start();
  try {
    const uri = fileUri('/tmp/sh-lifecycle/early.service');
    assert.equal(await errorCode(server.request('textDocument/hover', hover(uri))), -32002);
    assert.equal(await errorCode(server.request('systemdHardening/exposure', { uri })), -32002);
    await server.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'systemd-unit', version: 1, text: '[Service]\nExecStart=/bin/true\n' },
    });
    await server.initialize('/tmp');
    // The didOpen was dropped: the document is unknown to the server.
    assert.equal(await server.request('systemdHardening/exposure', { uri }), null);
    assert.ok(!server.published.some((p) => p.uri === uri), 'diagnostics for a document opened before initialize');
  } finally {
    await server.stop();
  }
});

test('after shutdown: a request gets -32600 (InvalidRequest); exit then ends the process with 0', async () => {
  const server = LspServer.start();
  await server.initialize('/tmp');
  await server.request('shutdown', null);
  assert.equal(await errorCode(server.request('textDocument/hover', hover(fileUri('/tmp/late.service')))), -32600);
  await server.conn.sendNotification('exit');
  const exit = await server.exited();
  assert.deepEqual(exit, { code: 0, signal: null });
  server.conn.dispose();
});

test('exit without shutdown ends the process with 1', async () => {
  const server = LspServer.start();
  await server.initialize('/tmp');
  await server.conn.sendNotification('exit');
  const exit = await server.exited();
  assert.deepEqual(exit, { code: 1, signal: null });
  server.conn.dispose();
});
