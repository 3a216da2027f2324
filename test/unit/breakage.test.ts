/** Suggestions the unit shows would break it: one row per rule, and a row that must stay clean. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakageOf } from '../../server/src/exposure/breakage';
import { buildUnit } from '../../server/src/model/build';

const rows: [string, string, string[], RegExp | null][] = [
  [
    'a web server after network-online.target keeps its network',
    '[Unit]\nAfter=network-online.target\n[Service]\nExecStart=/usr/sbin/lighttpd -D -f /etc/lighttpd/lighttpd.conf',
    ['PrivateNetwork=yes'],
    /network-online/,
  ],
  [
    'nginx keeps its network: it is reached over IP only (the evidence of breaks-private-network)',
    '[Unit]\nAfter=network-online.target\n[Service]\nExecStart=/usr/sbin/nginx',
    ['PrivateNetwork=yes'],
    /nginx serves HTTP on TCP port 80/,
  ],
  [
    'a listener named on the command line keeps AF_INET',
    '[Service]\nExecStart=/usr/bin/app --listen 0.0.0.0:8080',
    ['RestrictAddressFamilies=~AF_INET AF_INET6'],
    /command line/,
  ],
  [
    'a batch job without network may lose it',
    '[Service]\nExecStart=/usr/bin/tar -czf /var/backups/a.tgz /srv',
    ['PrivateNetwork=yes'],
    null,
  ],
  [
    'device users keep their devices',
    '[Service]\nExecStart=/usr/sbin/hdparm -B 254 /dev/sda',
    ['PrivateDevices=yes'],
    /device/,
  ],
  [
    '/dev/null does not count as a device',
    '[Service]\nExecStart=/bin/sh -c "echo >/dev/null"',
    ['PrivateDevices=yes'],
    null,
  ],
  [
    'a JVM keeps writable+executable memory',
    '[Service]\nExecStart=/usr/bin/java -jar app.jar',
    ['MemoryDenyWriteExecute=yes'],
    /JIT/,
  ],
  [
    'granted capabilities are not dropped',
    '[Service]\nExecStart=/usr/bin/app\nAmbientCapabilities=CAP_NET_BIND_SERVICE',
    ['CapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW'],
    /CAP_NET_BIND_SERVICE/,
  ],
  [
    'an explicit no is a requirement',
    '[Service]\nExecStart=/usr/bin/app\nPrivateTmp=no',
    ['PrivateTmp=yes'],
    /on purpose/,
  ],
  [
    'explicit root stays root',
    '[Service]\nExecStart=/usr/bin/app\nUser=root',
    ['User=', 'DynamicUser=yes'],
    /User=root/,
  ],
  [
    'container runtimes keep their namespaces',
    '[Service]\nExecStart=/usr/bin/dockerd -H fd://',
    ['RestrictNamespaces=~user'],
    /dockerd/,
  ],
  [
    'a sandboxer on any command line keeps its namespaces',
    '[Service]\nExecStart=/usr/bin/app\nExecStopPost=/usr/bin/unshare --net /bin/true',
    ['RestrictNamespaces=yes'],
    /unshare creates namespaces/,
  ],
  [
    'bwrap keeps its namespaces',
    '[Service]\nExecStart=/usr/bin/bwrap --ro-bind / / /usr/bin/app',
    ['RestrictNamespaces=~user'],
    /bwrap/,
  ],
  [
    'a numeric User= is not given DynamicUser=yes (no user would be allocated)',
    '[Service]\nExecStart=/usr/bin/app\nUser=33',
    ['DynamicUser=yes'],
    /User=33/,
  ],
  [
    'a program below /home keeps its folder visible',
    '[Service]\nExecStart=/home/app/bin/app',
    ['ProtectHome=yes'],
    /below \/home/,
  ],
  [
    'a working folder below /root keeps it visible',
    '[Service]\nExecStart=/usr/bin/app\nWorkingDirectory=/root/app',
    ['ProtectHome=tmpfs'],
    /below \/root/,
  ],
  [
    'a program below /home may still get ProtectHome=read-only',
    '[Service]\nExecStart=/home/app/bin/app',
    ['ProtectHome=read-only'],
    null,
  ],
  [
    'nginx, started as root, keeps what its switch to www-data needs',
    '[Service]\nExecStart=/usr/sbin/nginx',
    ['CapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP'],
    /switches to www-data/,
  ],
  [
    'nginx keeps the calls of its switch',
    '[Service]\nExecStart=/usr/sbin/nginx',
    ['SystemCallFilter=~@privileged'],
    /setgroups, setuid/,
  ],
  [
    'nginx is not given DynamicUser=yes',
    '[Service]\nExecStart=/usr/sbin/nginx',
    ['User=', 'DynamicUser=yes'],
    /switches to www-data/,
  ],
  [
    'nginx is not given ProtectSystem=strict while its folders are read-only',
    '[Service]\nExecStart=/usr/sbin/nginx',
    ['ProtectSystem=strict'],
    /\/var\/lib\/nginx/,
  ],
  [
    'nginx takes ProtectSystem=strict once its folders are writable',
    '[Service]\nExecStart=/usr/sbin/nginx\nReadWritePaths=/var/lib/nginx /var/log/nginx',
    ['ProtectSystem=strict'],
    null,
  ],
  [
    'nginx, started as root, keeps CAP_CHOWN for its temporary folders',
    '[Service]\nExecStart=/usr/sbin/nginx',
    ['CapabilityBoundingSet=~CAP_CHOWN CAP_FSETID CAP_SETFCAP'],
    /CAP_CHOWN/,
  ],
  [
    'a service that runs as its own user may lose CAP_SETUID',
    '[Service]\nUser=mysql\nType=notify\nExecStart=/usr/sbin/mariadbd',
    ['CapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP'],
    null,
  ],
  [
    'a Type=notify service keeps AF_UNIX',
    '[Service]\nType=notify\nExecStart=/usr/bin/app',
    ['RestrictAddressFamilies=~AF_UNIX'],
    /sd_notify/,
  ],
  [
    'a Type=notify service may lose AF_PACKET',
    '[Service]\nType=notify\nExecStart=/usr/bin/app',
    ['RestrictAddressFamilies=~AF_PACKET'],
    null,
  ],
  [
    'node_exporter keeps netlink',
    '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS',
    ['RestrictAddressFamilies=~AF_NETLINK'],
    /netdev/,
  ],
  [
    'node_exporter keeps adjtimex()',
    '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS',
    ['SystemCallFilter=~@clock'],
    /adjtimex/,
  ],
  [
    'a user that runs sudo is not given NoNewPrivileges=',
    '[Service]\nUser=app\nExecStartPre=/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
    ['NoNewPrivileges=yes'],
    /runs \/usr\/bin\/sudo/,
  ],
  [
    'a user that runs sudo is not given a setting that implies NoNewPrivileges=',
    '[Service]\nUser=app\nExecStartPre=/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
    ['SystemCallFilter=@system-service'],
    /implied by SystemCallFilter=/,
  ],
  [
    'a root unit that runs sudo keeps it under NoNewPrivileges=',
    '[Service]\nExecStartPre=/usr/bin/sudo -u nobody /usr/bin/true\nExecStart=/usr/bin/app',
    ['NoNewPrivileges=yes', 'SystemCallFilter=@system-service'],
    null,
  ],
  [
    'a root unit that runs sudo is not given DynamicUser=',
    '[Service]\nExecStartPre=/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
    ['DynamicUser=yes'],
    /sudo/,
  ],
  [
    'sudo with the + prefix runs as root: NoNewPrivileges= is fine',
    '[Service]\nUser=app\nExecStartPre=+/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
    ['NoNewPrivileges=yes'],
    null,
  ],
  [
    'a time daemon keeps the clock',
    '[Service]\nExecStart=/usr/sbin/chronyd -F 1\n',
    ['ProtectClock=yes'],
    /chronyd sets the system clock/,
  ],
  [
    'a time daemon keeps CAP_SYS_TIME',
    '[Service]\nExecStart=/usr/sbin/chronyd -F 1\n',
    ['CapabilityBoundingSet=~CAP_SYS_TIME'],
    /chronyd sets the system clock/,
  ],
  [
    'another service may lose the clock',
    '[Service]\nExecStart=/usr/bin/app\n',
    ['ProtectClock=yes', 'CapabilityBoundingSet=~CAP_SYS_TIME'],
    null,
  ],
  [
    'a user that runs sudo keeps CAP_SETUID and CAP_SETGID',
    '[Service]\nUser=app\nExecStartPre=/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
    ['CapabilityBoundingSet='],
    /needs CAP_SETUID and CAP_SETGID/,
  ],
  [
    'a user that runs sudo may lose other capabilities',
    '[Service]\nUser=app\nExecStartPre=/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
    ['CapabilityBoundingSet=~CAP_SYS_MODULE CAP_SYS_RAWIO'],
    null,
  ],
  [
    'a unit that writes a kernel setting keeps it writable',
    '[Service]\nExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024\nExecStart=/usr/bin/app',
    ['ProtectKernelTunables=yes'],
    /sysctl -w net.core.somaxconn=1024/,
  ],
  [
    'a shell write into /proc/sys counts too',
    "[Service]\nExecStartPre=/bin/sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'\nExecStart=/usr/bin/app",
    ['ProtectKernelTunables=yes'],
    /\/proc\/sys\/net\/ipv4\/ip_forward/,
  ],
  [
    'reading a kernel setting is no write',
    '[Service]\nExecStartPre=/usr/sbin/sysctl -n net.core.somaxconn\nExecStart=/usr/bin/app',
    ['ProtectKernelTunables=yes'],
    null,
  ],
  [
    'a write whose failure is ignored (-) does not hold ProtectKernelTunables= back',
    '[Service]\nExecStartPre=-/usr/sbin/sysctl -w net.core.somaxconn=1024\nExecStart=/usr/bin/app',
    ['ProtectKernelTunables=yes'],
    null,
  ],
  [
    'ip tuntap keeps its /dev/net/tun',
    '[Service]\nExecStartPre=/usr/sbin/ip tuntap add dev tun9 mode tun\nExecStart=/usr/bin/app',
    ['PrivateDevices=yes'],
    /device/,
  ],
  [
    'a device named in Environment= is kept',
    '[Service]\nEnvironment=PORT=/dev/ttyUSB0\nExecStart=/usr/bin/app',
    ['PrivateDevices=yes'],
    /device/,
  ],
  [
    'a process monitoring agent keeps every process in /proc (the evidence of breaks-protect-proc)',
    '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-process-exporter $ARGS',
    ['ProtectProc=invisible'],
    /reports on the processes it is told to watch/,
  ],
  [
    'node_exporter may take ProtectProc=invisible',
    '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS',
    ['ProtectProc=invisible'],
    null,
  ],
  [
    'an ordinary daemon takes the safe settings',
    '[Service]\nExecStart=/usr/sbin/cron -f',
    ['ProtectKernelModules=yes', 'NoNewPrivileges=yes'],
    null,
  ],
];

test('breakage: from systemd 255 a user that runs sudo may take the seccomp settings other than a system-call filter (no implied flag), not NoNewPrivileges=', () => {
  const model = buildUnit(
    'x.service',
    [
      {
        path: '/x.service',
        text: '[Service]\nUser=app\nExecStartPre=/usr/bin/sudo -n /usr/bin/true\nExecStart=/usr/bin/app',
      },
    ],
    { version: 257 },
  );
  assert.equal(breakageOf(model, ['RestrictAddressFamilies=AF_UNIX AF_INET', 'LockPersonality=yes']), null);
  assert.match(breakageOf(model, ['NoNewPrivileges=yes']) ?? '', /sudo/);
  assert.match(breakageOf(model, ['SystemCallFilter=~@privileged']) ?? '', /sudo/);
});

for (const [title, text, lines, expected] of rows) {
  test(`breakage: ${title}`, () => {
    const model = buildUnit(/nginx/.test(text) ? 'web.service' : 'x.service', [{ path: '/x.service', text }], {
      version: 252,
    });
    const why = breakageOf(model, lines);
    if (expected === null) assert.equal(why, null);
    else assert.match(why ?? '', expected);
  });
}
