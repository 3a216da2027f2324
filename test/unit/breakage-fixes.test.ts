/**
 * The quick fixes of the breaks-* and weakens-exposure rules: each case applies the preferred fix of the one
 * diagnostic of its code and compares the edited file with the expected text; the unit analysed again no
 * longer has a diagnostic of that code (the fix loosens exactly what was missing, nothing else).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeUnit, type SourceFile } from '../../server/src/service';
import { applyEdits } from '../../server/src/rules/sandbox';
import { WEAKENS_MAX_DROPINS } from '../../server/src/rules/weakens';

const NGINX = '[Service]\nType=forking\nExecStart=/usr/sbin/nginx -g "daemon on;"\n';
const NOTIFY = '[Service]\nType=notify\nExecStart=/usr/bin/exampled\n';
const EXPORTER = '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS\n';
const MEMCACHED =
  '[Service]\nExecStart=/usr/share/memcached/scripts/systemd-memcached-wrapper /etc/memcached.conf\nCapabilityBoundingSet=CAP_SETGID CAP_SETUID CAP_SYS_RESOURCE\n';
const POSTGRESQL = readFileSync(
  join(__dirname, '..', 'fixtures', 'diagnostics', 'breaks-generic-postgresql', 'postgresql@.service'),
  'utf8',
)
  .split('\n')
  .filter((l) => !l.startsWith('#^'))
  .join('\n');
const REDIS =
  '[Service]\nType=notify\nUser=redis\nExecStart=/usr/bin/redis-server /etc/redis/redis.conf\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\n';

interface Case {
  title: string;
  name: string;
  unit: string;
  dropin: string;
  code: string;
  /** The drop-in after the fix. */
  expected: string;
}

