/**
 * The exposure engine's arithmetic, policies, n/a handling and suggestions, without the binaries
 * (numbers taken from systemd's source and checked against the real tool; see
 * test/conformance/exposure*.test.ts for the comparisons with the binaries themselves).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bandOf,
  formatTenths,
  overallExposure,
  rowExposure,
  score,
  suggest,
  assessorsFor,
} from '../../server/src/exposure';
import { buildUnit } from '../../server/src/model/build';
import { oneNamespaceLine } from '../../server/src/exposure/plans';

const unit = (body: string, version = 252, name = 'x.service') =>
  buildUnit(name, [{ path: `/etc/systemd/system/${name}`, text: body }], { version });
const bare = (version = 252) => unit('[Service]\nExecStart=/bin/true\n', version);

test('exposure: the bare service (9.6 on 252, 9.4 from 254 because of PrivateMounts)', () => {
  const r = score(bare());
  assert.deepEqual(r.exposure, { tenths: 96, text: '9.6' });
  assert.equal(r.band, 'UNSAFE');
  assert.equal(r.checks.length, 81);
  const na = r.checks
    .filter((c) => c.set === null)
    .map((c) => c.json_field)
    .sort();
  assert.deepEqual(na, ['RemoveIPC', 'SupplementaryGroups']);
  for (const v of [254, 257, 262]) assert.equal(score(bare(v)).exposure?.text, '9.4');
});

test('exposure: arithmetic and bands', () => {
  assert.equal(overallExposure(53510n, 56160n), 96);
  assert.equal(rowExposure(1, 200, 1, 56160n), 1);
  assert.equal(rowExposure(10, 2000, 10, 56160n), 4);
  assert.equal(rowExposure(0, 2000, 10, 56160n), null);
  assert.equal(formatTenths(7), '0.7');
  assert.deepEqual([100, 99, 90, 89, 75, 74, 50, 49, 10, 9, 1, 0].map(bandOf), [
    'DANGEROUS',
    'UNSAFE',
    'UNSAFE',
    'EXPOSED',
    'EXPOSED',
    'MEDIUM',
    'MEDIUM',
    'OK',
    'OK',
    'SAFE',
    'SAFE',
    'PERFECT',
  ]);
});

test('exposure: the assessor tables', () => {
  for (const v of [252, 254, 257, 262]) {
    const t = assessorsFor(v);
    assert.equal(t.length, 81);
    assert.equal(
      t.reduce((s, a) => s + a.weight, 0),
      56460,
    );
    assert.ok(
      t.some((a) => a.json_field === 'CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)'),
      'the json_field typo is kept',
    );
  }
});

test('exposure: DefaultDependencies=no makes four checks n/a', () => {
  const r = score(unit('[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\n'));
  const na = r.checks
    .filter((c) => c.description === 'Service runs in special boot phase, option is not appropriate')
    .map((c) => c.json_field)
    .sort();
  assert.deepEqual(na, ['PrivateTmp', 'ProtectHome', 'ProtectSystem', 'RootDirectoryOrRootImage']);
});

test('exposure: non-root makes SupplementaryGroups/RemoveIPC applicable', () => {
  const r = score(unit('[Service]\nExecStart=/bin/true\nUser=svc\nSupplementaryGroups=adm\n'));
  const get = (f: string) => r.checks.find((c) => c.json_field === f)!;
  assert.equal(get('SupplementaryGroups').badness, 1);
  assert.equal(get('RemoveIPC').badness, 1);
  assert.equal(get('UserOrDynamicUser').description, 'Service runs under a static non-root user identity');
});

test('exposure: policy overrides (weights, ranges, texts; weight 0 excludes)', () => {
  const policy = {
    PrivateNetwork: { weight: 0 },
    UserOrDynamicUser: { weight: 5000, description_bad: 'custom' },
    ProtectSystem: { range: 20 },
    KeyringMode: { weight: -1 },
  };
  const r = score(bare(), { policy });
  assert.equal(r.exposure?.text, '9.5');
  const get = (f: string) => r.checks.find((c) => c.json_field === f)!;
  assert.deepEqual(
    [get('PrivateNetwork').set, get('PrivateNetwork').description],
    [null, 'Option excluded by policy, skipping'],
  );
  assert.deepEqual([get('UserOrDynamicUser').weight, get('UserOrDynamicUser').description], [5000, 'custom']);
  assert.equal(get('ProtectSystem').range, 20);
  assert.equal(get('KeyringMode').weight, 1000);
});

test('exposure: policies systemd aborts on', () => {
  assert.equal(score(bare(), { policy: { UserOrDynamicUser: { range: 1 } } }).refused?.code, 'policy');
  const all = Object.fromEntries(assessorsFor(252).map((a) => [a.json_field, { weight: 0 }]));
  assert.equal(score(bare(), { policy: all }).refused?.code, 'policy');
  assert.equal(score(bare(257), { policy: [1] }).exposure?.text, '9.4');
  assert.equal(score(bare(262), { policy: [1] }).refused?.code, 'policy');
});

test('exposure: refused units get no score', () => {
  assert.equal(score(unit('[Service]\nUser=x\n')).refused?.code, 'service-verify');
  assert.equal(score(unit('')).refused?.code, 'masked');
  assert.equal(score(unit('[Service]\nExecStart=bin/x\n')).refused?.code, 'fatal-setting');
  assert.equal(score(unit('[Service\nExecStart=/bin/true\n')).refused?.code, 'syntax');
});

test('exposure: templates are scored as systemd-analyze names them', () => {
  const t = (v: number) => score(unit('[Service]\nExecStart=/bin/true\nUser=%i\n', v, 'svc@.service'));
  assert.equal(t(252).unit, 'svc@i.service');
  assert.equal(t(257).unit, 'svc@test_instance.service');
  assert.equal(t(252).checks.find((c) => c.json_field === 'UserOrDynamicUser')!.badness, 0);
});

test('exposure: system call filter descriptions name the first offender', () => {
  const r = score(unit('[Service]\nExecStart=/bin/true\nSystemCallFilter=@system-service\n'));
  const priv = r.checks.find((c) => c.json_field === 'SystemCallFilter_privileged')!;
  assert.equal(priv.badness, 9);
  assert.match(
    priv.description!,
    /^System call allow list defined for service, and @privileged is included \(e\.g\. \w+ is allowed\)$/,
  );
  const swap = score(unit('[Service]\nExecStart=/bin/true\nSystemCallFilter=~@swap\n')).checks.find(
    (c) => c.json_field === 'SystemCallFilter_swap',
  )!;
  assert.deepEqual(
    [swap.badness, swap.description],
    [0, 'System call deny list defined for service, and @swap is included'],
  );
});

test('suggest: every suggestion improves its check and is what score() says after adding its lines', () => {
  for (const v of [252, 257, 262]) {
    const m = bare(v);
    const r = suggest(m);
    assert.ok(r.suggestions.length > 50);
    for (const s of r.suggestions) {
      assert.ok(s.badnessAfter === null || s.badnessAfter < s.badness, s.json_field);
      const after = score(
        buildUnit(
          m.name,
          [
            ...m.files.map((f) => ({ path: f.path, text: f.tree.text })),
            { path: '/etc/systemd/system/x.service.d/zz.conf', text: `[Service]\n${s.lines.join('\n')}\n` },
          ],
          { version: v },
        ),
      );
      assert.equal(after.exposure?.tenths, s.exposure.tenths, `${v} ${s.lines.join(' ')}`);
      assert.equal(s.delta, s.exposure.tenths - r.base.exposure!.tenths);
    }
    assert.ok(r.safeSet && r.safeSet.exposure.tenths < r.base.exposure!.tenths);
    // Every safe suggestion is in the safe set; the namespace ones as the set's one RestrictNamespaces= line.
    const safeLines = r.safeSet.lines;
    assert.ok(
      r.suggestions
        .filter((s) => s.safe)
        .every((s) => s.lines.every((l) => safeLines.includes(l) || l.startsWith('RestrictNamespaces=~'))),
    );
    assert.deepEqual(
      safeLines.filter((l) => l.startsWith('RestrictNamespaces=')),
      ['RestrictNamespaces=yes'],
      `${v}: one line, not seven`,
    );
    const all = score(
      buildUnit(
        m.name,
        [
          ...m.files.map((f) => ({ path: f.path, text: f.tree.text })),
          { path: '/etc/systemd/system/x.service.d/zz.conf', text: `[Service]\n${safeLines.join('\n')}\n` },
        ],
        { version: v },
      ),
    );
    assert.equal(all.exposure?.tenths, r.safeSet.exposure.tenths, `${v}: the safe set re-measures equal`);
  }
});

test('safe set: RestrictNamespaces= as one line, `yes` only when every rated type is denied', () => {
  assert.deepEqual(oneNamespaceLine(['A=1', 'RestrictNamespaces=~user', 'B=2', 'RestrictNamespaces=~net']), [
    'A=1',
    'RestrictNamespaces=~user net',
    'B=2',
  ]);
  const seven = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'].map((t) => `RestrictNamespaces=~${t}`);
  assert.deepEqual(oneNamespaceLine(['X=1', ...seven]), ['X=1', 'RestrictNamespaces=yes']);
  assert.deepEqual(oneNamespaceLine(['RestrictNamespaces=~user']), ['RestrictNamespaces=~user']);
});

test('suggest: nothing for a refused unit, nothing for a check at its best', () => {
  assert.deepEqual(suggest(unit('[Service]\nUser=x\n')).suggestions, []);
  const r = suggest(unit('[Service]\nExecStart=/bin/true\nPrivateNetwork=yes\n'));
  assert.ok(!r.suggestions.some((s) => s.json_field === 'PrivateNetwork'));
});
