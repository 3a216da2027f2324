/** Suggestions the unit shows would break it: one row per rule, and a row that must stay clean. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakageOf } from '../../server/src/exposure/breakage';
import { buildUnit } from '../../server/src/model/build';

const rows: [string, string, string[], RegExp | null][] = [
  ['a web server after network-online.target keeps its network', '[Unit]\nAfter=network-online.target\n[Service]\nExecStart=/usr/sbin/nginx', ['PrivateNetwork=yes'], /network-online/],
  ['a listener named on the command line keeps AF_INET', '[Service]\nExecStart=/usr/bin/app --listen 0.0.0.0:8080', ['RestrictAddressFamilies=~AF_INET AF_INET6'], /command line/],
  ['a batch job without network may lose it', '[Service]\nExecStart=/usr/bin/tar -czf /var/backups/a.tgz /srv', ['PrivateNetwork=yes'], null],
  ['device users keep their devices', '[Service]\nExecStart=/usr/sbin/hdparm -B 254 /dev/sda', ['PrivateDevices=yes'], /device/],
  ['/dev/null does not count as a device', '[Service]\nExecStart=/bin/sh -c "echo >/dev/null"', ['PrivateDevices=yes'], null],
  ['a JVM keeps writable+executable memory', '[Service]\nExecStart=/usr/bin/java -jar app.jar', ['MemoryDenyWriteExecute=yes'], /JIT/],
  ['granted capabilities are not dropped', '[Service]\nExecStart=/usr/bin/app\nAmbientCapabilities=CAP_NET_BIND_SERVICE', ['CapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW'], /CAP_NET_BIND_SERVICE/],
  ['an explicit no is a requirement', '[Service]\nExecStart=/usr/bin/app\nPrivateTmp=no', ['PrivateTmp=yes'], /on purpose/],
  ['explicit root stays root', '[Service]\nExecStart=/usr/bin/app\nUser=root', ['User=', 'DynamicUser=yes'], /User=root/],
  ['container runtimes keep their namespaces', '[Service]\nExecStart=/usr/bin/dockerd -H fd://', ['RestrictNamespaces=~user'], /dockerd/],
  ['an ordinary daemon takes the safe settings', '[Service]\nExecStart=/usr/sbin/cron -f', ['ProtectKernelModules=yes', 'NoNewPrivileges=yes'], null],
];

for (const [title, text, lines, expected] of rows) {
  test(`breakage: ${title}`, () => {
    const model = buildUnit('x.service', [{ path: '/x.service', text }], { version: 252 });
    const why = breakageOf(model, lines);
    if (expected === null) assert.equal(why, null);
    else assert.match(why ?? '', expected);
  });
}
