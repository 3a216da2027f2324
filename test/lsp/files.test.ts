/**
 * Tier "lsp": the files of a unit on a disk we do not trust. A drop-in may be huge, a link to a kernel
 * file, a device or a FIFO; a drop-in folder may be a link to /etc. The server reads only what
 * systemd would read for the unit, never more than its byte limits, never blocks, and says on the
 * open document what it did not read and where merged files really live.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileUri, LspServer, type Diagnostic } from './client';

const FIXTURE = join(__dirname, '..', 'e2e', 'fixtures', 'workspace');

let server: LspServer;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sh-lsp-files-'));
  server = LspServer.start();
  await server.initialize(tmp);
});

after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh folder with nginx.service and its drop-in folder; returns [unit path, drop-in folder]. */
function nginx(name: string): [string, string] {
  const dir = join(tmp, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return [join(dir, 'nginx.service'), join(dir, 'nginx.service.d')];
}

const notes = (ds: Diagnostic[], code: string): string[] => ds.filter((d) => d.code === code).map((d) => d.message);

/** Opens the unit and waits for its first diagnostics (bounded: a hang fails the test). */
async function diagnosticsOf(path: string): Promise<Diagnostic[]> {
  const uri = fileUri(path);
  await server.open(uri, readFileSync(path, 'utf8'));
  const ds = await server.diagnostics(uri, () => true, `diagnostics of ${path}`, 0, 60_000);
  await server.close(uri);
  return ds;
}

interface Case {
  name: string;
  /** Puts the odd drop-in into the folder. */
  make(dropins: string): void;
  /** What the file-not-read diagnostic must say. */
  says: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a 50 MiB drop-in (sparse)',
    make: (d) => {
      writeFileSync(join(d, 'big.conf'), '');
      truncateSync(join(d, 'big.conf'), 50 << 20);
    },
    says: /^nginx\.service\.d\/big\.conf was not read: 50 MiB, over the 4 MiB this tool reads from one file; systemd would read it$/,
  },
  {
    name: 'a drop-in linked to a kernel file (/proc/self/status)',
    make: (d) => symlinkSync('/proc/self/status', join(d, 'kernel.conf')),
    says: /^nginx\.service\.d\/kernel\.conf links to \/proc\/\d+\/status, a kernel file, not a unit file: not read; systemd would read it$/,
  },
  {
    name: 'a drop-in linked to a device (/dev/zero)',
    make: (d) => symlinkSync('/dev/zero', join(d, 'zero.conf')),
    says: /^nginx\.service\.d\/zero\.conf links to \/dev\/zero, a character device, not a regular file: not read; systemd lists the link and would open it$/,
  },
  {
    name: 'a FIFO in the drop-in folder',
    make: (d) => execFileSync('mkfifo', [join(d, 'fifo.conf')]),
    says: /^nginx\.service\.d\/fifo\.conf is a FIFO, not a regular file: not read; systemd skips it too$/,
  },
  {
    name: 'a drop-in linked to a FIFO',
    make: (d) => {
      execFileSync('mkfifo', [join(d, '..', 'elsewhere.fifo')]);
      symlinkSync(join(d, '..', 'elsewhere.fifo'), join(d, 'piped.conf'));
    },
    says: /^nginx\.service\.d\/piped\.conf links to \S+elsewhere\.fifo, a FIFO, not a regular file: not read; systemd lists the link and would open it$/,
  },
];

for (const c of CASES) {
  test(`file-not-read: ${c.name}`, async () => {
    const [unit, dropins] = nginx(c.name.replace(/\W+/g, '-'));
    c.make(dropins);
    const ds = await diagnosticsOf(unit);
    const said = notes(ds, 'file-not-read');
    assert.equal(said.length, 1, `file-not-read diagnostics: ${JSON.stringify(said)}`);
    assert.match(said[0]!, c.says);
    const d = ds.find((x) => x.code === 'file-not-read')!;
    assert.equal(d.severity, 2, 'a warning');
    assert.equal(d.range.start.line, 0, 'on the first line');
    assert.ok(server.alive());
  });
}

