/** User units: the scope read from a path, the user search path, and what scope changes in the score (model/scope.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import { scopeOfPath, userFolderOf, userSearchPath } from '../../server/src/model/scope';
import { searchPathOfRoot } from '../../server/src/model/search-path';
import { score } from '../../server/src/exposure/score';
import { SUPPORTED_VERSIONS } from '../../server/src/service/versions';
import { hardeningService } from '../../server/src/service';
import { exposureMarkdown } from '../../server/src/features/exposure-markdown';

const SCOPES: ReadonlyArray<[path: string, scope: 'user' | 'system']> = [
  ['/home/alice/.config/systemd/user/foo.service', 'user'],
  ['/home/alice/.config/systemd/user/foo.service.d/override.conf', 'user'],
  ['/home/alice/.config/systemd/user.control/foo.service', 'user'],
  ['/home/alice/.local/share/systemd/user/foo.service', 'user'],
  ['/etc/systemd/user/foo.service', 'user'],
  ['/etc/systemd/user/foo.service.d/10-x.conf', 'user'],
  ['/etc/xdg/systemd/user/foo.service', 'user'],
  ['/run/systemd/user/foo.service', 'user'],
  ['/run/user/1000/systemd/transient/foo.service', 'user'],
  ['/run/user/1000/systemd/generator.late/foo.service', 'user'],
  ['/usr/lib/systemd/user/foo.service', 'user'],
  ['/usr/local/lib/systemd/user/foo.service', 'user'],
  ['/usr/share/systemd/user/foo.service', 'user'],
  ['/srv/img/usr/lib/systemd/user/foo.service', 'user'],
  ['/etc/systemd/system/foo.service', 'system'],
  ['/etc/systemd/system/foo.service.d/x.conf', 'system'],
  ['/lib/systemd/system/foo.service', 'system'],
  ['/run/systemd/generator/foo.service', 'system'],
  ['/home/alice/project/foo.service', 'system'],
  ['/home/alice/user/foo.service', 'system'],
  ['foo.service', 'system'],
  ['', 'system'],
];

test('the scope of a unit comes from the folder its file (or drop-in) is in', () => {
  for (const [path, scope] of SCOPES) assert.equal(scopeOfPath(path), scope, path);
});

test('the user search path is systemd.unit(5)`s, with the home and runtime folders where known', () => {
  assert.deepEqual(userSearchPath('', '/home/a', '/run/user/1000'), [
    '/home/a/.config/systemd/user.control',
    '/run/user/1000/systemd/user.control',
    '/run/user/1000/systemd/transient',
    '/run/user/1000/systemd/generator.early',
    '/home/a/.config/systemd/user',
    '/etc/xdg/systemd/user',
    '/etc/systemd/user',
    '/run/user/1000/systemd/user',
    '/run/systemd/user',
    '/run/user/1000/systemd/generator',
    '/home/a/.local/share/systemd/user',
    '/usr/local/share/systemd/user',
    '/usr/share/systemd/user',
    '/usr/local/lib/systemd/user',
    '/usr/lib/systemd/user',
    '/run/user/1000/systemd/generator.late',
  ]);
  assert.deepEqual(userSearchPath('/srv/img'), [
    '/srv/img/etc/xdg/systemd/user',
    '/srv/img/etc/systemd/user',
    '/srv/img/run/systemd/user',
    '/srv/img/usr/local/share/systemd/user',
    '/srv/img/usr/share/systemd/user',
    '/srv/img/usr/local/lib/systemd/user',
    '/srv/img/usr/lib/systemd/user',
  ]);
  assert.deepEqual(userFolderOf('/home/a/.config/systemd/user'), { root: '', home: '/home/a', runtime: null });
  assert.equal(userFolderOf('/etc/systemd/system'), null);
});

test('drop-ins of a user unit are searched along the user search path of its root', () => {
  const home = searchPathOfRoot('/home/a/.config/systemd/user', 262)!;
  assert.ok(home.includes('/etc/systemd/user') && home.includes('/usr/lib/systemd/user'));
  assert.ok(!home.some((d) => d.endsWith('/systemd/system')), home.join(' '));
  const tree = searchPathOfRoot('/srv/img/usr/lib/systemd/user', 252)!;
  assert.deepEqual(tree, userSearchPath('/srv/img'));
  assert.ok(searchPathOfRoot('/etc/systemd/system', 252)!.includes('/lib/systemd/system'));
});

/** The user-scope rows of a plain service, as measured with the real binaries (--user --offline=yes). */
function userRows(version: number, extra = ''): { exposure: string | null; rows: Record<string, string> } {
  const m = buildUnit(
    'a.service',
    [{ path: '/home/x/.config/systemd/user/a.service', text: `[Service]\nExecStart=/bin/true\n${extra}` }],
    { version },
  );
  const r = score(m, { version });
  const rows: Record<string, string> = {};
  for (const c of r.checks)
    if (/^(User|Supplementary|RemoveIPC|KeyringMode)/.test(c.json_field))
      rows[c.json_field] = `${c.set} ${c.description}`;
  return { exposure: r.exposure?.text ?? null, rows };
}

