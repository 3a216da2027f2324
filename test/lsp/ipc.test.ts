/**
 * Tier "lsp": the server over node IPC (`--node-ipc`), as the VS Code client starts it: it answers
 * initialize and publishes diagnostics, and ends with 0 after shutdown and exit.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER_ENV } from '../../protocol/launch';
import { SERVER_JS } from './client';

test('over node IPC: initialize, diagnostics, shutdown and exit 0', async () => {
  const child = fork(SERVER_JS, ['--node-ipc'], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...SERVER_ENV },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const published = new Promise<{ uri: string; diagnostics: unknown[] }>((resolve) =>
    conn.onNotification('textDocument/publishDiagnostics', resolve),
  );
  conn.onNotification(() => {});
  conn.listen();
  try {
    const init = await conn.sendRequest<{ capabilities: { hoverProvider?: boolean } }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    });
    assert.equal(init.capabilities.hoverProvider, true);
    await conn.sendNotification('initialized', {});
    const uri = 'file:///tmp/sh-ipc/a.service';
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'systemd-unit', version: 1, text: '[Service]\nExecStart=/bin/true\nFoo=bar\n' },
    });
    const p = await published;
    assert.equal(p.uri, uri);
    assert.ok(p.diagnostics.length > 0);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    clearTimeout(kill);
    conn.dispose();
  }
});
