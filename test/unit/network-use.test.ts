/**
 * The strong evidence of IP use behind breaks-private-network (evidence/network-use.ts): what a command
 * line shows, what socket activation hides, and that the hold-back of PrivateNetwork= suggestions
 * (exposure/breakage.ts) is never weaker than the warning.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakageOf } from '../../server/src/exposure/breakage';
import { ipInCommand, ipUse, socketActivated } from '../../server/src/evidence/network-use';
import { serviceNeedsFor } from '../../server/src/knowledge/service-needs';
import { buildUnit } from '../../server/src/model/build';

const commands: [string, string | null][] = [
  ['/usr/bin/app --listen 0.0.0.0:8080', '0.0.0.0:8080'],
  ['/usr/bin/app --bind=127.0.0.1', '127.0.0.1'],
  ['/usr/bin/memcached -l 127.0.0.1 -p 11211', '127.0.0.1'],
  ['/usr/bin/app --listen [::1]:8443', '[::1]:8443'],
  ['/usr/bin/prometheus-node-exporter --web.listen-address=:9100', ':9100'],
  ['/usr/bin/app --upstream localhost:6379', 'localhost:6379'],
  ['/usr/bin/app --port=8080', '--port=8080'],
  ['/usr/bin/app --http-port 80', '--http-port 80'],
  ['/usr/bin/curl -fsS https://example.org/feed.xml', 'https://example.org'],
  ['/usr/bin/app --redis redis://cache:6379/0', 'redis://cache:6379'],
  ['/usr/bin/app --socket unix:///run/app.sock', null],
  ['/usr/bin/app --config file:///etc/app.toml', null],
  ['/usr/bin/app --export 5 --report 10', null],
  ['/usr/bin/app --timeout 10:30 /srv/data', null],
  ['/usr/lib/libfoo.so.1.2.3.4 --version', null],
  ['/usr/bin/app --ip 300.1.1.1', null],
  ["/usr/sbin/nginx -g 'daemon on; master_process on;'", null],
  ['/usr/sbin/haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS', null],
];

for (const [command, expected] of commands) {
  test(`IP on a command line: ${command} -> ${expected ?? 'none'}`, () => {
    assert.equal(ipInCommand(command), expected);
  });
}

function model(text: string, name = 'example.service'): ReturnType<typeof buildUnit> {
  return buildUnit(name, [{ path: `/etc/systemd/system/${name}`, text }], { version: 252 });
}

test("socket activation: Sockets=, its own .socket required or enabled; not another unit's socket", () => {
  assert.match(
    socketActivated(model('[Service]\nSockets=web.socket\nExecStart=/usr/bin/app')) ?? '',
    /Sockets=web\.socket/,
  );
  assert.match(
    socketActivated(model('[Unit]\nRequires=example.socket\n[Service]\nExecStart=/usr/bin/app')) ?? '',
    /Requires=example\.socket/,
  );
  assert.match(
    socketActivated(model('[Service]\nExecStart=/usr/bin/app\n[Install]\nAlso=example.socket')) ?? '',
    /Also=example\.socket/,
  );
  assert.match(
    socketActivated(model('[Unit]\nBindsTo=example.socket\n[Service]\nExecStart=/usr/bin/app', 'example@1.service')) ??
      '',
    /BindsTo=example\.socket/,
  );
  assert.equal(
    socketActivated(model('[Unit]\nRequires=dbus.socket\nAfter=dbus.socket\n[Service]\nExecStart=/usr/bin/app')),
    null,
  );
  assert.equal(
    ipUse(
      model(
        '[Unit]\nRequires=example.socket\n[Service]\nExecStart=/usr/bin/app --listen 0.0.0.0:80\nRestrictAddressFamilies=AF_INET',
      ),
      undefined,
    ),
    null,
  );
});

test('address families: an allow-list with AF_INET or AF_INET6 is evidence, a deny-list or an allow-list without them is not', () => {
  const use = (lines: string): string | null =>
    ipUse(model(`[Service]\nExecStart=/usr/bin/app\n${lines}`), undefined)?.evidence ?? null;
  assert.match(use('RestrictAddressFamilies=AF_UNIX AF_INET6') ?? '', /RestrictAddressFamilies=AF_UNIX AF_INET6/);
  assert.equal(use('RestrictAddressFamilies=~AF_INET AF_INET6'), null);
  assert.equal(use('RestrictAddressFamilies=AF_UNIX'), null);
  assert.equal(use('RestrictAddressFamilies=AF_UNIX AF_INET\nRestrictAddressFamilies=~AF_INET'), null);
  assert.equal(use('RestrictAddressFamilies=AF_INET\nRestrictAddressFamilies=\nRestrictAddressFamilies=AF_UNIX'), null);
  assert.match(use('IPAddressAllow=10.0.0.0/8') ?? '', /IPAddressAllow=10\.0\.0\.0\/8/);
  assert.equal(use('IPAddressAllow=10.0.0.0/8\nIPAddressAllow='), null);
});

test('a known service reached over IP only is evidence; one its clients reach over a Unix socket is not', () => {
  for (const [name, program] of [
    ['nginx.service', '/usr/sbin/nginx'],
    ['redis-server.service', '/usr/bin/redis-server'],
    ['prometheus.service', '/usr/bin/prometheus'],
    ['unbound.service', '/usr/sbin/unbound'],
  ] as const) {
    assert.ok(ipUse(model(`[Service]\nExecStart=${program}`, name), serviceNeedsFor(name, program))?.known, name);
  }
  for (const [name, program] of [
    ['haproxy.service', '/usr/sbin/haproxy'],
    ['postgresql@15-main.service', '/usr/bin/pg_ctlcluster'],
    ['mariadb.service', '/usr/sbin/mariadbd'],
  ] as const) {
    assert.equal(ipUse(model(`[Service]\nExecStart=${program}`, name), serviceNeedsFor(name, program)), null, name);
  }
});

// Units the warning flags: the hold-back must keep PrivateNetwork=yes from being suggested for each.
const flagged: [string, string][] = [
  [
    'prometheus.service',
    '[Unit]\nAfter=time-sync.target\n[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus $ARGS',
  ],
  ['exporter.service', '[Service]\nExecStart=/usr/bin/app --web.listen-address=:9100'],
  ['web.service', '[Service]\nExecStart=/usr/bin/true\nExecStart=\nExecStart=/usr/sbin/nginx'],
];
for (const [name, text] of flagged) {
  test(`the hold-back keeps PrivateNetwork=yes from ${name}, which the warning would flag`, () => {
    const m = model(text, name);
    assert.ok(breakageOf(m, ['PrivateNetwork=yes']));
  });
}