const CASES: Case[] = [
  // nginx switches user itself: User= makes it start as www-data (booted: nginx-user-www-data-fixed).
  {
    title: 'User= for a service that switches user itself',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nUser=www-data\n',
    code: 'breaks-user-switch',
    expected: '[Service]\nUser=www-data\nUser=\n',
  },
  // breaks-low-port: the ambient capability after the line that makes the user non-root (booted: node-app-low-port-fixed).
  {
    title: 'a port from Environment= under User=',
    name: 'app.service',
    unit: '[Service]\nEnvironment=PORT=80\nExecStart=/usr/bin/node /srv/app/server.js\n',
    dropin: '[Service]\nUser=www-data\n',
    code: 'breaks-low-port',
    expected: '[Service]\nUser=www-data\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n',
  },
  {
    title: 'a listen option under DynamicUser=yes and a bounding set without the capability',
    name: 'app.service',
    unit: '[Service]\nExecStart=/usr/bin/app --listen :443\nCapabilityBoundingSet=CAP_CHOWN\n',
    dropin: '[Service]\nDynamicUser=yes\n',
    code: 'breaks-low-port',
    expected:
      '[Service]\nDynamicUser=yes\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n',
  },
  {
    title: 'read-only data and log folders',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nProtectSystem=strict\nNoNewPrivileges=yes\n',
    code: 'breaks-read-only-path',
    expected: '[Service]\nProtectSystem=strict\nNoNewPrivileges=yes\nReadWritePaths=-/var/lib/nginx -/var/log/nginx\n',
  },
  {
    title: 'read-only under DynamicUser=yes',
    name: 'haproxy.service',
    unit: '[Service]\nType=notify\nExecStart=/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg\n',
    dropin: '[Service]\nDynamicUser=yes\n',
    code: 'breaks-read-only-path',
    expected: '[Service]\nDynamicUser=yes\nReadWritePaths=-/run/haproxy /run\n',
  },
  {
    title: 'capabilities taken away by a deny-list',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nCapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP\nNoNewPrivileges=yes\n',
    code: 'breaks-user-switch',
    expected:
      '[Service]\nCapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP\nCapabilityBoundingSet=CAP_SETUID CAP_SETGID\nNoNewPrivileges=yes\n',
  },
  {
    title: 'capabilities emptied over the vendor list',
    name: 'memcached.service',
    unit: MEMCACHED,
    dropin: '[Service]\nCapabilityBoundingSet=\n',
    code: 'breaks-user-switch',
    expected: '[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_SETUID CAP_SETGID\n',
  },
  {
    title: 'CRLF, no final line break',
    name: 'memcached.service',
    unit: MEMCACHED,
    dropin: '[Service]\r\nCapabilityBoundingSet=',
    code: 'breaks-user-switch',
    expected: '[Service]\r\nCapabilityBoundingSet=\r\nCapabilityBoundingSet=CAP_SETUID CAP_SETGID\r\n',
  },
  {
    title: 'a capability used as root, besides the switch',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nCapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_CHOWN\n',
    code: 'breaks-capability',
    expected:
      '[Service]\nCapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_CHOWN\nCapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE\n',
  },
  {
    title: 'the calls of the switch denied',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nSystemCallFilter=~@privileged\n',
    code: 'breaks-user-switch',
    expected: '[Service]\nSystemCallFilter=~@privileged\nSystemCallFilter=setgroups setuid\n',
  },
  {
    title: 'AF_UNIX left out of an allow-list',
    name: 'example.service',
    unit: NOTIFY,
    dropin: '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\nLockPersonality=yes\n',
    code: 'breaks-address-family',
    expected:
      '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\nRestrictAddressFamilies=AF_UNIX\nLockPersonality=yes\n',
  },
  {
    title: 'AF_UNIX in a deny-list',
    name: 'example.service',
    unit: NOTIFY,
    dropin: '[Service]\nRestrictAddressFamilies=~AF_UNIX AF_PACKET\n',
    code: 'breaks-address-family',
    expected: '[Service]\nRestrictAddressFamilies=~AF_UNIX AF_PACKET\nRestrictAddressFamilies=AF_UNIX\n',
  },
  {
    title: 'a family a known service uses',
    name: 'postgresql@15-main.service',
    unit: POSTGRESQL,
    dropin: '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\n',
    code: 'breaks-address-family',
    expected: '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\nRestrictAddressFamilies=AF_UNIX\n',
  },
  // node_exporter without AF_UNIX and AF_NETLINK keeps serving (two collectors fail): no breakage.
  {
    title: 'a call a known service makes',
    name: 'prometheus-node-exporter.service',
    unit: EXPORTER,
    dropin: '[Service]\nSystemCallFilter=@system-service\n',
    code: 'breaks-syscall-filter',
    expected: '[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=adjtimex\n',
  },
  {
    title: 'a mount namespace after RestrictNamespaces=yes',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nExecStartPre=/usr/bin/unshare --mount /bin/true\nRestrictNamespaces=yes\nLockPersonality=yes\n',
    code: 'breaks-restrict-namespaces',
    expected:
      '[Service]\nExecStartPre=/usr/bin/unshare --mount /bin/true\nRestrictNamespaces=yes\nRestrictNamespaces=mnt\nLockPersonality=yes\n',
  },
  {
    title: 'namespaces in a deny-list',
    name: 'example.service',
    unit: '[Service]\nExecStart=/usr/bin/unshare -mn /usr/bin/exampled\n',
    dropin: '[Service]\nRestrictNamespaces=~net mnt user\n',
    code: 'breaks-restrict-namespaces',
    expected: '[Service]\nRestrictNamespaces=~net mnt user\nRestrictNamespaces=mnt net\n',
  },
  {
    title: 'a program below /home under ProtectHome=yes',
    name: 'home-app.service',
    unit: '[Service]\nExecStart=/home/app/bin/home-app\n',
    dropin: '[Service]\nProtectHome=yes\nPrivateTmp=yes\n',
    code: 'breaks-protect-home',
    expected: '[Service]\nProtectHome=yes\nProtectHome=read-only\nPrivateTmp=yes\n',
  },
  // The preferred fix of breaks-kernel-tunables runs only the writing command outside the sandbox (booted: nginx-sysctl-protected-plus).
  {
    title: 'sysctl -w under ProtectKernelTunables=yes',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nProtectKernelTunables=yes\nExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024\n',
    code: 'breaks-kernel-tunables',
    expected: '[Service]\nProtectKernelTunables=yes\nExecStartPre=+/usr/sbin/sysctl -w net.core.somaxconn=1024\n',
  },
  {
    title: 'a shell write, run as root with !',
    name: 'redis-server.service',
    unit: REDIS,
    dropin:
      "[Service]\nProtectKernelTunables=yes\nExecStartPre=-@!/bin/sh sh -c 'echo 1 > /proc/sys/vm/overcommit_memory' ; /bin/true\nExecStartPre=!@/bin/sh sh -c 'echo 1 > /proc/sys/vm/overcommit_memory'\n",
    code: 'breaks-kernel-tunables',
    expected:
      "[Service]\nProtectKernelTunables=yes\nExecStartPre=-@!/bin/sh sh -c 'echo 1 > /proc/sys/vm/overcommit_memory' ; /bin/true\nExecStartPre=@+/bin/sh sh -c 'echo 1 > /proc/sys/vm/overcommit_memory'\n",
  },
  // Two commands on the line: + would cover both, so the fix turns the setting off instead.
  {
    title: 'a write on a line of two commands',
    name: 'nginx.service',
    unit: NGINX,
    dropin:
      '[Service]\nProtectKernelTunables=yes\nExecStartPre=/usr/sbin/sysctl -p /etc/sysctl.d/90-web.conf ; /usr/bin/true\n',
    code: 'breaks-kernel-tunables',
    expected:
      '[Service]\nProtectKernelTunables=yes\nProtectKernelTunables=no\nExecStartPre=/usr/sbin/sysctl -p /etc/sysctl.d/90-web.conf ; /usr/bin/true\n',
  },
  // The command is in the vendor file, which a fix never edits: the setting is turned off in the drop-in instead.
  {
    title: 'a vendor unit writing a kernel setting',
    name: 'nginx.service',
    unit: NGINX + 'ExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024\n',
    dropin: '[Service]\nProtectKernelTunables=yes\n',
    code: 'breaks-kernel-tunables',
    expected: '[Service]\nProtectKernelTunables=yes\nProtectKernelTunables=no\n',
  },
  {
    title: 'ip tuntap under PrivateDevices=yes',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nPrivateDevices=yes\nExecStartPre=/usr/sbin/ip tuntap add dev tun9 mode tun\n',
    code: 'breaks-private-devices',
    expected:
      '[Service]\nPrivateDevices=yes\nPrivateDevices=no\nExecStartPre=/usr/sbin/ip tuntap add dev tun9 mode tun\n',
  },
  {
    title: 'a web server in a network of its own',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nPrivateNetwork=yes\nNoNewPrivileges=yes\n',
    code: 'breaks-private-network',
    expected: '[Service]\nPrivateNetwork=yes\nPrivateNetwork=no\nNoNewPrivileges=yes\n',
  },
  {
    title: 'a socket in a /tmp of its own',
    name: 'memcached.service',
    unit: MEMCACHED,
    dropin: '[Service]\nExecStart=\nExecStart=/usr/bin/memcached -u memcache -s /tmp/memcached.sock\nPrivateTmp=yes\n',
    code: 'breaks-private-tmp',
    expected:
      '[Service]\nExecStart=\nExecStart=/usr/bin/memcached -u memcache -s /tmp/memcached.sock\nPrivateTmp=yes\nPrivateTmp=no\n',
  },
  {
    title: 'a process monitoring agent that sees only its own processes',
    name: 'prometheus-process-exporter.service',
    unit: '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-process-exporter $ARGS\n',
    dropin: '[Service]\nProtectProc=invisible\nProtectClock=yes\n',
    code: 'breaks-protect-proc',
    expected: '[Service]\nProtectProc=invisible\nProtectProc=default\nProtectClock=yes\n',
  },
  {
    title: 'an allow-list after the vendor deny-list',
    name: 'redis-server.service',
    unit: REDIS,
    dropin: '[Service]\nNoNewPrivileges=yes\nSystemCallFilter=@system-service\n',
    code: 'weakens-exposure',
    expected: '[Service]\nNoNewPrivileges=yes\n',
  },
];

