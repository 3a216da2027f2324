/**
 * The pure detection of the installed systemd (server/src/knowledge/installed-systemd.ts) and the
 * mapping of `auto` onto the supported versions (server/src/service/auto-version.ts), table-driven on
 * fixture roots cut from real trees (test/fixtures/systemd-roots, README.md there says from which),
 * on variants of them, and on hand-made evidence for distributions this machine has no tree of
 * (Fedora's tagged library names, Arch's pacman database, RHEL's os-release). The evidence is read
 * here with plain fs calls, so this test holds the parser alone; test/unit/systemd-version-io.test.ts
 * holds the adapter's reads.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { autoTarget, detectInstalledSystemd, nearestSupported, type SystemdEvidence } from '../../server/src/service';
import { dpkgVersion, packageNote, upstreamOf } from '../../server/src/knowledge/installed-systemd';
import { ROOT } from '../helpers';

const ROOTS = join(ROOT, 'test', 'fixtures', 'systemd-roots');

/** The evidence of a fixture root, read the simple way (the files are small and plain). */
function evidenceOf(name: string): SystemdEvidence {
  const at = (p: string): string => join(ROOTS, name, p);
  const pid1Path = ['/usr/lib/systemd/systemd', '/lib/systemd/systemd'].find((p) => existsSync(at(p)));
  const libraryFolders = ['/usr/lib/systemd', '/lib/systemd', '/usr/lib64/systemd', '/usr/lib/x86_64-linux-gnu/systemd']
    .filter((f) => existsSync(at(f)))
    .map((folder) => ({ folder, names: readdirSync(at(folder)).filter((n) => n.startsWith('libsystemd-')) }))
    .filter((f) => f.names.length);
  const text = (p: string): { path: string; text: string } | null =>
    existsSync(at(p)) ? { path: p, text: readFileSync(at(p), 'utf8') } : null;
  return {
    pid1: pid1Path ? { path: pid1Path, bytes: readFileSync(at(pid1Path)) } : null,
    libraryFolders,
    dpkgStatus: text('/var/lib/dpkg/status'),
    osRelease: text('/etc/os-release') ?? text('/usr/lib/os-release'),
  };
}

interface Expect {
  version: number;
  point: string | null;
  packageVersion?: string | null;
  source: string;
  pointSource?: string | null;
  confidence: string;
  distro?: string | null;
  notes?: RegExp;
}

const DEBIAN12: Expect = {
  version: 252,
  point: '252.39',
  packageVersion: '252.39-1~deb12u2',
  source: 'pid1-libraries',
  pointSource: 'elf-note',
  confidence: 'high',
  distro: 'Debian GNU/Linux 12 (bookworm)',
};

/** The fixture roots as they were cut from the real trees. */
const REAL: Array<[string, Expect]> = [
  ['debian12-host', DEBIAN12],
  ['debian12-boot', DEBIAN12],
  [
    'debian13-boot',
    {
      ...DEBIAN12,
      version: 257,
      point: '257.13',
      packageVersion: '257.13-1~deb13u1',
      distro: 'Debian GNU/Linux 13 (trixie)',
    },
  ],
  // Debian 11: no package note in 247's binaries, and the unpacked root has no dpkg status.
  [
    'debian11-247',
    { version: 247, point: null, source: 'pid1-libraries', pointSource: null, confidence: 'high', distro: null },
  ],
  [
    'bookworm-backports-254',
    {
      version: 254,
      point: '254.26',
      packageVersion: '254.26-1~bpo12+1',
      source: 'pid1-libraries',
      pointSource: 'elf-note',
      confidence: 'high',
    },
  ],
  // sid's 262.1-1 carries no package note.
  ['sid-262', { version: 262, point: null, source: 'pid1-libraries', pointSource: null, confidence: 'high' }],
  ['upstream-239-50', { version: 239, point: null, source: 'pid1-libraries', pointSource: null, confidence: 'high' }],
];