test("file-not-read: the unit's files together are read up to 8 MiB, then the rest is reported", async () => {
  const [unit, dropins] = nginx('unit-budget');
  // Three drop-ins of 3 MiB of comment lines each: the third passes the unit's 8 MiB.
  const line = `# ${'x'.repeat(1021)}\n`;
  const three = line.repeat(3 * 1024);
  for (const n of ['a.conf', 'b.conf', 'c.conf']) writeFileSync(join(dropins, n), `[Service]\n${three}`);
  const said = notes(await diagnosticsOf(unit), 'file-not-read');
  assert.deepEqual(said.length, 1, JSON.stringify(said));
  assert.match(
    said[0]!,
    /^nginx\.service\.d\/c\.conf was not read: the unit's files read before it hold 6\.0 MiB, and this tool reads at most 8 MiB for one unit; systemd would read it$/,
  );
});

test('file-links-elsewhere: a drop-in folder linked out of the workspace is named, its drop-ins are merged', async () => {
  const [unit, dropins] = nginx('folder-link');
  const outside = mkdtempSync(join(tmpdir(), 'sh-lsp-outside-'));
  try {
    writeFileSync(join(outside, 'one.conf'), '[Service]\nPrivateNetwork=yes\n');
    writeFileSync(join(outside, 'two.conf'), '[Service]\nUnknownThing=1\n');
    writeFileSync(join(outside, 'not-a-dropin.txt'), '[Service]\nAlsoUnknown=1\n');
    rmSync(dropins, { recursive: true });
    symlinkSync(outside, dropins);
    const uri = fileUri(unit);
    await server.open(uri, readFileSync(unit, 'utf8'));
    const ds = await server.diagnostics(uri, () => true, 'diagnostics', 0, 60_000);
    const exposure = await server.request<{ files: string[] } | null>('systemdHardening/exposure', { uri });
    await server.close(uri);
    assert.deepEqual(
      exposure?.files.map((f) => f.slice(f.lastIndexOf('/') + 1)),
      ['nginx.service', 'one.conf', 'two.conf'],
      'only *.conf files are merged',
    );
    const said = notes(ds, 'file-links-elsewhere');
    assert.deepEqual(said, [
      `nginx.service.d links to ${outside}: the 2 drop-ins merged from it (one.conf, two.conf) live there`,
    ]);
    assert.equal(ds.find((d) => d.code === 'file-links-elsewhere')!.severity, 3, 'information');
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('file-links-elsewhere: a drop-in linked to a file elsewhere is named with its real path', async () => {
  const [unit, dropins] = nginx('file-link');
  const secret = join(tmp, 'secret-place');
  mkdirSync(secret);
  writeFileSync(join(secret, 'shadow'), '[Service]\nEnvironment=PASSWORD=hunter2\n');
  symlinkSync(join(secret, 'shadow'), join(dropins, 'x.conf'));
  const said = notes(await diagnosticsOf(unit), 'file-links-elsewhere');
  assert.deepEqual(said, [`nginx.service.d/x.conf links to ${join(secret, 'shadow')}`]);
});

/** A tree with a vendor redis-server.service and an admin drop-in; returns the drop-in's path. */
function redisTree(name: string, vendorLines: string): string {
  const tree = join(tmp, name);
  mkdirSync(join(tree, 'usr/lib/systemd/system'), { recursive: true });
  mkdirSync(join(tree, 'etc/systemd/system/redis-server.service.d'), { recursive: true });
  writeFileSync(
    join(tree, 'usr/lib/systemd/system/redis-server.service'),
    `[Service]\nType=notify\nExecStart=/usr/bin/redis-server /etc/redis/redis.conf\n${vendorLines}`,
  );
  const dropin = join(tree, 'etc/systemd/system/redis-server.service.d/override.conf');
  writeFileSync(dropin, '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\n');
  return dropin;
}

test("a drop-in inside a tree's etc/systemd/system is analysed with the tree's vendor unit in usr/lib/systemd/system", async () => {
  // The vendor unit is Type=notify: the drop-in's allow-list takes AF_UNIX away (known only from the vendor unit).
  const bare = (await diagnosticsOf(redisTree('tree-a', ''))).map((d) => String(d.code));
  assert.ok(
    bare.includes('breaks-address-family'),
    `the vendor unit's Type=notify is seen: ${bare.filter((c) => !c.startsWith('sandbox-')).join(', ')}`,
  );
  // The vendor unit allows AF_UNIX itself: allow-lists add up, nothing breaks.
  const allowed = (await diagnosticsOf(redisTree('tree-b', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n'))).map(
    (d) => String(d.code),
  );
  assert.ok(
    !allowed.some((c) => c.startsWith('breaks-')),
    `no breaks-… with the vendor unit merged: ${allowed.filter((c) => !c.startsWith('sandbox-')).join(', ')}`,
  );
});
