/**
 * The adapter's reads for `auto` (server/src/io/systemd-version.ts): under a root (links resolved with
 * the root as "/", as the CLI's --root does), on the fixture roots, on the real boot trees and on this
 * machine when they are there, and on hostile roots (PID 1's program a link to /dev/zero or a FIFO, a
 * dpkg status of 5 GiB, a library folder of 30,000 entries), which are refused or cut without a hang:
 * those reads run in a child process with a generous time-out.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSystemdFiles, MAX_FOLDER_ENTRIES, type Locate } from '../../server/src/io/systemd-version';
import { resolveUnderRoot } from '../../server/src/cli/root-path';
import { autoTarget, detectInstalledSystemd, DEFAULT_VERSION } from '../../server/src/service';
import { dpkgVersion, upstreamOf } from '../../server/src/knowledge/installed-systemd';
import { ROOT } from '../helpers';

const ROOTS = join(ROOT, 'test', 'fixtures', 'systemd-roots');
const tmp = mkdtempSync(join(tmpdir(), 'sh-auto-io-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const under =
  (root: string): Locate =>
  (p) => {
    const r = resolveUnderRoot(root, p);
    return r.ok ? r.host : null;
  };

const FIXTURE_VERSIONS: Record<string, [number, string | null]> = {
  'debian12-host': [252, '252.39'],
  'debian12-boot': [252, '252.39'],
  'debian13-boot': [257, '257.13'],
  'debian11-247': [247, null],
  'bookworm-backports-254': [254, '254.26'],
  'sid-262': [262, null],
  'upstream-239-50': [239, null],
};

test('every fixture root has its expected version, read under the root', () => {
  assert.deepEqual(
    readdirSync(ROOTS)
      .filter((n) => !n.includes('.'))
      .sort(),
    Object.keys(FIXTURE_VERSIONS).sort(),
    'each fixture root is listed here',
  );
  for (const [name, [version, point]] of Object.entries(FIXTURE_VERSIONS)) {
    const files = readSystemdFiles(under(join(ROOTS, name)));
    assert.deepEqual(files.skipped, [], name);
    const d = detectInstalledSystemd(files);
    assert.ok(d.ok, name);
    assert.equal(d.found.version, version, name);
    assert.equal(d.found.point, point, name);
    assert.equal(d.found.source, 'pid1-libraries', name);
  }
});

/** The version dpkg says is installed under a root, or null. */
function dpkgUnder(root: string): string | null {
  const p = join(root, 'var/lib/dpkg/status');
  return existsSync(p) ? dpkgVersion(readFileSync(p, 'latin1')) : null;
}

// The boot trees `npm test` builds (scripts/boot/build-tree.sh): Debian 12 and 13, usr-merged, with
// /etc/os-release a relative link; their PID 1 is the real one.
const BOOT =
  process.env.BOOT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'systemd-hardening-boot');
const trees = existsSync(BOOT)
  ? readdirSync(BOOT)
      .map((k) => join(BOOT, k))
      .filter((t) => dpkgUnder(t))
  : [];

test(
  'the real boot trees: the version of their dpkg status, from PID 1',
  { skip: trees.length ? false : `no boot trees in ${BOOT}` },
  () => {
    for (const tree of trees) {
      const want = upstreamOf(dpkgUnder(tree)!)!;
      const t = autoTarget(readSystemdFiles(under(tree)), DEFAULT_VERSION);
      assert.ok(t.detection.ok, tree);
      assert.equal(t.detection.found.version, want.major, tree);
      assert.equal(t.detection.found.point, want.point, tree);
      assert.equal(t.detection.found.pointSource, 'elf-note', tree);
      assert.match(t.detection.found.distro ?? '', /^Debian GNU\/Linux 1[23] /, tree);
      assert.equal(t.how, 'found', tree);
    }
  },
);

