/**
 * The CLI and user units: a file in a user unit folder is scored as a user unit (with the drop-ins of
 * the user search path), --user and --system say it instead, and with --root a name is looked up along
 * the user search path under the root. Also the 239–246 lookup of bare command names under --root.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-user-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string): string => writeUnder(tmp, rel, text);

interface Out {
  unit: string;
  exposure: number | null;
  error?: string;
  checks: { json_field: string; set: boolean | null; systemd_description: string }[];
}

function score(...args: string[]): { status: number | null; out: Out[]; stderr: string } {
  const r = cli('score', '--format', 'json', ...args);
  return { status: r.status, out: r.stdout ? (JSON.parse(r.stdout) as Out[]) : [], stderr: r.stderr };
}

const plain = '[Service]\nExecStart=/bin/true\n';
const inHome = write('home/a/.config/systemd/user/app.service', plain);
const elsewhere = write('work/app.service', plain);

test('a unit in ~/.config/systemd/user is a user unit; --system scores it as a system unit', () => {
  // Measured with the real 262: 9.2 with --user, 9.4 without (scoring-by-version.md §7).
  const user = score('--systemd-version', '262', inHome);
  assert.equal(user.status, 0, user.stderr);
  assert.equal(user.out[0]!.exposure, 9.2);
  const row = user.out[0]!.checks.find((c) => c.json_field === 'UserOrDynamicUser')!;
  assert.equal(row.systemd_description, "Service runs under the calling user's identity");
  assert.equal(score('--systemd-version', '262', '--system', inHome).out[0]!.exposure, 9.4);
  assert.equal(score('--systemd-version', '262', elsewhere).out[0]!.exposure, 9.4);
  assert.equal(score('--systemd-version', '262', '--user', elsewhere).out[0]!.exposure, 9.2);
  assert.equal(score('--systemd-version', '252', '--user', elsewhere).out[0]!.exposure, 9.8);
});

test('--user and --system together are a usage error', () => {
  const r = cli('score', '--user', '--system', elsewhere);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--user and --system exclude each other/);
});

test('with --root and --user a name is found along the user search path, with its drop-ins', () => {
  const root = join(tmp, 'img');
  writeUnder(root, 'usr/lib/systemd/user/agent.service', plain);
  writeUnder(root, 'etc/systemd/user/agent.service.d/10-user.conf', '[Service]\nUser=agent\n');
  writeUnder(root, 'usr/lib/systemd/system/agent.service', '[Service]\nExecStart=/bin/false\n');
  const r = score('--systemd-version', '257', '--root', root, '--user', 'agent.service');
  assert.equal(r.status, 0, r.stderr);
  const row = r.out[0]!.checks.find((c) => c.json_field === 'UserOrDynamicUser')!;
  assert.equal(row.systemd_description, 'Service runs under a static non-root user identity');
  const sys = score('--systemd-version', '257', '--root', root, 'agent.service');
  assert.equal(sys.out[0]!.checks.find((c) => c.json_field === 'UserOrDynamicUser')!.set, false);
  // A file given by path in a user folder of a tree finds the tree's user drop-ins too.
  const byPath = score('--systemd-version', '257', join(root, 'usr/lib/systemd/user/agent.service'));
  assert.equal(byPath.out[0]!.checks.find((c) => c.json_field === 'UserOrDynamicUser')!.set, true);
});

test('DynamicUser= in a user unit: refused by 257, scored by 254', () => {
  const f = write('home/b/.config/systemd/user/dyn.service', `${plain}DynamicUser=yes\n`);
  const r257 = score('--systemd-version', '257', f);
  assert.equal(r257.status, 1);
  assert.match(r257.stderr, /DynamicUser= enabled for user unit/);
  assert.equal(score('--systemd-version', '254', f).out[0]!.exposure, 8.4);
});

test('239 looks a bare command name up in DEFAULT_PATH under --root when it loads the unit', () => {
  const root = join(tmp, 'old');
  writeUnder(root, 'usr/lib/systemd/system/tool.service', '[Service]\nExecStart=mytool --run\n');
  const missing = score('--systemd-version', '239', '--root', root, 'tool.service');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /Executable "mytool" not found in path/);
  writeUnder(root, 'usr/bin/mytool', '#!/bin/sh\n');
  assert.equal(score('--systemd-version', '239', '--root', root, 'tool.service').status, 0);
  // 247 looks it up only when it runs it.
  rmSync(join(root, 'usr/bin/mytool'));
  assert.equal(score('--systemd-version', '247', '--root', root, 'tool.service').status, 0);
});