function check(name: string, ev: SystemdEvidence, want: Expect): void {
  const d = detectInstalledSystemd(ev);
  assert.ok(d.ok, `${name}: nothing found (${d.ok ? '' : d.reason})`);
  const f = d.found;
  assert.equal(f.version, want.version, `${name}: version`);
  assert.equal(f.point, want.point, `${name}: point`);
  assert.equal(f.source, want.source, `${name}: source`);
  assert.equal(f.confidence, want.confidence, `${name}: confidence`);
  if (want.packageVersion !== undefined) assert.equal(f.packageVersion, want.packageVersion, `${name}: package`);
  if (want.pointSource !== undefined) assert.equal(f.pointSource, want.pointSource, `${name}: point source`);
  if (want.distro !== undefined) assert.equal(f.distro, want.distro, `${name}: distro`);
  if (want.notes) assert.match(f.notes.join('\n'), want.notes, `${name}: notes`);
  else assert.deepEqual(f.notes, [], `${name}: no notes`);
}

for (const [name, want] of REAL)
  test(`installed systemd of the fixture root ${name}`, () => check(name, evidenceOf(name), want));

const d12 = evidenceOf('debian12-boot');
const d13 = evidenceOf('debian13-boot');
/** PID 1's program without its package note: the .dynstr part alone (the note is the JSON at the end). */
function withoutNote(bytes: Uint8Array): Uint8Array {
  const i = Buffer.from(bytes).indexOf('FDO\0');
  assert.ok(i > 12, 'the fixture has a package note');
  return bytes.subarray(0, i - 12);
}
const pid1Sid = evidenceOf('sid-262').pid1!;

const VARIANTS: Array<[string, SystemdEvidence, Expect]> = [
  [
    'Debian 12, PID 1 without its package note: the point from dpkg',
    { ...d12, pid1: { path: d12.pid1!.path, bytes: withoutNote(d12.pid1!.bytes) } },
    { ...DEBIAN12, pointSource: 'dpkg' },
  ],
  [
    'Debian 13 without PID 1: the library folder, the point from dpkg',
    { ...d13, pid1: null },
    {
      version: 257,
      point: '257.13',
      packageVersion: '257.13-1~deb13u1',
      source: 'library-folder',
      pointSource: 'dpkg',
      confidence: 'medium',
    },
  ],
  [
    'Debian 13 with neither PID 1 nor libraries (a container): os-release, low',
    { ...d13, pid1: null, libraryFolders: [] },
    { version: 257, point: null, source: 'os-release', confidence: 'low', notes: /usually ships systemd 257$/ },
  ],
  [
    "sid's PID 1 beside Debian 12's dpkg status: the package is ignored, with a note",
    { ...d12, pid1: pid1Sid },
    {
      version: 262,
      point: null,
      source: 'pid1-libraries',
      pointSource: null,
      confidence: 'high',
      notes: /names systemd 252\.39-1~deb12u2, not 262: ignored/,
    },
  ],
  [
    'an upgrade left the old library: the newest counts, with a note and low confidence',
    {
      libraryFolders: [
        { folder: '/lib/systemd', names: ['libsystemd-shared-247.so'] },
        { folder: '/usr/lib/x86_64-linux-gnu/systemd', names: ['libsystemd-core-252.so', 'libsystemd-shared-252.so'] },
      ],
    },
    {
      version: 252,
      point: null,
      source: 'library-folder',
      confidence: 'low',
      notes: /several systemd libraries are installed \(252, 247\)/,
    },
  ],
  // Hand-made from what Fedora and Arch install (not verified on this machine: no such tree here).
  [
    "Fedora's tagged library name (shared-lib-tag, 252+)",
    {
      libraryFolders: [
        {
          folder: '/usr/lib64/systemd',
          names: ['libsystemd-core-256.11-1.fc41.so', 'libsystemd-shared-256.11-1.fc41.so'],
        },
      ],
    },
    {
      version: 256,
      point: '256.11',
      packageVersion: null,
      source: 'library-folder',
      pointSource: 'library-name',
      confidence: 'medium',
    },
  ],
  [
    "Arch: PID 1 links a tagged library, pacman's folder names the package",
    {
      pid1: { path: '/usr/lib/systemd/systemd', bytes: Buffer.from('\0libc.so.6\0libsystemd-shared-257.5-1.so\0') },
      pacmanLocal: {
        path: '/var/lib/pacman/local',
        names: ['systemd-libs-257.5-1', 'systemd-257.5-1', 'systemd-sysvcompat-257.5-1'],
      },
    },
    {
      version: 257,
      point: '257.5',
      packageVersion: '257.5-1',
      source: 'pid1-libraries',
      pointSource: 'pacman',
      confidence: 'high',
    },
  ],
  [
    'RHEL 9.4, only os-release: 252, not verified',
    {
      osRelease: {
        path: '/etc/os-release',
        text: 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\n',
      },
    },
    { version: 252, point: null, source: 'os-release', confidence: 'low', notes: /not verified/ },
  ],
  [
    'Rocky 8 by ID_LIKE',
    {
      osRelease: {
        path: '/etc/os-release',
        text: 'ID="rocky-like"\nID_LIKE="rhel centos fedora"\nVERSION_ID="8.10"\n',
      },
    },
    { version: 239, point: null, source: 'os-release', confidence: 'low', notes: /usually ships systemd 239/ },
  ],
];

