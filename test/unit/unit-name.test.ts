/** Unit names and the drop-in folders that apply to them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropinNames, parseUnitName, unitNameProblem } from '../../server/src/model/unit-name';
import { analyzeUnit } from '../../server/src/service';

test('unit names: type, template, instance; invalid names', () => {
  assert.deepEqual(parseUnitName('nginx.service'), {
    name: 'nginx.service',
    prefix: 'nginx',
    instance: null,
    type: 'service',
  });
  assert.deepEqual(parseUnitName('getty@.service'), {
    name: 'getty@.service',
    prefix: 'getty',
    instance: '',
    type: 'service',
  });
  assert.deepEqual(parseUnitName('getty@tty1.service'), {
    name: 'getty@tty1.service',
    prefix: 'getty',
    instance: 'tty1',
    type: 'service',
  });
  for (const bad of ['', 'nginx', 'nginx.conf', '@x.service', 'a b.service', '.service', 'x'.repeat(300) + '.service'])
    assert.equal(parseUnitName(bad), null, bad);
});

const cases: [string, string[]][] = [
  ['foo.service', ['foo.service']],
  ['foo-bar-baz.service', ['foo-bar-baz.service', 'foo-bar-.service', 'foo-.service']],
  ['foo-.service', ['foo-.service']],
  ['-foo.service', ['-foo.service']],
  ['tpl@inst.service', ['tpl@inst.service', 'tpl@.service']],
  ['a-b@c-d.service', ['a-b@c-d.service', 'a-b@.service', 'a-.service', 'a-@c-d.service', 'a-@.service']],
  ['a-b-c.socket', ['a-b-c.socket', 'a-b-.socket', 'a-.socket']],
];
for (const [name, expected] of cases) {
  test(`drop-in folders for ${name}`, () => assert.deepEqual(dropinNames(name), expected));
}

/** [name, what unitNameProblem() says: null, the start of the reason, or '.suffix' for a type systemd does not know] */
const problems: [string, string | null][] = [
  ['nginx.service', null],
  ['getty@.service', null],
  ['getty@tty1.service', null],
  ['a@b@c.service', null],
  ['x:y_z-1.2\\x2d.socket', null],
  ['a'.repeat(247) + '.service', null],
  ['a'.repeat(248) + '.service', 'a unit name may be at most 255 bytes long, and this one has 256'],
  ['é'.repeat(130) + '.service', 'a unit name may be at most 255 bytes long, and this one has 268'],
  ['', 'the name is empty'],
  ['nginx', "a unit name ends with its type, such as '.service' or '.socket'"],
  ['.service', "the name before '.service' is empty"],
  [
    'x y.service',
    "unit names may contain only ASCII letters, digits, ':', '-', '_', '.', '\\' and '@', and this one has a space",
  ],
  ['café.service', 'and this one has U+00E9'],
  ['a/b.service', "and this one has '/'"],
  ['@.service', "nothing comes before '@'"],
  ['@x.service', "nothing comes before '@'"],
  ['web.container', '.container'],
  ['x y.container', '.container'],
  ['nginx.Service', '.Service'],
];

for (const [name, expected] of problems) {
  test(`unit name problem: ${name.length > 40 ? name.slice(0, 20) + '…' : JSON.stringify(name)}`, () => {
    const p = unitNameProblem(name);
    // systemd's one test, and our parser, agree.
    assert.equal(p === null, parseUnitName(name) !== null);
    if (expected === null) return assert.equal(p, null);
    assert.ok(p);
    if (expected.startsWith('.')) return assert.deepEqual(p, { kind: 'unknown-type', suffix: expected });
    assert.equal(p.kind, 'invalid');
    assert.ok(p.kind === 'invalid' && p.reason.includes(expected), JSON.stringify(p));
  });
}

test('a unit without a name or type is checked as a service, and the message says so', () => {
  for (const name of ['', 'service']) {
    const { diagnostics } = analyzeUnit({
      name,
      files: [{ path: 'untitled:1', text: '[Service]\nExecStart=/bin/true\n[Foo]\nx=y\n' }],
      version: 252,
    });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-section'],
      name,
    );
    assert.equal(
      diagnostics[0]!.message,
      'Unknown section [Foo]: systemd ignores it and everything in it. Without a unit type, this is checked as a service, which has [Unit], [Service], [Install].',
    );
  }
});

test('the language server names documents that are not files by their URI path, or not at all', async () => {
  const { unitNameOfUri } = await import('../../server/src/lsp/units');
  const cases: [string, string][] = [
    ['untitled:Untitled-1', ''],
    ['untitled:/home/me/new.service', 'new.service'],
    ['git:/home/me/web.service?%7B%22path%22%3A%22%2Fhome%2Fme%2Fweb.service%22%7D', 'web.service'],
    ['git:/home/me/web.service.d/override.conf?%7B%7D', 'web.service'],
    ['vscode-remote://ssh-remote%2Bhost/etc/systemd/system/x%20y.service', 'x y.service'],
    ['inmemory://model/1', ''],
  ];
  for (const [uri, name] of cases) assert.equal(unitNameOfUri(uri), name, uri);
});

test('systemd-analyze refuses to score a file whose name is not a unit name', async () => {
  const { scoreUnit } = await import('../../server/src/service');
  const text = '[Service]\nExecStart=/bin/true\n';
  for (const name of ['x y.service', '@.service', 'web.container']) {
    const r = scoreUnit({ name, files: [{ path: `/tmp/${name}`, text }], version: 252 });
    assert.equal(r.exposure, null, name);
    assert.ok(r.error?.startsWith(`systemd refuses the unit name '${name}': `), r.error);
  }
  assert.equal(scoreUnit({ name: 'x.service', files: [{ path: '/tmp/x.service', text }], version: 252 }).exposure, 9.6);
});