function analyse(c: Case, dropin: string): ReturnType<typeof analyzeUnit> {
  const files: SourceFile[] = [
    { path: `/lib/systemd/system/${c.name}`, text: c.unit },
    { path: `/etc/systemd/system/${c.name}.d/override.conf`, text: dropin },
  ];
  return analyzeUnit({ name: c.name, files, version: 252 });
}

for (const c of CASES) {
  test(`fix of ${c.code}: ${c.title}`, () => {
    const found = analyse(c, c.dropin).diagnostics.filter((d) => d.code === c.code);
    assert.equal(found.length, 1, JSON.stringify(found.map((d) => d.message)));
    const fix = found[0]!.fixes?.find((f) => f.preferred);
    assert.ok(fix, 'a preferred fix');
    const path = `/etc/systemd/system/${c.name}.d/override.conf`;
    assert.ok(
      fix.edits.every((e) => e.file === path),
      'the fix edits the drop-in',
    );
    const fixed = applyEdits(c.dropin, fix.edits);
    assert.equal(fixed, c.expected);
    const again = analyse(c, fixed).diagnostics.filter(
      (d) => d.code.startsWith('breaks-') || d.code === 'weakens-exposure',
    );
    assert.deepEqual(
      again.map((d) => d.code),
      [],
    );
  });
}

