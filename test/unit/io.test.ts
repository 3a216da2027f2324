// The adapters' disk access against hostile disks: FIFOs, devices, kernel files, sockets, huge and
// sparse files, and folder link loops. Each case would block, hang or grow without bound if read naively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FILE_BYTES, readRegularFile } from '../../server/src/io/read-file';
import { walkTree } from '../../server/src/io/walk';

const dir = mkdtempSync(join(tmpdir(), 'sh-io-'));

test('a regular file is read whole', () => {
  writeFileSync(join(dir, 'a.service'), '[Service]\nExecStart=/bin/true\n');
  const r = readRegularFile(join(dir, 'a.service'));
  assert.ok(r.ok);
  assert.equal(r.bytes.toString(), '[Service]\nExecStart=/bin/true\n');
});

test('missing files and dangling links are "missing"', () => {
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.conf'));
  for (const p of [join(dir, 'nope.service'), join(dir, 'dangling.conf')]) {
    const r = readRegularFile(p);
    assert.ok(!r.ok && r.failure === 'missing', p);
  }
});

test('a FIFO is refused without opening it (an open would block)', () => {
  execFileSync('mkfifo', [join(dir, 'fifo.conf')]);
  const r = readRegularFile(join(dir, 'fifo.conf'));
  assert.ok(!r.ok && r.failure === 'not-regular');
  assert.match(r.reason, /FIFO/);
});

test('links to /dev/zero, /dev/urandom and /proc/kmsg are refused', () => {
  for (const target of ['/dev/zero', '/dev/urandom', '/proc/kmsg', '/proc/self/status']) {
    const link = join(dir, `to-${target.replace(/\//g, '_')}.conf`);
    symlinkSync(target, link);
    const r = readRegularFile(link);
    assert.ok(!r.ok, target);
    assert.ok(r.failure === 'not-regular' || r.failure === 'pseudo-file', `${target}: ${r.failure}`);
  }
});

test('a socket is refused', async () => {
  const path = join(dir, 'sock.conf');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const r = readRegularFile(path);
    assert.ok(!r.ok && r.failure === 'not-regular');
    assert.match(r.reason, /socket/);
  } finally {
    server.close();
  }
});

test('a sparse file over the limit is refused without reading it', () => {
  const path = join(dir, 'sparse.conf');
  writeFileSync(path, '');
  truncateSync(path, 1 << 30);
  const r = readRegularFile(path);
  assert.ok(!r.ok && r.failure === 'too-large');
  assert.match(r.reason, /1024 MiB|1 GiB|1024/);
});

test('the limit is exact', () => {
  const path = join(dir, 'edge.conf');
  writeFileSync(path, Buffer.alloc(MAX_FILE_BYTES, 0x61));
  assert.ok(readRegularFile(path).ok);
  writeFileSync(path, Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
  assert.ok(!readRegularFile(path).ok);
  assert.ok(readRegularFile(path, MAX_FILE_BYTES + 1).ok);
});

test('a folder walk visits each real folder once: a -> . and b -> . cost nothing', () => {
  const root = join(dir, 'loop');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'x.service'), '');
  writeFileSync(join(root, 'sub', 'y.service'), '');
  symlinkSync('.', join(root, 'a'));
  symlinkSync('.', join(root, 'b'));
  symlinkSync('..', join(root, 'sub', 'up'));
  const files = [...walkTree(root)].map((i) => (i.kind === 'file' ? i.path.slice(root.length) : i.kind));
  assert.deepEqual(files, ['/sub/y.service', '/x.service']);
});

test('a folder walk never enters /proc, /sys or /dev, even through links', () => {
  const root = join(dir, 'kernel');
  mkdirSync(root);
  symlinkSync('/proc', join(root, 'proc'));
  symlinkSync('/sys', join(root, 'sys'));
  symlinkSync('/dev', join(root, 'dev'));
  assert.deepEqual([...walkTree(root)], []);
  assert.deepEqual([...walkTree('/proc')], []);
});

test('a folder walk stops at its entry and depth limits and says so', () => {
  const root = join(dir, 'many');
  mkdirSync(root);
  for (let i = 0; i < 50; i++) writeFileSync(join(root, `u${i}.service`), '');
  const items = [...walkTree(root, { maxDepth: 8, maxEntries: 10 })];
  assert.equal(items.filter((i) => i.kind === 'file').length, 10);
  assert.equal(items.at(-1)!.kind, 'truncated');
  let deep = join(dir, 'deep');
  mkdirSync(deep);
  const top = deep;
  for (let i = 0; i < 5; i++) {
    deep = join(deep, 'd');
    mkdirSync(deep);
    writeFileSync(join(deep, `at${i + 1}.service`), '');
  }
  const names = [...walkTree(top, { maxDepth: 2, maxEntries: 100 })].map((i) =>
    i.kind === 'file' ? i.path.slice(top.length) : i.kind,
  );
  assert.deepEqual(names, ['/d/at1.service', '/d/d/at2.service']);
});