test('a user unit: KeyringMode= starts at inherit in every release; 262 assesses it as the calling user', () => {
  for (const v of SUPPORTED_VERSIONS) {
    const { rows } = userRows(v);
    assert.equal(rows.KeyringMode, 'false Service shares key material with other service', `${v}`);
    if (v >= 262) {
      assert.equal(rows.UserOrDynamicUser, "true Service runs under the calling user's identity");
      assert.equal(rows.SupplementaryGroups, 'true Service has no supplementary groups');
      assert.equal(rows.RemoveIPC, 'null RemoveIPC= has no effect on per-user services');
    } else {
      assert.equal(rows.UserOrDynamicUser, 'false Service runs as root user', `${v}`);
      assert.equal(rows.SupplementaryGroups, 'null Service runs as root, option does not matter', `${v}`);
    }
  }
  // The figures measured with the real 252, 254, 257 and 262 (scoring-by-version.md §7).
  assert.deepEqual(
    [252, 254, 257, 262].map((v) => userRows(v).exposure),
    ['9.8', '9.6', '9.6', '9.2'],
  );
  assert.equal(
    userRows(262, 'User=root\n').rows.UserOrDynamicUser,
    "true Service runs under the calling user's identity",
  );
  assert.equal(userRows(262, 'User=nobody\n').exposure, '9.5');
  assert.equal(
    userRows(262, 'User=foo\nSupplementaryGroups=wheel\n').rows.SupplementaryGroups,
    'false Service runs with supplementary groups',
  );
});

test('the same file as a system unit keeps the system manager defaults', () => {
  const m = buildUnit(
    'a.service',
    [{ path: '/etc/systemd/system/a.service', text: '[Service]\nExecStart=/bin/true\n' }],
    {
      version: 262,
    },
  );
  assert.equal(m.scope, 'system');
  const forced = buildUnit('a.service', [{ path: '/tmp/a.service', text: '[Service]\nExecStart=/bin/true\n' }], {
    version: 262,
    scope: 'user',
  });
  assert.equal(forced.scope, 'user');
  assert.equal(score(m, { version: 262 }).exposure?.text, '9.4');
  assert.equal(score(forced, { version: 262 }).exposure?.text, '9.2');
});

test('the editor says a user unit is scored as one: the summary and the hover', () => {
  const text = '[Service]\nExecStart=/bin/true\n';
  const summaryOf = (path: string): string => {
    const a = hardeningService.analyzeDocument(
      { name: 'a.service', files: [{ path, text }], version: 262 },
      { file: path },
    );
    return hardeningService.summary(a, null)!.message;
  };
  assert.match(summaryOf('/home/a/.config/systemd/user/a.service'), /^a\.service \(user unit\): exposure 9\.2 /);
  assert.match(summaryOf('/etc/systemd/system/a.service'), /^a\.service: exposure 9\.4 /);
  const m = buildUnit('a.service', [{ path: '/etc/systemd/user/a.service', text: `${text}PrivateTmp=yes\n` }], {
    version: 262,
  });
  const md = exposureMarkdown('PrivateTmp', score(m, { version: 262 }), { userUnit: m.scope === 'user' });
  assert.match(md, /systemd-analyze --user security, systemd 262: scored as a user unit/);
});
