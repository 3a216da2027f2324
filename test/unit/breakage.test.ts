/** Suggestions the unit shows would break it: one row per rule, and a row that must stay clean. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakageOf } from '../../server/src/exposure/breakage';
import { buildUnit } from '../../server/src/model/build';

const rows: [string, string, string[], RegExp | null][] = [
  ['a web server after network-online.target keeps its network', '[Unit]\nAfter=network-online.target\n[Service]\nExecStart=/usr/sbin/lighttpd -D -f /etc/lighttpd/lighttpd.conf', ['PrivateNetwork=yes'], /network-online/],
  ['nginx keeps its network: it is reached over IP only (the evidence of breaks-private-network)', '[Unit]\nAfter=network-online.target\n[Service]\nExecStart=/usr/sbin/nginx', ['PrivateNetwork=yes'], /nginx serves HTTP on TCP port 80/],
  ['a listener named on the command line keeps AF_INET', '[Service]\nExecStart=/usr/bin/app --listen 0.0.0.0:8080', ['RestrictAddressFamilies=~AF_INET AF_INET6'], /command line/],
  ['a batch job without network may lose it', '[Service]\nExecStart=/usr/bin/tar -czf /var/backups/a.tgz /srv', ['PrivateNetwork=yes'], null],
  ['device users keep their devices', '[Service]\nExecStart=/usr/sbin/hdparm -B 254 /dev/sda', ['PrivateDevices=yes'], /device/],
  ['/dev/null does not count as a device', '[Service]\nExecStart=/bin/sh -c "echo >/dev/null"', ['PrivateDevices=yes'], null],
  ['a JVM keeps writable+executable memory', '[Service]\nExecStart=/usr/bin/java -jar app.jar', ['MemoryDenyWriteExecute=yes'], /JIT/],
  ['granted capabilities are not dropped', '[Service]\nExecStart=/usr/bin/app\nAmbientCapabilities=CAP_NET_BIND_SERVICE', ['CapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW'], /CAP_NET_BIND_SERVICE/],
  ['an explicit no is a requirement', '[Service]\nExecStart=/usr/bin/app\nPrivateTmp=no', ['PrivateTmp=yes'], /on purpose/],
  ['explicit root stays root', '[Service]\nExecStart=/usr/bin/app\nUser=root', ['User=', 'DynamicUser=yes'], /User=root/],
  ['container runtimes keep their namespaces', '[Service]\nExecStart=/usr/bin/dockerd -H fd://', ['RestrictNamespaces=~user'], /dockerd/],
  ['nginx, started as root, keeps what its switch to www-data needs', '[Service]\nExecStart=/usr/sbin/nginx', ['CapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP'], /switches to www-data/],
  ['nginx keeps the calls of its switch', '[Service]\nExecStart=/usr/sbin/nginx', ['SystemCallFilter=~@privileged'], /setgroups, setuid/],
  ['nginx is not given DynamicUser=yes', '[Service]\nExecStart=/usr/sbin/nginx', ['User=', 'DynamicUser=yes'], /switches to www-data/],
  ['nginx is not given ProtectSystem=strict while its folders are read-only', '[Service]\nExecStart=/usr/sbin/nginx', ['ProtectSystem=strict'], /\/var\/lib\/nginx/],
  ['nginx takes ProtectSystem=strict once its folders are writable', '[Service]\nExecStart=/usr/sbin/nginx\nReadWritePaths=/var/lib/nginx /var/log/nginx', ['ProtectSystem=strict'], null],
  ['nginx, started as root, keeps CAP_CHOWN for its temporary folders', '[Service]\nExecStart=/usr/sbin/nginx', ['CapabilityBoundingSet=~CAP_CHOWN CAP_FSETID CAP_SETFCAP'], /CAP_CHOWN/],
  ['a service that runs as its own user may lose CAP_SETUID', '[Service]\nUser=mysql\nType=notify\nExecStart=/usr/sbin/mariadbd', ['CapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP'], null],
  ['a Type=notify service keeps AF_UNIX', '[Service]\nType=notify\nExecStart=/usr/bin/app', ['RestrictAddressFamilies=~AF_UNIX'], /sd_notify/],
  ['a Type=notify service may lose AF_PACKET', '[Service]\nType=notify\nExecStart=/usr/bin/app', ['RestrictAddressFamilies=~AF_PACKET'], null],
  ['node_exporter keeps netlink', '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS', ['RestrictAddressFamilies=~AF_NETLINK'], /netdev/],
  ['node_exporter keeps adjtimex()', '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS', ['SystemCallFilter=~@clock'], /adjtimex/],
  ['a process monitoring agent keeps every process in /proc (the evidence of breaks-protect-proc)', '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-process-exporter $ARGS', ['ProtectProc=invisible'], /reports on the processes it is told to watch/],
  ['node_exporter may take ProtectProc=invisible', '[Service]\nUser=prometheus\nExecStart=/usr/bin/prometheus-node-exporter $ARGS', ['ProtectProc=invisible'], null],
  ['an ordinary daemon takes the safe settings', '[Service]\nExecStart=/usr/sbin/cron -f', ['ProtectKernelModules=yes', 'NoNewPrivileges=yes'], null],
];

for (const [title, text, lines, expected] of rows) {
  test(`breakage: ${title}`, () => {
    const model = buildUnit(/nginx/.test(text) ? 'web.service' : 'x.service', [{ path: '/x.service', text }], { version: 252 });
    const why = breakageOf(model, lines);
    if (expected === null) assert.equal(why, null);
    else assert.match(why ?? '', expected);
  });
}
