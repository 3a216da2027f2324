/**
 * The extension manifest (package.json) against the files and code it names: the icons exist and
 * are shipped (.vscodeignore is an allowlist), the view has its own container and a welcome text,
 * every contributed command is registered by the client, and the trace setting has the id the
 * language client reads.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const clientSource = readdirSync(join(ROOT, 'client', 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(ROOT, 'client', 'src', f), 'utf8'))
  .join('\n');
const allowlist = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('!'))
  .map((l) => l.slice(1).trim());

function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  assert.equal(b.subarray(1, 4).toString('ascii'), 'PNG', `${path} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('the extension icon is a 128x128 PNG that the VSIX ships', () => {
  assert.equal(typeof manifest.icon, 'string');
  assert.deepEqual(pngSize(join(ROOT, manifest.icon)), { width: 128, height: 128 });
  assert.ok(allowlist.includes(manifest.icon), `.vscodeignore does not let ${manifest.icon} through`);
  assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
  assert.deepEqual(manifest.categories, ['Programming Languages', 'Linters']);
});

test('the Unit Exposure view sits in its own activity-bar container with a shipped SVG icon', () => {
  const containers = contributes.viewsContainers?.activitybar ?? [];
  const views = Object.entries(contributes.views as Record<string, Array<{ id: string }>>);
  const [containerId] = views.find(([, list]) => list.some((v) => v.id === 'systemdHardening.units')) ?? [];
  assert.ok(containerId && containerId !== 'explorer', `the view is in '${containerId}'`);
  const container = containers.find((c: { id: string }) => c.id === containerId);
  assert.ok(container, `no activity-bar container '${containerId}'`);
  assert.match(container.icon, /\.svg$/);
  assert.ok(existsSync(join(ROOT, container.icon)), `${container.icon} is missing`);
  assert.ok(allowlist.includes(container.icon), `.vscodeignore does not let ${container.icon} through`);
  assert.match(readFileSync(join(ROOT, container.icon), 'utf8'), /^<svg [^>]*viewBox="0 0 24 24"/);
});

test('the view has a welcome text for a workspace without service units', () => {
  const welcome = (contributes.viewsWelcome ?? []).find((w: { view: string }) => w.view === 'systemdHardening.units');
  assert.ok(welcome, 'no viewsWelcome entry for systemdHardening.units');
  assert.match(welcome.contents, /^No service units in this workspace\./);
});

test('every contributed command is registered by the client, and every menu entry names a contributed command', () => {
  const ids = (contributes.commands as Array<{ command: string }>).map((c) => c.command);
  for (const id of ids)
    assert.ok(clientSource.includes(`registerCommand('${id}'`), `${id} is contributed but not registered`);
  for (const id of ['systemdHardening.restartServer', 'systemdHardening.showCheckTable'])
    assert.ok(ids.includes(id), `${id} is not contributed`);
  for (const [menu, entries] of Object.entries(contributes.menus as Record<string, Array<{ command: string }>>)) {
    for (const e of entries)
      assert.ok(ids.includes(e.command), `menu ${menu} names ${e.command}, which is not contributed`);
  }
});

test('systemdHardening.trace.server is the setting the language client with id systemdHardening reads', () => {
  const setting = contributes.configuration.properties['systemdHardening.trace.server'];
  assert.ok(setting, 'no systemdHardening.trace.server setting');
  assert.deepEqual(setting.enum, ['off', 'messages', 'verbose']);
  assert.equal(setting.default, 'off');
  assert.match(clientSource, /new LanguageClient\('systemdHardening',/);
});