for (const [name, ev, want] of VARIANTS) test(`installed systemd: ${name}`, () => check(name, ev, want));

test('installed systemd: nothing found says why', () => {
  const none = detectInstalledSystemd({});
  assert.deepEqual(none, {
    ok: false,
    reason: 'no systemd program, library or os-release file was found',
    distro: null,
  });
  const alpine = detectInstalledSystemd({
    osRelease: {
      path: '/etc/os-release',
      text: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
    },
  });
  assert.equal(alpine.ok, false);
  assert.match(alpine.ok ? '' : alpine.reason, /Alpine Linux v3\.20 is not a release this extension knows/);
});

test('package versions map to upstream point releases', () => {
  const cases: Array<[string, { major: number; point: string | null } | null]> = [
    ['252.39-1~deb12u2', { major: 252, point: '252.39' }],
    ['254.26-1~bpo12+1', { major: 254, point: '254.26' }],
    ['255.4-1ubuntu8.4', { major: 255, point: '255.4' }],
    ['249.11-0ubuntu3.12', { major: 249, point: '249.11' }],
    ['256.11-1.fc41', { major: 256, point: '256.11' }],
    ['239-82.el8_10', { major: 239, point: null }],
    ['252-46.el9_5', { major: 252, point: null }],
    ['1:257.5-1', { major: 257, point: '257.5' }],
    ['262.1-1', { major: 262, point: '262.1' }],
    ['2.38-7', null],
    ['', null],
    ['25', null],
  ];
  for (const [v, want] of cases) assert.deepEqual(upstreamOf(v), want, v);
});

test('dpkg status: only the installed systemd stanza counts', () => {
  const s = [
    'Package: systemd-sysv\nStatus: install ok installed\nVersion: 1.0\n',
    'Package: systemd\nStatus: deinstall ok config-files\nVersion: 247.3-7\n',
    'Package: systemd\r\nStatus: install ok installed\r\nVersion: 252.39-1~deb12u2\r\nDescription: x\r\n more\r\n',
  ].join('\n');
  assert.equal(dpkgVersion(s), '252.39-1~deb12u2');
  assert.equal(dpkgVersion('Package: systemd\nStatus: deinstall ok config-files\nVersion: 247.3-7'), null);
  assert.equal(
    dpkgVersion('Package: systemd\nStatus: install ok installed\nVersion: 257.13-1~deb13u1'),
    '257.13-1~deb13u1',
  );
});

