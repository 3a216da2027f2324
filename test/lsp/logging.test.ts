/**
 * Tier "lsp": what the server logs. At start-up (window/logMessage) its version, node's and the
 * target systemd version; each analysis's time as a trace (`$/logTrace`) only while the client's
 * trace setting (`initialize`'s `trace`, then `$/setTrace`) is on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileUri, LspServer } from './client';
import { version } from '../../package.json';

const tmp = mkdtempSync(join(tmpdir(), 'sh-lsp-log-'));
let server: LspServer | undefined;

after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const traces = (s: LspServer): string[] => s.logs.filter((l) => l.method === '$/logTrace').map((l) => l.message);

test('start-up is logged; analyses are traced only while trace is on', async () => {
  server = LspServer.start();
  const s = server;
  await s.initialize(tmp, { trace: 'off' });
  const startup = await s.waitFor(
    () => s.logs.find((l) => l.method === 'window/logMessage' && /language server/.test(l.message)),
    'the start-up log line',
  );
  assert.ok(startup.message.includes(version), startup.message);
  assert.ok(startup.message.includes(`node ${process.version}`), startup.message);
  assert.match(startup.message, /systemd 252/);

  const uri = fileUri(join(tmp, 'a.service'));
  await s.open(uri, '[Service]\nExecStart=/bin/true\n');
  await s.diagnostics(uri, () => true, 'diagnostics of a.service');
  assert.deepEqual(traces(s), [], 'no trace while trace is off');

  await s.conn.sendNotification('$/setTrace', { value: 'verbose' });
  const mark = s.mark();
  await s.change(uri, '[Service]\nExecStart=/bin/true\nPrivateTmp=yes\n');
  await s.diagnostics(uri, () => true, 'diagnostics after the change', mark);
  const t = await s.waitFor(
    () => traces(s).find((m) => /^analysed a\.service .* in \d+\.\d ms$/.test(m)),
    'an analysis trace',
  );
  assert.ok(t);

  await s.conn.sendNotification('$/setTrace', { value: 'off' });
  const before = traces(s).length;
  const mark2 = s.mark();
  await s.change(uri, '[Service]\nExecStart=/bin/true\n');
  await s.diagnostics(uri, () => true, 'diagnostics after the second change', mark2);
  assert.equal(traces(s).length, before, 'no trace after trace was turned off');
});
