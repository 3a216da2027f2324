/**
 * `score --root DIR`: links are followed inside DIR as systemd does with --root (absolute targets
 * start at DIR, `..` never leaves it), held to the real systemd-analyze 252; and every read under
 * DIR is handled like a read in file mode (a diagnostic, exit 2, the other units still scored).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveUnderRoot } from '../../server/src/cli/root-path';
import { need } from '../requirements';
import { cliIn, oracleExposure, oracleUnit, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-root-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const empty = join(tmp, 'empty');
mkdirSync(empty);

interface Row {
  file: string;
  unit: string;
  exposure: number | null;
}

// A name no host has, so a read that escaped the root would find nothing.
const REAL = 'shtest-redis-server.service';
const root = join(tmp, 'root');
const w = (rel: string, text: string): string => writeUnder(root, rel, text);
w(`lib/systemd/system/${REAL}`, '[Service]\nExecStart=/usr/bin/redis-server\n');
mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
// An alias whose absolute target is inside the root only.
symlinkSync(`/lib/systemd/system/${REAL}`, join(root, 'etc/systemd/system/shtest-redis.service'));
// A drop-in linked by a relative path inside the root (systemd-analyze --root follows that one inside the root too).
w('srv/conf/devices.conf', '[Service]\nPrivateDevices=yes\n');
mkdirSync(join(root, `etc/systemd/system/${REAL}.d`));
symlinkSync('../../../../srv/conf/devices.conf', join(root, `etc/systemd/system/${REAL}.d/05-devices.conf`));
// Absolute drop-in links, a relative one that climbs above the root, and a drop-in folder that is a
// link: resolved inside the root. (systemd-analyze 252-262 --root opens drop-ins through links on the
// host instead, and ignores a linked drop-in folder: there we keep to what the system in the root
// would load, and do not compare.)
w('srv/conf/hardening.conf', '[Service]\nDynamicUser=yes\n');
w('srv/conf/net.conf', '[Service]\nPrivateNetwork=yes\n');
const root2 = join(tmp, 'root2');
const w2 = (rel: string, text: string): string => writeUnder(root2, rel, text);
w2(`lib/systemd/system/${REAL}`, '[Service]\nExecStart=/usr/bin/redis-server\n');
w2('srv/conf/hardening.conf', '[Service]\nDynamicUser=yes\n');
w2('srv/conf/net.conf', '[Service]\nPrivateNetwork=yes\n');
w2('srv/dropins/30-devices.conf', '[Service]\nPrivateDevices=yes\n');
mkdirSync(join(root2, `etc/systemd/system/${REAL}.d`), { recursive: true });
symlinkSync('/srv/conf/hardening.conf', join(root2, `etc/systemd/system/${REAL}.d/10-hardening.conf`));
symlinkSync('../../../../../../../../../../srv/conf/net.conf', join(root2, `etc/systemd/system/${REAL}.d/20-net.conf`));
symlinkSync(`/lib/systemd/system/${REAL}`, join(root2, 'etc/systemd/system/shtest-redis.service'));
symlinkSync('/srv/dropins', join(root2, 'etc/systemd/system/shtest-redis.service.d'));

test('root paths: resolved component by component with the root as "/", never above it, with a bound on hops', () => {
  const r = resolveUnderRoot(root2, `/etc/systemd/system/${REAL}.d/20-net.conf`);
  assert.ok(r.ok);
  assert.equal(r.inRoot, '/srv/conf/net.conf');
  assert.equal(r.host, join(root2, 'srv/conf/net.conf'));
  assert.equal(
    (resolveUnderRoot(root, '/../../../srv/conf/../conf/hardening.conf') as { inRoot: string }).inRoot,
    '/srv/conf/hardening.conf',
  );
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('/loop-a', join(root, 'loop-b'));
  const loop = resolveUnderRoot(root, '/loop-a');
  assert.ok(!loop.ok && loop.code === 'ELOOP');
  const missing = resolveUnderRoot(root, '/srv/nope');
  assert.ok(!missing.ok && missing.code === 'ENOENT');
  const notDir = resolveUnderRoot(root, '/srv/conf/net.conf/x');
  assert.ok(!notDir.ok && notDir.code === 'ENOTDIR');
});

test('score --root: an absolute alias link and a linked drop-in resolve inside the root, as systemd-analyze --root does', (t) => {
  const r = cliIn(empty, ['score', '--format', 'json', '--root', root, 'shtest-redis.service', REAL]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Row[];
  assert.deepEqual(
    rows.map((x) => [x.file, x.unit]),
    [
      [`/lib/systemd/system/${REAL}`, REAL],
      [`/lib/systemd/system/${REAL}`, REAL],
    ],
  );
  assert.equal(rows[0]!.exposure, rows[1]!.exposure);
  // The same unit file alone, in a folder that is not one of systemd's unit folders (a unit file in
  // the tree's lib/systemd/system would get the tree's drop-ins, see paths.test.ts).
  const alone = writeUnder(tmp, `alone/${REAL}`, '[Service]\nExecStart=/usr/bin/redis-server\n');
  const bare = JSON.parse(cliIn(empty, ['score', '--format', 'json', alone]).stdout) as Row[];
  assert.ok(rows[0]!.exposure! < bare[0]!.exposure!, 'the linked drop-in applies');
  if (!need(t, 'systemd-analyze 252')) return;
  for (const name of ['shtest-redis.service', REAL]) {
    assert.equal(rows[0]!.exposure?.toFixed(1), oracleExposure([`--root=${root}`, name], empty), name);
    assert.equal(rows[0]!.unit, oracleUnit([`--root=${root}`, name], empty), name);
  }
});

test('score --root: absolute drop-in links, links climbing above the root and linked drop-in folders all resolve inside the root', () => {
  const rows = (name: string): Row[] =>
    JSON.parse(cliIn(empty, ['score', '--format', 'json', '--root', root2, name]).stdout) as Row[];
  const r = rows('shtest-redis.service')[0]!;
  assert.equal(r.unit, REAL);
  // The same unit with the same drop-ins copied as plain files into one folder.
  const flat = join(tmp, 'flat');
  writeUnder(flat, REAL, '[Service]\nExecStart=/usr/bin/redis-server\n');
  writeUnder(flat, `${REAL}.d/10-hardening.conf`, '[Service]\nDynamicUser=yes\n');
  writeUnder(flat, `${REAL}.d/20-net.conf`, '[Service]\nPrivateNetwork=yes\n');
  writeUnder(flat, `${REAL}.d/30-devices.conf`, '[Service]\nPrivateDevices=yes\n');
  const expected = JSON.parse(cliIn(empty, ['score', '--format', 'json', join(flat, REAL)]).stdout) as Row[];
  assert.equal(r.exposure, expected[0]!.exposure);
  assert.deepEqual(rows(REAL)[0]!.exposure, r.exposure, 'the alias folder counts when scored by the real name too');
});

test('score --root: a drop-in that cannot be read (a socket, a link loop) is reported, the JSON stays valid and the other units are scored', async () => {
  const r2 = join(tmp, 'root3');
  writeUnder(r2, 'etc/systemd/system/x.service', '[Service]\nExecStart=/bin/true\n');
  writeUnder(r2, 'etc/systemd/system/y.service', '[Service]\nExecStart=/bin/true\n');
  writeUnder(r2, 'etc/systemd/system/x.service.d/10-ok.conf', '[Service]\nPrivateNetwork=yes\n');
  symlinkSync('40-loop.conf', join(r2, 'etc/systemd/system/x.service.d/30-loop.conf'));
  symlinkSync('/etc/systemd/system/x.service.d/30-loop.conf', join(r2, 'etc/systemd/system/x.service.d/40-loop.conf'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(r2, 'etc/systemd/system/x.service.d/20-sock.conf'), resolve));
  try {
    const r = cliIn(empty, ['score', '--format', 'json', '--root', r2, 'x.service', 'missing.service', 'y.service']);
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stderr, /LoadError|\n\s+at /, 'no stack trace');
    assert.match(r.stderr, /cannot read drop-in \S+\/x\.service\.d\/20-sock\.conf: a socket, not a regular file/);
    assert.match(r.stderr, /cannot read drop-in \S+\/x\.service\.d\/30-loop\.conf: more than 40 symbolic links/);
    assert.match(r.stderr, /unit missing\.service not found under /);
    const rows = JSON.parse(r.stdout) as Row[];
    assert.deepEqual(
      rows.map((x) => x.unit),
      ['x.service', 'y.service'],
    );
    assert.ok(rows[0]!.exposure! < rows[1]!.exposure!, '10-ok.conf still applies');
  } finally {
    server.close();
  }
});
