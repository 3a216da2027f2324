/**
 * `--systemd-version auto`: the version of the systemd installed under --root (or on this machine),
 * read from files. On copies of the fixture roots (test/fixtures/systemd-roots, cut from real trees)
 * with a unit added, and on the real boot trees when they are there: stderr says what was found and
 * which version is used, and stdout is exactly what that version gives when named. The default stays
 * 252 whatever is installed.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dpkgVersion, upstreamOf } from '../../server/src/knowledge/installed-systemd';
import { ROOT } from '../helpers';
import { cliIn, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-auto-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const UNIT = 'shtest-auto.service';
const UNIT_TEXT = '[Service]\nExecStart=/usr/bin/daemon\nPrivateTmp=yes\nProtectSystem=strict\n';

/** A copy of a fixture root with a unit in /etc/systemd/system. */
function rootFrom(name: string): string {
  const root = join(tmp, name);
  cpSync(join(ROOT, 'test', 'fixtures', 'systemd-roots', name), root, { recursive: true, verbatimSymlinks: true });
  writeUnder(root, `etc/systemd/system/${UNIT}`, UNIT_TEXT);
  return root;
}

const CASES: Array<{ name: string; used: string; stderr: RegExp }> = [
  {
    name: 'debian12-boot',
    used: '252',
    stderr:
      /^systemd-hardening: auto: target systemd 252: found systemd 252\.39 \(package 252\.39-1~deb12u2\), from the libraries \/usr\/lib\/systemd\/systemd links; point release from its package note, on Debian GNU\/Linux 12 \(bookworm\), high confidence\n$/,
  },
  { name: 'debian13-boot', used: '257', stderr: /auto: target systemd 257: found systemd 257\.13 / },
  {
    name: 'bookworm-backports-254',
    used: '254',
    stderr: /auto: target systemd 254: found systemd 254\.26 .*\/lib\/systemd\/systemd/,
  },
  { name: 'sid-262', used: '262', stderr: /auto: target systemd 262: found systemd 262, / },
  {
    name: 'debian11-247',
    used: '247',
    stderr: /auto: target systemd 247: found systemd 247, /,
  },
  { name: 'upstream-239-50', used: '239', stderr: /auto: target systemd 239: found systemd 239, / },
];

for (const c of CASES) {
  test(`score --root ${c.name} --systemd-version auto: ${c.used}`, () => {
    const root = rootFrom(c.name);
    const auto = cliIn(tmp, ['score', '--format', 'json', '--root', root, '--systemd-version', 'auto', UNIT]);
    assert.equal(auto.status, 0, auto.stderr);
    assert.match(auto.stderr, c.stderr);
    const named = cliIn(tmp, ['score', '--format', 'json', '--root', root, '--systemd-version', c.used, UNIT]);
    assert.equal(named.status, 0, named.stderr);
    assert.equal(named.stderr, '');
    assert.equal(auto.stdout, named.stdout);
  });
}

test('auto with nothing under the root: the fallback 252, said on stderr; the default stays 252 without a word', () => {
  const root = join(tmp, 'bare');
  writeUnder(root, `etc/systemd/system/${UNIT}`, UNIT_TEXT);
  const auto = cliIn(tmp, ['score', '--format', 'json', '--root', root, '--systemd-version', 'auto', UNIT]);
  assert.equal(auto.status, 0, auto.stderr);
  assert.equal(
    auto.stderr,
    'systemd-hardening: auto: no systemd program, library or os-release file was found; using systemd 252, the fallback\n',
  );
  const d13 = rootFrom('debian13-boot');
  const plain = cliIn(tmp, ['score', '--format', 'json', '--root', d13, UNIT]);
  assert.equal(plain.stderr, '');
  assert.equal(
    plain.stdout,
    cliIn(tmp, ['score', '--format', 'json', '--root', d13, '--systemd-version', '252', UNIT]).stdout,
  );
  assert.notEqual(
    plain.stdout,
    cliIn(tmp, ['score', '--format', 'json', '--root', d13, '--systemd-version', '257', UNIT]).stdout,
  );
});

test('harden and check take auto too; a root that is no folder is a usage error', () => {
  const root = rootFrom('debian13-boot');
  const h = cliIn(tmp, ['harden', '--format', 'json', '--root', root, '--systemd-version', 'auto', UNIT]);
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stderr, /auto: target systemd 257/);
  const file = writeUnder(tmp, 'check/a.service', UNIT_TEXT);
  const c = cliIn(tmp, ['check', '--systemd-version', 'auto', file]);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stderr, /^systemd-hardening: auto: /);
  const bad = cliIn(tmp, ['score', '--root', join(tmp, 'nowhere'), '--systemd-version', 'auto', UNIT]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--systemd-version auto: cannot read root .*nowhere: no such file/);
  const wrong = cliIn(tmp, ['score', '--systemd-version', 'automatic', UNIT]);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /supported versions are 239–262 and auto/);
});

// The boot trees `npm test` builds: the real PID 1, libraries, dpkg status and os-release of Debian 12 and 13.
const BOOT =
  process.env.BOOT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'systemd-hardening-boot');
const trees = existsSync(BOOT)
  ? readdirSync(BOOT)
      .map((k) => join(BOOT, k))
      .filter(
        (t) =>
          existsSync(join(t, 'usr/lib/os-release')) &&
          existsSync(join(t, 'usr/lib/systemd/system/systemd-journald.service')),
      )
  : [];

test(
  "score --root BOOT-TREE --systemd-version auto: the version of the tree's dpkg status (Debian 12: 252.39, 13: 257.13)",
  { skip: trees.length ? false : `no boot trees in ${BOOT}` },
  () => {
    for (const tree of trees) {
      const pkg = dpkgVersion(readFileSync(join(tree, 'var/lib/dpkg/status'), 'latin1'));
      const up = pkg ? upstreamOf(pkg) : null;
      assert.ok(up?.point, `${tree}: dpkg names systemd ${pkg}`);
      const r = cliIn(tmp, [
        'score',
        '--format',
        'json',
        '--root',
        tree,
        '--systemd-version',
        'auto',
        'systemd-journald.service',
      ]);
      assert.equal(r.status, 0, `${tree}: ${r.stderr}`);
      assert.ok(
        r.stderr.startsWith(
          `systemd-hardening: auto: target systemd ${up.major}: found systemd ${up.point} (package ${pkg}), `,
        ),
        `${tree}: ${r.stderr}`,
      );
    }
  },
);
