/**
 * Tier "lsp": `systemdHardening.systemdVersion: "auto"`. The server works the version out from this
 * machine's files (the same reads and judgement as the CLI's `--systemd-version auto`), logs what it
 * found with window/logMessage, scores with it, and sends the target with exposureChanged for the
 * status bar; with a fixed version the target is that version.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileUri, LspServer } from './client';
import { readSystemdFiles } from '../../server/src/io/systemd-version';
import { autoTarget, DEFAULT_VERSION } from '../../server/src/service';

const tmp = mkdtempSync(join(tmpdir(), 'sh-lsp-auto-'));
const servers: LspServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Changed {
  uri: string;
  exposure: number | null;
  target?: string;
}

async function run(systemdVersion: string): Promise<{ s: LspServer; changed: Changed }> {
  const s = LspServer.start();
  servers.push(s);
  s.settings = { systemdVersion };
  const seen: Changed[] = [];
  s.conn.onNotification('systemdHardening/exposureChanged', (e: Changed) => {
    seen.push(e);
  });
  await s.initialize(tmp, { initializationOptions: { settings: { systemdVersion } } });
  const uri = fileUri(join(tmp, `auto-${systemdVersion}.service`));
  await s.open(uri, '[Service]\nExecStart=/bin/true\nPrivateTmp=yes\n');
  await s.diagnostics(uri, () => true, `diagnostics of ${uri}`);
  const changed = await s.waitFor(() => seen.find((e) => e.uri === uri), 'exposureChanged');
  return { s, changed };
}

test('auto: the server logs what it found on this machine and sends the target for the status bar', async () => {
  const want = autoTarget(readSystemdFiles(), DEFAULT_VERSION);
  const { s, changed } = await run('auto');
  const logged = await s.waitFor(
    () => s.logs.find((l) => l.method === 'window/logMessage' && l.message.startsWith('auto: ')),
    'the auto log line',
  );
  assert.equal(logged.message, want.message);
  const startup = await s.waitFor(
    () => s.logs.find((l) => l.method === 'window/logMessage' && /language server/.test(l.message)),
    'the start-up log line',
  );
  assert.match(startup.message, new RegExp(`: systemd ${want.label.replace(/[()]/g, '\\$&')}, workspace`));
  assert.equal(changed.target, want.label);

  // The figures are those of the version auto chose.
  const { changed: fixed } = await run(String(want.version));
  assert.equal(fixed.target, String(want.version));
  assert.equal(changed.exposure, fixed.exposure);
  assert.equal(s.logs.filter((l) => l.message.startsWith('auto: ')).length, 1, 'worked out once');
});

test('a fixed version is the target as it is, and nothing is detected', async () => {
  const { s, changed } = await run('262');
  assert.equal(changed.target, '262');
  assert.equal(s.logs.filter((l) => l.message.startsWith('auto: ')).length, 0);
});
