/**
 * hardenUnit(): the recommended drop-in. Its exposure_after is what our score gives on the unit with the
 * drop-in in place; the merged unit triggers no breaks-… or weakens-… finding; a line never repeats what
 * the unit already has or loosens it; the file reads like an administrator's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeUnit, hardenUnit, scoreUnit, type SourceFile, type SupportedVersion } from '../../server/src/service';
import { withDropin, withoutHardening } from '../../server/src/features/harden-files';
import { MAX_HARDEN_LINES } from '../../server/src/features/harden';

const FIXTURES = join(__dirname, '..', 'fixtures', 'harden', 'debian-12');
const VENDOR = '/usr/lib/systemd/system';
const HARM = /^(breaks-|weakens-)|^(read-only-pidfile|ambient-outside-bounding-set)$/;

function vendorUnit(file: string, name = file): SourceFile[] {
  return [{ path: `${VENDOR}/${name}`, text: readFileSync(join(FIXTURES, file), 'utf8') }];
}

/** The unit's files with the result's drop-in placed as systemd would apply it. */
function applied(files: SourceFile[], r: ReturnType<typeof hardenUnit>): SourceFile[] {
  return r.dropin ? withDropin(withoutHardening(files), r.dropinPath!, r.dropin) : withoutHardening(files);
}

