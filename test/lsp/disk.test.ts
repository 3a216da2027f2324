/**
 * Tier "lsp": the server's disk cache (server/src/lsp/disk.ts) keeps a bounded number of bytes, the
 * least recently used files going first, so a workspace scan of thousands of files cannot grow it
 * without bound; and it reads through io/read-file.ts (a FIFO is refused, not waited on).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Disk } from '../../server/src/lsp/disk';

const tmp = mkdtempSync(join(tmpdir(), 'sh-disk-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the cache holds at most its byte limit, dropping the least recently used file first', () => {
  const disk = new Disk(3000);
  const paths = ['a', 'b', 'c', 'd'].map((n) => {
    const p = join(tmp, `${n}.conf`);
    writeFileSync(p, n.repeat(1000));
    return p;
  });
  const [a, b, c, d] = paths as [string, string, string, string];
  for (const p of [a, b, c]) assert.ok(disk.read(p).ok);
  assert.equal(disk.cached, 3000);
  disk.read(a); // a is used again: b is now the least recently used
  assert.deepEqual(disk.cachedPaths(), [b, c, a]);
  assert.ok(disk.read(d).ok);
  assert.deepEqual(disk.cachedPaths(), [c, a, d], 'd pushed b out');
  assert.equal(disk.cached, 3000);
});

test('a FIFO is refused, not read', () => {
  const fifo = join(tmp, 'pipe.conf');
  execFileSync('mkfifo', [fifo]);
  const r = new Disk().read(fifo);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.failure, 'not-regular');
});