const hostDpkg = dpkgUnder('/');
test('this machine: the version of its dpkg status', { skip: hostDpkg ? false : 'no dpkg status here' }, () => {
  const want = upstreamOf(hostDpkg!)!;
  const d = detectInstalledSystemd(readSystemdFiles());
  assert.ok(d.ok);
  assert.equal(d.found.version, want.major);
  assert.equal(d.found.point, want.point);
});

/** Runs `readSystemdFiles` under `root` in a child process (bounded in time) and returns what it read, in short. */
function readInChild(root: string): {
  status: number | null;
  out: { skipped: string[]; pid1: boolean; folders: Array<[string, number]>; dpkg: boolean; os: boolean };
} {
  const script = `
    const { readSystemdFiles } = require(${JSON.stringify(join(ROOT, 'server/src/io/systemd-version.ts'))});
    const { resolveUnderRoot } = require(${JSON.stringify(join(ROOT, 'server/src/cli/root-path.ts'))});
    const root = ${JSON.stringify(root)};
    const f = readSystemdFiles((p) => { const r = resolveUnderRoot(root, p); return r.ok ? r.host : null; });
    process.stdout.write(JSON.stringify({ skipped: f.skipped, pid1: f.pid1 !== null, folders: f.libraryFolders.map((x) => [x.folder, x.names.length]), dpkg: f.dpkgStatus !== null, os: f.osRelease !== null }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(r.signal, null, `the reads did not end (stderr: ${r.stderr})`);
  assert.equal(r.status, 0, r.stderr);
  return { status: r.status, out: JSON.parse(r.stdout) };
}

test('hostile roots: links to /dev/zero, FIFOs, a huge dpkg status and a huge folder are refused or cut, without a hang', () => {
  const root = join(tmp, 'hostile');
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  mkdirSync(join(root, 'lib/systemd'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'usr/lib64/systemd'), { recursive: true });
  // Under the root an absolute link starts at the root: this one leads to ROOT/dev/zero, which is not there.
  symlinkSync('/dev/zero', join(root, 'usr/lib/systemd/systemd'));
  execFileSync('mkfifo', [join(root, 'lib/systemd/systemd')]);
  execFileSync('mkfifo', [join(root, 'etc/os-release')]);
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  truncateSync(join(root, 'var/lib/dpkg/status'), 5 * 2 ** 30);
  const many = MAX_FOLDER_ENTRIES + 10_000;
  for (let i = 0; i < many; i++)
    writeFileSync(join(root, `usr/lib64/systemd/libsystemd-shared-${String(i % 1000).padStart(3, '0')}-${i}.so`), '');

  const r = readInChild(root);
  assert.equal(r.out.pid1, false, 'no PID 1 read');
  assert.equal(r.out.dpkg, false, 'the 5 GiB dpkg status is not read');
  assert.equal(r.out.os, false, 'the FIFO os-release is not read');
  assert.deepEqual(r.out.folders, [['/usr/lib64/systemd', MAX_FOLDER_ENTRIES]], 'the folder is cut at its bound');
  const skipped = r.out.skipped.join('\n');
  assert.match(skipped, /\/lib\/systemd\/systemd: a FIFO, not a regular file/);
  assert.match(skipped, /\/var\/lib\/dpkg\/status: 5120 MiB: over the 32 MiB/);
  assert.match(skipped, /\/etc\/os-release: a FIFO/);
});

test('a PID 1 link to the real /dev/zero, as the language server reads "/", is refused', () => {
  const root = join(tmp, 'zero');
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  symlinkSync('/dev/zero', join(root, 'usr/lib/systemd/systemd'));
  // The root's own path prefix, but links followed by the host: the way a locate of "/" behaves.
  const files = readSystemdFiles((p) => join(root, p));
  assert.equal(files.pid1, null);
  assert.match(files.skipped.join('\n'), /\/usr\/lib\/systemd\/systemd: a character device, not a regular file/);
});
