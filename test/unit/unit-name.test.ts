/** Unit names and the drop-in folders that apply to them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropinNames, parseUnitName } from '../../server/src/model/unit-name';

test('unit names: type, template, instance; invalid names', () => {
  assert.deepEqual(parseUnitName('nginx.service'), { name: 'nginx.service', prefix: 'nginx', instance: null, type: 'service' });
  assert.deepEqual(parseUnitName('getty@.service'), { name: 'getty@.service', prefix: 'getty', instance: '', type: 'service' });
  assert.deepEqual(parseUnitName('getty@tty1.service'), { name: 'getty@tty1.service', prefix: 'getty', instance: 'tty1', type: 'service' });
  for (const bad of ['', 'nginx', 'nginx.conf', '@x.service', 'a b.service', '.service', 'x'.repeat(300) + '.service']) assert.equal(parseUnitName(bad), null, bad);
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
