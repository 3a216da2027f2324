/**
 * Where the hardening drop-in of a unit goes: beside a unit the administrator owns, and under the
 * administrator's /etc/systemd/{system,user}/NAME.d/ of the same root for a vendor unit, also when the
 * vendor unit lies inside a chroot or an image tree. Checked on the actions the editor offers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDocument, codeActions, hardenUnit } from '../../server/src/service';
import { hardeningDropinPath, isVendorPath } from '../../server/src/features/code-actions';
import { buildUnit } from '../../server/src/model/build';
import { exposureAfterEdits } from '../../server/src/rules/sandbox';

const UNIT = '[Unit]\nDescription=web\n[Service]\nExecStart=/usr/sbin/nginx\nProtectSystem=full\nPrivateTmp=yes\n';

/** [unit file, where its hardening drop-in goes] */
const cases: [string, string][] = [
  ['/usr/lib/systemd/system/nginx.service', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['/lib/systemd/system/nginx.service', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['/usr/lib/systemd/user/nginx.service', '/etc/systemd/user/nginx.service.d/hardening.conf'],
  ['/lib/systemd/user/nginx.service', '/etc/systemd/user/nginx.service.d/hardening.conf'],
  [
    '/srv/chroot/bookworm/usr/lib/systemd/system/nginx.service',
    '/srv/chroot/bookworm/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
  [
    '/var/lib/machines/web/lib/systemd/system/nginx.service',
    '/var/lib/machines/web/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
  [
    '/home/me/img/rootfs/usr/lib/systemd/system/nginx.service',
    '/home/me/img/rootfs/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
  [
    '/home/me/img/rootfs/usr/lib/systemd/user/nginx.service',
    '/home/me/img/rootfs/etc/systemd/user/nginx.service.d/hardening.conf',
  ],
  ['rootfs/usr/lib/systemd/system/nginx.service', 'rootfs/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['usr/lib/systemd/system/nginx.service', 'etc/systemd/system/nginx.service.d/hardening.conf'],
  // Generated units are rewritten at every daemon-reload: the drop-in goes to the administrator's folder.
  ['/run/systemd/generator/nginx.service', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['/run/systemd/generator.late/nginx.service', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['/run/systemd/transient/nginx.service', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  [
    '/var/lib/machines/web/run/systemd/generator.early/nginx.service',
    '/var/lib/machines/web/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
  // The administrator's own folders (systemd.unit(5): /usr/local/lib/systemd/system holds "System units
  // installed by the administrator") and a project's folders: beside the unit.
  ['/etc/systemd/system/nginx.service', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['/usr/local/lib/systemd/system/nginx.service', '/usr/local/lib/systemd/system/nginx.service.d/hardening.conf'],
  [
    '/srv/img/usr/local/lib/systemd/user/nginx.service',
    '/srv/img/usr/local/lib/systemd/user/nginx.service.d/hardening.conf',
  ],
  [
    '/srv/chroot/bookworm/etc/systemd/system/nginx.service',
    '/srv/chroot/bookworm/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
  ['/home/me/project/deploy/nginx.service', '/home/me/project/deploy/nginx.service.d/hardening.conf'],
  [
    '/home/me/project/lib/systemd/system-x/nginx.service',
    '/home/me/project/lib/systemd/system-x/nginx.service.d/hardening.conf',
  ],
  ['/home/me/mylib/systemd/system/nginx.service', '/home/me/mylib/systemd/system/nginx.service.d/hardening.conf'],
  ['nginx.service', './nginx.service.d/hardening.conf'],
  // User units of packages installed in a home folder, and the XDG data folders.
  ['/home/me/.local/share/systemd/user/nginx.service', '/home/me/.config/systemd/user/nginx.service.d/hardening.conf'],
  ['/usr/share/systemd/user/nginx.service', '/etc/systemd/user/nginx.service.d/hardening.conf'],
  ['/srv/img/usr/share/systemd/user/nginx.service', '/srv/img/etc/systemd/user/nginx.service.d/hardening.conf'],
  ['/usr/local/share/systemd/user/nginx.service', '/usr/local/share/systemd/user/nginx.service.d/hardening.conf'],
  // When no unit file was found the first file is a drop-in: the hardening drop-in goes beside it, in the same NAME.d/.
  ['/home/me/proj/nginx.service.d/override.conf', '/home/me/proj/nginx.service.d/hardening.conf'],
  ['/etc/systemd/system/nginx.service.d/override.conf', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  ['/usr/lib/systemd/system/nginx.service.d/vendor.conf', '/etc/systemd/system/nginx.service.d/hardening.conf'],
  [
    '/srv/chroot/bookworm/usr/lib/systemd/system/nginx.service.d/vendor.conf',
    '/srv/chroot/bookworm/etc/systemd/system/nginx.service.d/hardening.conf',
  ],
];

for (const [unit, dropin] of cases) {
  test(`hardening drop-in of ${unit}`, () => {
    const model = buildUnit('nginx.service', [{ path: unit, text: UNIT }], { version: 252 });
    assert.equal(hardeningDropinPath(model, model.files[0]!), dropin);
    if (!unit.endsWith('.conf'))
      assert.equal(isVendorPath(unit), !dropin.startsWith(unit.slice(0, unit.lastIndexOf('/') + 1)));
  });
}

test("the editor actions write the drop-in of a vendor unit inside a tree under that tree's /etc, and never edit the vendor file", () => {
  const unit = '/srv/chroot/bookworm/usr/lib/systemd/system/nginx.service';
  const dropin = '/srv/chroot/bookworm/etc/systemd/system/nginx.service.d/hardening.conf';
  const analysis = analyzeDocument(
    { name: 'nginx.service', files: [{ path: unit, text: UNIT }], version: 252 },
    { file: unit },
  );
  const actions = codeActions(analysis, { start: 0, end: UNIT.length });
  // Harden this unit… writes the recommended drop-in there.
  assert.equal(
    hardenUnit({ name: 'nginx.service', files: [{ path: unit, text: UNIT }], version: 252 }).dropinPath,
    dropin,
  );
  // Moving the vendor's lines out of its file, or adding the safe set into it, is not offered: a package upgrade undoes both.
  assert.deepEqual(
    actions.filter((a) => /^(Move|Apply the safe)/.test(a.title)).map((a) => a.title),
    [],
  );
  // Every fix (the sandbox diagnostics' too) writes the drop-in, never the vendor file.
  assert.ok(
    actions.some((a) => a.diagnosticCode?.startsWith('sandbox-')),
    'the unit has sandbox fixes',
  );
  for (const a of actions) for (const e of a.edits) assert.equal(e.file, dropin, `${a.title}: ${e.file}`);
});

test('the exposure each fix of a vendor unit predicts is the score of the unit with its drop-in edit applied (drop-ins sorted before and after hardening.conf)', () => {
  const root = '/srv/img';
  const unit = `${root}/usr/lib/systemd/system/nginx.service`;
  const files = [
    { path: unit, text: UNIT + 'ProtectProc=noaccess\n' },
    { path: `${root}/etc/systemd/system/nginx.service.d/10-early.conf`, text: '[Service]\nRestrictRealtime=no\n' },
    {
      path: `${root}/etc/systemd/system/nginx.service.d/override.conf`,
      text: '[Service]\nProtectClock=no\nSystemCallFilter=~@mount\n',
    },
  ];
  const analysis = analyzeDocument({ name: 'nginx.service', files, version: 252 }, { file: unit });
  const sandbox = analysis.diagnostics.filter((d) => d.code.startsWith('sandbox-'));
  assert.ok(sandbox.length > 10, `${sandbox.length} sandbox diagnostics`);
  const wrong: string[] = [];
  for (const d of sandbox) {
    const fix = d.fixes![0]!;
    const predicted = /→ (\d+\.\d)[;)]/.exec(fix.title)?.[1];
    const real = exposureAfterEdits(analysis.model, fix.edits, { version: 252 });
    if (predicted !== real) wrong.push(`${fix.title}: scored ${real}`);
    if (fix.edits.some((e) => e.file === unit)) wrong.push(`${fix.title} edits the vendor file`);
  }
  assert.deepEqual(wrong, []);
});