test('the ELF package note is found in either byte order and only with its header', () => {
  const json = '{"type":"rpm","os":"fedora","name":"systemd","version":"256.11-1.fc41"}\0';
  const note = (little: boolean, type = 0xcafe1a7e): Buffer => {
    const h = Buffer.alloc(12);
    const w = (little ? h.writeUInt32LE : h.writeUInt32BE).bind(h);
    w(4, 0);
    w(json.length, 4);
    w(type, 8);
    return Buffer.concat([Buffer.from('junk'), h, Buffer.from('FDO\0'), Buffer.from(json)]);
  };
  assert.equal(packageNote(note(true))?.version, '256.11-1.fc41');
  assert.equal(packageNote(note(false))?.version, '256.11-1.fc41');
  assert.equal(packageNote(note(true, 3)), null, 'another note type');
  assert.equal(packageNote(Buffer.from('FDO\0{"version":"1"}')), null, 'no header');
});

test('auto maps a found version onto the supported ones, else the fallback, and says so', () => {
  const nearest: Array<[number, number]> = [
    // Every release 239–262 is supported (server/data/assessors.json): each maps onto itself.
    [239, 239],
    [247, 247],
    [249, 249],
    [252, 252],
    [253, 253],
    [255, 255],
    [258, 258],
    [262, 262],
    [263, 262],
    [300, 262],
    [238, 239],
    [100, 239],
  ];
  for (const [v, want] of nearest) assert.equal(nearestSupported(v), want, String(v));

  const found = autoTarget(d13, 252);
  assert.equal(found.version, 257);
  assert.equal(found.how, 'found');
  assert.equal(found.label, '257 (auto)');
  assert.equal(found.note, null);
  assert.match(
    found.message,
    /^auto: target systemd 257: found systemd 257\.13 \(package 257\.13-1~deb13u1\), from the libraries \/usr\/lib\/systemd\/systemd links/,
  );

  const old = autoTarget(evidenceOf('debian11-247'), 252);
  assert.equal(old.version, 247);
  assert.equal(old.how, 'found');
  assert.equal(old.label, '247 (auto)');
  assert.equal(old.note, null);

  const none = autoTarget({}, 254);
  assert.equal(none.version, 254);
  assert.equal(none.how, 'fallback');
  assert.equal(none.label, '254 (assumed)');
  assert.match(none.note ?? '', /using systemd 254, the fallback/);

  const guessed = autoTarget({ ...d12, pid1: null, libraryFolders: [] }, 262);
  assert.equal(guessed.version, 252);
  assert.equal(guessed.label, '252 (auto, guessed)');
});

test('garbage evidence never throws and costs work bounded by its size', () => {
  let seed = 14;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pieces = ['libsystemd-shared-', 'libsystemd-core-252', '.so', '\0', 'FDO\0', '{"version":', '~', '999', '\xff'];
  for (let i = 0; i < 300; i++) {
    let s = '';
    while (s.length < 2000 * rand())
      s += rand() < 0.5 ? pieces[Math.floor(rand() * pieces.length)] : String.fromCharCode(Math.floor(rand() * 256));
    const bytes = Buffer.from(s, 'latin1');
    const r = detectInstalledSystemd({
      pid1: { path: '/usr/lib/systemd/systemd', bytes },
      libraryFolders: [{ folder: '/x', names: s.split('\0') }],
      dpkgStatus: { path: '/var/lib/dpkg/status', text: s },
      pacmanLocal: { path: '/var/lib/pacman/local', names: s.split('\n') },
      osRelease: { path: '/etc/os-release', text: s },
    });
    assert.equal(typeof r.ok, 'boolean');
  }
  // Not even wrong shapes throw.
  for (const bad of [null, undefined, 5, 'x', { pid1: { path: 1, bytes: null } }, { libraryFolders: [null] }])
    assert.equal(typeof detectInstalledSystemd(bad as unknown as SystemdEvidence).ok, 'boolean');
  // 8 MiB of library names without a NUL before them: at most MAX_LIBRARY_HITS looked at, nothing found.
  const many = Buffer.from('xlibsystemd-shared-252.so'.repeat(8 << 15));
  assert.equal(detectInstalledSystemd({ pid1: { path: '/p', bytes: many } }).ok, false);
});
