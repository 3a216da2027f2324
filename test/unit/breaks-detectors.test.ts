/**
 * The detectors behind breaks-kernel-tunables and breaks-private-devices (evidence/kernel-writes.ts,
 * evidence/device-use.ts), one row per command-line form: what each finds, or that it finds nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUnit } from '../../server/src/model/build';
import { typedValues } from '../../server/src/model/security-inputs';
import { kernelWrites } from '../../server/src/evidence/kernel-writes';
import { deviceUses } from '../../server/src/evidence/device-use';

function unit(lines: string) {
  const model = buildUnit(
    'x.service',
    [{ path: '/etc/systemd/system/x.service', text: `[Service]\nExecStart=/usr/bin/app\n${lines}\n` }],
    { version: 252 },
  );
  return { model, tv: typedValues(model).value };
}

const writes: [string, string | null][] = [
  ['ExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024', 'sysctl -w net.core.somaxconn=1024'],
  ['ExecStartPre=/sbin/sysctl net.ipv4.ip_forward=1', 'sysctl net.ipv4.ip_forward=1'],
  ['ExecStartPre=sysctl -qw vm.swappiness=10', 'sysctl -qw vm.swappiness=10'],
  ['ExecStartPre=/usr/sbin/sysctl -p', 'sysctl -p'],
  ['ExecStartPre=/usr/sbin/sysctl -p/etc/sysctl.d/90-app.conf', 'sysctl -p/etc/sysctl.d/90-app.conf'],
  ['ExecStartPre=/usr/sbin/sysctl --load=/etc/sysctl.d/90-app.conf', 'sysctl --load=/etc/sysctl.d/90-app.conf'],
  ['ExecStartPost=/usr/sbin/sysctl --system', 'sysctl --system'],
  ['ExecReload=/usr/sbin/sysctl -e -p /etc/app.conf', 'sysctl -e -p /etc/app.conf'],
  ["ExecStartPre=/bin/sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'", '> /proc/sys/net/ipv4/ip_forward'],
  ["ExecStartPre=/bin/sh -c 'echo 1 >>/proc/sys/net/ipv4/ip_forward'", '> /proc/sys/net/ipv4/ip_forward'],
  [
    'ExecStartPre=/bin/bash -ec "echo never > \\"/sys/kernel/mm/transparent_hugepage/enabled\\""',
    '> /sys/kernel/mm/transparent_hugepage/enabled',
  ],
  ["ExecStartPre=/bin/sh -c 'echo 1 | tee -a /proc/sys/vm/overcommit_memory'", 'tee /proc/sys/vm/overcommit_memory'],
  ['ExecStartPre=/usr/bin/tee /proc/sys/vm/overcommit_memory', 'tee /proc/sys/vm/overcommit_memory'],
  [
    "ExecStartPre=/bin/sh -c 'test -x /sbin/sysctl && exec /sbin/sysctl -w kernel.pid_max=65536'",
    'sysctl -w kernel.pid_max=65536',
  ],
  [
    "ExecStartPre=/bin/sh -c 'set -e; echo 1 > /proc/sys/vm/overcommit_memory; echo done'",
    '> /proc/sys/vm/overcommit_memory',
  ],
  ["ExecStartPre=/bin/sh -ec 'sysctl -w vm.swappiness=10; exec true'", 'sysctl -w vm.swappiness=10'],
  // Failures the script tolerates, or that are not its last statement without -e: the start goes on.
  ["ExecStartPre=/bin/sh -c 'sysctl -w vm.swappiness=10 || true'", null],
  ["ExecStart=\nExecStart=/bin/sh -c 'echo 1 > /proc/sys/vm/overcommit_memory; exec /usr/bin/app'", null],
  ['ExecStartPre=/usr/sbin/sysctl -n net.core.somaxconn', null],
  ['ExecStartPre=/usr/sbin/sysctl -a', null],
  ['ExecStartPre=/usr/sbin/sysctl -r ^net -N', null],
  ['ExecStartPre=/usr/sbin/sysctl net.core.somaxconn', null],
  ["ExecStartPre=/bin/sh -c 'cat /proc/sys/net/core/somaxconn > /run/x'", null],
  ["ExecStartPre=/bin/sh -c 'echo $$ > /sys/fs/cgroup/app/cgroup.procs'", null],
  ['ExecStartPre=-/usr/sbin/sysctl -w net.core.somaxconn=1024', null],
  ['ExecStartPre=+/usr/sbin/sysctl -w net.core.somaxconn=1024', null],
  ['ExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024\nUser=app', null],
  ['ExecStartPre=!/usr/sbin/sysctl -w net.core.somaxconn=1024\nUser=app', 'sysctl -w net.core.somaxconn=1024'],
  ['ExecStartPre=/usr/sbin/sysctl -w net.core.somaxconn=1024\nDynamicUser=yes', null],
];

for (const [lines, expected] of writes) {
  test(`kernel writes: ${lines.replace(/\n/g, ' | ')}`, () => {
    const { tv } = unit(lines);
    assert.equal(kernelWrites(tv)[0]?.evidence ?? null, expected);
  });
}

const devices: [string, string[]][] = [
  ['ExecStartPre=/usr/sbin/ip tuntap add dev tun9 mode tun', ['/dev/net/tun']],
  ['ExecStartPre=/sbin/ip -n blue tuntap del dev tun9 mode tun', ['/dev/net/tun']],
  ['ExecStartPre=/usr/sbin/tunctl -t tap0', ['/dev/net/tun']],
  ['ExecStartPre=/usr/sbin/ip tuntap show', []],
  ['ExecStartPre=/usr/sbin/ip link show tun9', []],
  ['ExecStart=\nExecStart=/usr/sbin/gpsd -N --device=/dev/ttyUSB1 /dev/ttyACM0', ['/dev/ttyUSB1', '/dev/ttyACM0']],
  ["ExecStartPre=/bin/sh -c 'stty -F /dev/ttyS0 115200 >/dev/null'", ['/dev/ttyS0']],
  ['Environment=PORT=/dev/ttyUSB0 LOG=/dev/stdout', ['/dev/ttyUSB0']],
  ["ExecStartPre=/bin/sh -c 'stty -F /dev/ttyS0 115200 || true'", []],
  ["ExecStart=\nExecStart=/bin/sh -c 'stty -F /dev/ttyS0 115200; exec /usr/bin/app'", []],
  [
    'ExecStart=\nExecStart=/usr/bin/app --log /dev/stderr --in /dev/null --tmp /dev/shm/app --tty /dev/tty --pts /dev/pts/0 --rng /dev/urandom',
    [],
  ],
  ['ExecStart=\nExecStart=/usr/bin/app --data /var/dev/x /srv/dev/sda', []],
  ['ExecStart=\nExecStart=/usr/bin/app /dev/kmsg /dev/console', ['/dev/kmsg', '/dev/console']],
  ['ExecStart=\nExecStart=/usr/bin/app /dev/ttyS0\nBindPaths=/dev/ttyS0', []],
  ['ExecStart=\nExecStart=/usr/bin/app /dev/dri/card0\nBindPaths=-/dev/dri', []],
  ['ExecStartPre=-/usr/sbin/ip tuntap add dev tun9 mode tun', []],
  ['ExecStartPre=+/usr/sbin/ip tuntap add dev tun9 mode tun', []],
  ['DeviceAllow=/dev/ttyUSB0 rw', []],
  ['Environment=PORT=/dev/ttyUSB0\nEnvironment=', []],
];

for (const [lines, expected] of devices) {
  test(`device uses: ${lines.replace(/\n/g, ' | ')}`, () => {
    const { model, tv } = unit(lines);
    assert.deepEqual(
      deviceUses(model, tv).map((u) => u.device),
      expected,
    );
  });
}