/** Every promise of a result: re-scored equal, no harm on the merged unit, lines not repeated. */
function assertSound(
  name: string,
  files: SourceFile[],
  r: ReturnType<typeof hardenUnit>,
  version: SupportedVersion = 252,
): void {
  assert.equal(r.error, undefined, `${name}: ${r.error}`);
  const merged = applied(files, r);
  assert.equal(
    scoreUnit({ name, files: merged, version }).exposure,
    r.exposureAfter,
    `${name}: exposure_after is the score of the unit with the drop-in`,
  );
  const harm = analyzeUnit({ name, files: merged, version }).diagnostics.filter(
    (d) => HARM.test(d.code) && d.file === r.dropinPath,
  );
  assert.deepEqual(
    harm.map((d) => `${d.code}: ${d.message}`),
    [],
    `${name}: the drop-in harms nothing`,
  );
  const own = analyzeUnit({ name, files: merged, version }).diagnostics.filter(
    (d) => d.file === r.dropinPath && d.severity !== 'hint' && d.severity !== 'information',
  );
  assert.deepEqual(
    own.map((d) => `${d.code}: ${d.message}`),
    [],
    `${name}: the drop-in is clean for systemd ${version}`,
  );
  if (r.dropin) {
    const lines = r.dropin.split('\n');
    assert.match(lines[0]!, /^# Written by systemd-hardening harden for systemd \d+/);
    assert.match(lines[1]!, /^# Exposure \(systemd-analyze security --offline=yes\): \d+\.\d \w+ -> \d+\.\d \w+$/);
    assert.equal(lines[2], '[Service]');
    const keys = lines.filter((l) => /^[A-Z]\w*=/.test(l)).map((l) => l.slice(0, l.indexOf('=')));
    const repeated = keys.filter((k, i) => keys.indexOf(k) !== i && k !== 'SystemCallFilter');
    assert.deepEqual(repeated, [], `${name}: one line per directive`);
    assert.ok(r.exposureAfter! <= r.exposureBefore!, `${name}: ${r.exposureBefore} -> ${r.exposureAfter}`);
  }
}

test("harden: nginx gets its profile, in the administrator's folder of the same root, as tight as the published profile or tighter", () => {
  const files = vendorUnit('nginx.service');
  const r = hardenUnit({ name: 'nginx.service', files, version: 252 });
  assertSound('nginx.service', files, r);
  assert.equal(r.profile, 'nginx');
  assert.equal(r.dropinPath, '/etc/systemd/system/nginx.service.d/hardening.conf');
  assert.equal(r.exposureBefore, 9.6);
  // The published profile (test/boot/cases.json nginx-published-profile) is 3.3 offline.
  assert.ok(r.exposureAfter! <= 3.3, `nginx: ${r.exposureAfter}`);
  assert.match(r.dropin, /^ReadWritePaths=-\/var\/lib\/nginx -\/var\/log\/nginx \/run$/m);
  assert.match(
    r.dropin,
    /^CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_CHOWN CAP_DAC_OVERRIDE CAP_SETUID CAP_SETGID$/m,
  );
  assert.ok(r.leftOpen.some((l) => l.setting.startsWith('SystemCallFilter=~@privileged')));
  assert.ok(r.verify.length > 0);
});

test("harden: the same unit inside a tree gets the tree's /etc; an admin unit gets its drop-in beside it", () => {
  const tree = hardenUnit({
    name: 'nginx.service',
    files: [{ path: '/srv/tree/lib/systemd/system/nginx.service', text: vendorUnit('nginx.service')[0]!.text }],
    version: 252,
  });
  assert.equal(tree.dropinPath, '/srv/tree/etc/systemd/system/nginx.service.d/hardening.conf');
  const admin = hardenUnit({
    name: 'nginx.service',
    files: [{ path: '/etc/systemd/system/nginx.service', text: vendorUnit('nginx.service')[0]!.text }],
    version: 252,
  });
  assert.equal(admin.dropinPath, '/etc/systemd/system/nginx.service.d/hardening.conf');
  const local = hardenUnit({
    name: 'app.service',
    files: [{ path: 'units/app.service', text: '[Service]\nExecStart=/usr/bin/app\n' }],
    version: 252,
  });
  assert.equal(local.dropinPath, 'units/app.service.d/hardening.conf');
});

test('harden: a line never loosens what the unit has (a deny-list SystemCallFilter= is not re-opened by @system-service)', () => {
  const name = 'cache.service';
  const files: SourceFile[] = [
    {
      path: `/etc/systemd/system/${name}`,
      text: '[Service]\nExecStart=/usr/bin/nginx\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\nProtectSystem=strict\nReadWritePaths=/var/lib/nginx /var/log/nginx /run\n',
    },
  ];
  const r = hardenUnit({ name, files, version: 252 }, { profile: 'nginx' });
  assertSound(name, files, r);
  assert.doesNotMatch(
    r.dropin,
    /^SystemCallFilter=/m,
    "the profile's allow-list would re-allow @privileged and @resources",
  );
  assert.doesNotMatch(r.dropin, /^ProtectSystem=/m, 'the unit has it already');
  assert.doesNotMatch(r.dropin, /^ReadWritePaths=/m, 'the unit lists these paths already');
  const before = scoreUnit({ name, files, version: 252 });
  assert.ok(r.exposureAfter! <= before.exposure!);
});

test('harden: an unknown service gets only the safe set, one line per directive (RestrictNamespaces=yes, not seven ~ lines)', () => {
  const name = 'mystery.service';
  const files: SourceFile[] = [
    {
      path: `/etc/systemd/system/${name}`,
      text: '[Unit]\nDescription=x\n[Service]\nExecStart=/opt/mystery/bin/run --serve\n',
    },
  ];
  const r = hardenUnit({ name, files, version: 252 });
  assertSound(name, files, r);
  assert.equal(r.profile, null);
  assert.match(r.dropin, /^RestrictNamespaces=yes$/m);
  assert.doesNotMatch(r.dropin, /^ProtectSystem=/m, 'not vouched for on an unknown service');
  assert.ok(r.exposureAfter! < r.exposureBefore!);
});

test('harden: a unit that is not a service, and a profile that does not exist, get an error', () => {
  const t = hardenUnit({
    name: 'a.timer',
    files: [{ path: '/etc/systemd/system/a.timer', text: '[Timer]\nOnCalendar=daily\n' }],
    version: 252,
  });
  assert.match(t.error ?? '', /not a service/);
  assert.equal(t.dropin, '');
  const p = hardenUnit(
    { name: 'nginx.service', files: vendorUnit('nginx.service'), version: 252 },
    { profile: 'no-such' },
  );
  assert.match(p.error ?? '', /unknown profile 'no-such'/);
});

test('harden: an existing hardening.conf is replaced (counted before, not after); the new one sits at its place by name', () => {
  const name = 'nginx.service';
  const unit = vendorUnit(name)[0]!;
  const files: SourceFile[] = [
    unit,
    {
      path: '/etc/systemd/system/nginx.service.d/hardening.conf',
      text: '[Service]\nPrivateNetwork=yes\nProtectSystem=strict\n',
    },
    { path: '/etc/systemd/system/nginx.service.d/zz-local.conf', text: '[Service]\nProtectHome=no\n' },
  ];
  const r = hardenUnit({ name, files, version: 252 });
  assertSound(name, files, r);
  assert.equal(r.exposureBefore, scoreUnit({ name, files, version: 252 }).exposure);
  assert.doesNotMatch(r.dropin, /PrivateNetwork/);
  // zz-local.conf comes after hardening.conf: its ProtectHome=no wins, so the drop-in does not pretend otherwise.
  const order = applied(files, r).map((f) => f.path);
  assert.deepEqual(order, [
    unit.path,
    '/etc/systemd/system/nginx.service.d/hardening.conf',
    '/etc/systemd/system/nginx.service.d/zz-local.conf',
  ]);
  assert.doesNotMatch(r.dropin, /^ProtectHome=/m);
  assert.ok(r.leftOpen.some((l) => l.setting === 'ProtectHome=yes' && /ProtectHome=no/.test(l.why)));
});

test("harden: redis's vendor deny-list is not loosened, even by a profile that has an allow-list", () => {
  const files = vendorUnit('redis-server.service');
  const own = hardenUnit({ name: 'redis-server.service', files, version: 252 });
  assertSound('redis-server.service', files, own);
  assert.equal(own.profile, 'redis');
  const forced = hardenUnit({ name: 'redis-server.service', files, version: 252 }, { profile: 'nginx' });
  assertSound('redis-server.service', files, forced);
  assert.doesNotMatch(
    forced.dropin,
    /^SystemCallFilter=/m,
    'SystemCallFilter=@system-service would re-allow @privileged and @resources',
  );
  assert.doesNotMatch(forced.dropin, /^CapabilityBoundingSet=/m, 'the vendor unit has none at all');
  assert.ok(forced.exposureAfter! <= forced.exposureBefore!);
});

/** [what, unit text, the profile chosen, lines the drop-in must have, lines it must not have] */
const KINDS: Array<[string, string, string | null, RegExp[], RegExp[]]> = [
  [
    'a D-Bus service',
    '[Service]\nType=dbus\nBusName=org.example.Thing\nExecStart=/usr/libexec/thingd\n',
    'generic-dbus-service',
    [/^RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6$/m],
    [/^ProtectSystem=/m],
  ],
  [
    'a web app on a high port',
    '[Service]\nUser=app\nExecStart=/usr/bin/app --port 8080\n',
    'generic-web-app',
    [/^CapabilityBoundingSet=$/m, /^MemoryDenyWriteExecute=yes$/m],
    [/^User=/m, /^StateDirectory=/m],
  ],
  [
    'a node web app (a JIT: no MemoryDenyWriteExecute=)',
    '[Service]\nUser=app\nExecStart=/usr/bin/node /srv/app/server.js --port 3000\n',
    'generic-web-app',
    [/^CapabilityBoundingSet=$/m],
    [/^MemoryDenyWriteExecute=/m],
  ],
  [
    'a web app whose user runs sudo (no NoNewPrivileges= nor what implies it, keeps CAP_SETUID)',
    '[Service]\nUser=app\nExecStartPre=/usr/bin/sudo -n /usr/bin/systemctl reload other.service\nExecStart=/usr/bin/app --port 8080\n',
    'generic-web-app',
    [/^PrivateTmp=yes$/m],
    [
      /^NoNewPrivileges=/m,
      /^SystemCallFilter=/m,
      /^RestrictAddressFamilies=/m,
      /^CapabilityBoundingSet=/m,
      /^LockPersonality=/m,
      /^MemoryDenyWriteExecute=/m,
      /^ProtectKernel\w+=/m,
    ],
  ],
  [
    'a web server on port 443 as a user',
    '[Service]\nUser=www\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nExecStart=/usr/bin/caddy run --listen :443\n',
    'generic-web-server',
    [/^CapabilityBoundingSet=CAP_NET_BIND_SERVICE$/m],
    [/^User=/m],
  ],
  [
    'a batch job without network',
    '[Service]\nType=oneshot\nPrivateNetwork=yes\nExecStart=/usr/local/bin/compress-logs\n',
    'generic-batch-job',
    [/^RestrictAddressFamilies=AF_UNIX$/m],
    [/^DynamicUser=/m, /^PrivateNetwork=/m],
  ],
  [
    'a root daemon on a port (no kind: root may need anything)',
    '[Service]\nExecStart=/usr/bin/thing --port 8080\n',
    null,
    [/^NoNewPrivileges=yes$/m],
    [/^CapabilityBoundingSet=/m],
  ],
];

for (const [what, text, profile, must, mustNot] of KINDS) {
  test(`harden: ${what} gets ${profile ?? 'no profile'}`, () => {
    const name = 'thing.service';
    const files: SourceFile[] = [{ path: `/etc/systemd/system/${name}`, text }];
    const r = hardenUnit({ name, files, version: 252 });
    assertSound(name, files, r);
    assert.equal(r.profile, profile);
    for (const re of must) assert.match(r.dropin, re);
    for (const re of mustNot) assert.doesNotMatch(r.dropin, re);
    assert.ok(!r.verify.some((v) => /\bNAME\b/.test(v)), 'the unit is named in what to verify');
  });
}

test('harden: a unit beyond MAX_HARDEN_LINES gets its exposure and a clear reason instead of a drop-in (the work grows with the unit)', () => {
  const filler = Array.from({ length: MAX_HARDEN_LINES }, (_, i) => `Environment=X${i}=${i}`).join('\n');
  const text = `[Service]\nExecStart=/usr/bin/big\n${filler}\n`;
  const r = hardenUnit({
    name: 'big.service',
    files: [{ path: '/etc/systemd/system/big.service', text }],
    version: 252,
  });
  assert.equal(r.dropin, '');
  assert.match(
    r.error ?? '',
    /big\.service has 20\d\d lines in its files; a recommended drop-in is worked out for units of at most 2000 lines/,
  );
  assert.equal(typeof r.exposureBefore, 'number');
  const small = hardenUnit({
    name: 'big.service',
    files: [{ path: '/etc/systemd/system/big.service', text: '[Service]\nExecStart=/usr/bin/big\n' }],
    version: 252,
  });
  assert.equal(small.error, undefined);
  assert.ok(small.dropin.length > 0);
});
