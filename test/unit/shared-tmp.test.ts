/**
 * The evidence behind breaks-private-tmp (evidence/shared-tmp.ts): a socket the unit puts under /tmp
 * or /var/tmp for other processes, and that the hold-back of PrivateTmp= suggestions
 * (exposure/breakage.ts) is never weaker than the warning.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakageOf } from '../../server/src/exposure/breakage';
import { sharedTmp, sharedTmpIn } from '../../server/src/evidence/shared-tmp';
import { buildUnit } from '../../server/src/model/build';

const texts: [string, string | null][] = [
  ['/usr/bin/memcached -u memcache -s /tmp/memcached.sock -a 0666', '/tmp/memcached.sock'],
  ['/usr/bin/app --listen unix:/tmp/app', '/tmp/app'],
  ['/usr/bin/app --upstream unix:///var/tmp/app/api', '/var/tmp/app/api'],
  ['/usr/bin/app --socket=/tmp/app', '/tmp/app'],
  ['/usr/bin/app --unix-socket /tmp/app/control', '/tmp/app/control'],
  ['/usr/bin/app --listen /tmp/app-listener', '/tmp/app-listener'],
  ['/usr/bin/uwsgi --ini /etc/uwsgi/app.ini --socket "/tmp/uwsgi.socket"', '/tmp/uwsgi.socket'],
  ['APP_SOCKET=/tmp/app', '/tmp/app'],
  ['"SSH_AUTH_SOCK=/tmp/agent/ssh"', '/tmp/agent/ssh'],
  ['/usr/bin/app --socket /run/app/app.sock', null],
  ['/usr/bin/app --tmpdir /tmp/work --scratch=/var/tmp/app', null],
  ['/bin/ln -s /tmp/cache /run/cache', null],
  ['/usr/bin/bwrap --bind /tmp/work /work /usr/bin/app', null],
  ['TMPDIR=/tmp/app', null],
  ['/usr/bin/app --log /tmp/app.log', null],
  ['/usr/bin/app --socket /tmpfs/app.sock', null],
];

for (const [text, expected] of texts) {
  test(`a socket under /tmp for others: ${text} -> ${expected ?? 'none'}`, () => {
    assert.equal(sharedTmpIn(text), expected);
  });
}

function model(text: string): ReturnType<typeof buildUnit> {
  return buildUnit('example.service', [{ path: '/etc/systemd/system/example.service', text }], { version: 252 });
}

test('what counts: the effective command lines and Environment=; not a unit that shares its namespace', () => {
  assert.deepEqual(sharedTmp(model('[Service]\nExecStart=/usr/bin/app --socket=/tmp/app.sock')), {
    path: '/tmp/app.sock',
    where: 'ExecStart=',
  });
  assert.deepEqual(sharedTmp(model('[Service]\nEnvironment=A=1 B_SOCK=/tmp/b\nExecStart=/usr/bin/app')), {
    path: '/tmp/b',
    where: 'Environment=',
  });
  assert.equal(
    sharedTmp(model('[Service]\nExecStart=/usr/bin/app --socket=/tmp/app.sock\nExecStart=\nExecStart=/usr/bin/app')),
    null,
  );
  assert.equal(
    sharedTmp(
      model('[Unit]\nJoinsNamespaceOf=helper.service\n[Service]\nExecStart=/usr/bin/app --socket=/tmp/app.sock'),
    ),
    null,
  );
});

test('the hold-back keeps PrivateTmp=yes from a unit that puts its socket in /tmp, and offers it otherwise', () => {
  assert.match(
    breakageOf(model('[Service]\nExecStart=/usr/bin/memcached -u memcache -s /tmp/memcached.sock'), [
      'PrivateTmp=yes',
    ]) ?? '',
    /\/tmp\/memcached\.sock/,
  );
  assert.equal(
    breakageOf(model('[Service]\nExecStart=/usr/bin/memcached -u memcache -s /run/memcached/memcached.sock'), [
      'PrivateTmp=yes',
    ]),
    null,
  );
  assert.equal(
    breakageOf(model('[Service]\nExecStart=/usr/bin/memcached -u memcache -s /tmp/memcached.sock'), ['PrivateTmp=no']),
    null,
  );
});