test('fix of ambient-outside-bounding-set: the granted capability is kept in the bounding set', () => {
  const c: Case = {
    title: '',
    name: 'web.service',
    unit: '[Service]\nUser=web\nExecStart=/usr/bin/web --port 80\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n',
    dropin: '[Service]\nCapabilityBoundingSet=\nAmbientCapabilities=CAP_NET_RAW\n',
    code: 'ambient-outside-bounding-set',
    expected: '',
  };
  const found = analyse(c, c.dropin).diagnostics.filter((d) => d.code === c.code);
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /grants CAP_NET_RAW, CAP_NET_BIND_SERVICE|grants CAP_NET_BIND_SERVICE, CAP_NET_RAW/);
  const fixed = applyEdits(c.dropin, found[0]!.fixes![0]!.edits);
  assert.equal(
    fixed,
    '[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_RAW\nAmbientCapabilities=CAP_NET_RAW\n',
  );
  assert.deepEqual(
    analyse(c, fixed).diagnostics.filter((d) => d.code.startsWith('breaks-')),
    [],
  );
  // An emptied ambient set with an emptied bounding set (the generic block) is no contradiction, but it takes
  // away what User=web needs for port 80: breaks-low-port says so.
  const generic = analyse(c, '[Service]\nCapabilityBoundingSet=\nAmbientCapabilities=\n').diagnostics;
  assert.deepEqual(
    generic.filter((d) => d.code === 'ambient-outside-bounding-set'),
    [],
  );
  const low = generic.filter((d) => d.code.startsWith('breaks-'));
  assert.deepEqual(
    low.map((d) => d.code),
    ['breaks-low-port'],
  );
  // On the line that empties the ambient set, and fixed after it (before it, the reset would undo the fix).
  assert.equal(low[0]!.file, '/etc/systemd/system/web.service.d/override.conf');
  const refixed = applyEdits('[Service]\nCapabilityBoundingSet=\nAmbientCapabilities=\n', low[0]!.fixes![0]!.edits);
  assert.equal(
    refixed,
    '[Service]\nCapabilityBoundingSet=\nAmbientCapabilities=\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n',
  );
  assert.deepEqual(
    analyse(c, refixed).diagnostics.filter((d) => d.code.startsWith('breaks-')),
    [],
  );
});

test('breaks-capability: a capability needed only on the first start is no reason on its own', () => {
  const c: Case = {
    title: '',
    name: 'nginx.service',
    unit: NGINX,
    dropin: '[Service]\nCapabilityBoundingSet=~CAP_CHOWN\n',
    code: 'breaks-capability',
    expected: '',
  };
  assert.deepEqual(
    analyse(c, c.dropin).diagnostics.filter((d) => d.code.startsWith('breaks-')),
    [],
  );
});

test(`weakens-exposure looks at units of up to ${WEAKENS_MAX_DROPINS} drop-ins only (two scorings each keep it linear)`, () => {
  const weakening = {
    path: '/etc/systemd/system/redis-server.service.d/zz.conf',
    text: '[Service]\nSystemCallFilter=@system-service\n',
  };
  const filler = (n: number): SourceFile[] =>
    Array.from({ length: n }, (_, i) => ({
      path: `/etc/systemd/system/redis-server.service.d/${String(i).padStart(5, '0')}.conf`,
      text: `[Service]\nEnvironment=N${i}=1\n`,
    }));
  const codes = (n: number): string[] =>
    analyzeUnit({
      name: 'redis-server.service',
      files: [{ path: '/lib/systemd/system/redis-server.service', text: REDIS }, ...filler(n), weakening],
      version: 252,
    }).diagnostics.map((d) => d.code);
  assert.ok(codes(WEAKENS_MAX_DROPINS - 1).includes('weakens-exposure'));
  assert.ok(!codes(WEAKENS_MAX_DROPINS).includes('weakens-exposure'));
});
