/**
 * How the built CLI finds a unit's files in file mode: every way of writing a path (bare name, ./,
 * ../x/, absolute, folders), instances named by path, and alias links, each held to the real
 * systemd-analyze 252 on the same folder where it is installed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { need } from '../requirements';
import { cliIn, oracleExposure, oracleUnit, writeUnder } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-paths-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string): string => writeUnder(tmp, rel, text);

interface Row {
  file: string;
  unit: string;
  exposure: number | null;
  [k: string]: unknown;
}

function score(cwd: string, ...args: string[]): { status: number | null; rows: Row[]; stderr: string } {
  const r = cliIn(cwd, ['score', '--format', 'json', ...args]);
  return { status: r.status, rows: JSON.parse(r.stdout) as Row[], stderr: r.stderr };
}

function check(
  cwd: string,
  ...args: string[]
): { status: number | null; rows: Array<{ file: string; diagnostics: Array<{ code: string }> }>; stderr: string } {
  const r = cliIn(cwd, ['check', '--format', 'json', ...args]);
  return {
    status: r.status,
    rows: JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<{ code: string }> }>,
    stderr: r.stderr,
  };
}

const withoutFile = (r: { file: string }): Record<string, unknown> => ({ ...r, file: undefined });

// ── 1. every path form finds the drop-ins ──────────────────────────────────────────────────────────
const ws = join(tmp, 'ws');
const unit = write('ws/nginx.service', '[Service]\nExecStart=/usr/sbin/nginx\n');
write('ws/nginx.service.d/override.conf', '[Service]\nDynamicUser=yes\nPrivateNetwork=yes\nDescription=misplaced\n');
const up = `../${basename(tmp)}`;

/** [cwd, path as typed, `file` expected for the unit] */
const FORMS: Array<[string, string, string]> = [
  [ws, 'nginx.service', 'nginx.service'],
  [ws, './nginx.service', './nginx.service'],
  [ws, '../ws/nginx.service', '../ws/nginx.service'],
  [ws, unit, unit],
  [ws, '.', 'nginx.service'],
  [ws, '../ws', '../ws/nginx.service'],
  [tmp, 'ws/nginx.service', 'ws/nginx.service'],
  [tmp, './ws/nginx.service', './ws/nginx.service'],
  [tmp, `${up}/ws/nginx.service`, `${up}/ws/nginx.service`],
  [tmp, unit, unit],
  [tmp, 'ws', 'ws/nginx.service'],
  [tmp, './ws', 'ws/nginx.service'],
  [tmp, `${up}/ws`, `${up}/ws/nginx.service`],
];

test('score: every path form (bare, ./, ../x/, absolute, folder) applies the drop-ins beside the unit, as systemd-analyze does', (t) => {
  const reference = score(tmp, unit).rows[0]!;
  if (need(t, 'systemd-analyze 252')) assert.equal(reference.exposure?.toFixed(1), oracleExposure([unit], tmp));
  assert.ok(reference.exposure! < 9.6, 'the drop-in lowers the exposure');
  for (const [cwd, form, file] of FORMS) {
    const r = score(cwd, form);
    assert.equal(r.status, 0, `${form} in ${cwd}: ${r.stderr}`);
    assert.equal(r.rows.length, 1, form);
    assert.equal(r.rows[0]!.file, file, form);
    assert.equal(r.rows[0]!.unit, 'nginx.service', form);
    assert.equal(r.rows[0]!.exposure, reference.exposure, `${form} in ${cwd}`);
  }
});

test('score: relative and absolute path forms give the same JSON except `file`', () => {
  const abs = withoutFile(score(tmp, unit).rows[0]!);
  for (const [cwd, form] of FORMS) assert.deepEqual(withoutFile(score(cwd, form).rows[0]!), abs, `${form} in ${cwd}`);
});

test('check: every path form of a unit, a drop-in or a folder gives the same report except `file`', () => {
  const unitReport = check(tmp, unit).rows;
  const dropinReport = check(tmp, join(ws, 'nginx.service.d', 'override.conf')).rows;
  // DynamicUser=yes implies ProtectSystem=strict, which leaves nginx's /var/lib/nginx and /var/log/nginx read-only;
  // PrivateNetwork=yes leaves nginx, reached over IP only, where nothing reaches it.
  assert.deepEqual(
    dropinReport[0]!.diagnostics.map((d) => d.code),
    ['breaks-read-only-path', 'breaks-private-network', 'misplaced-directive'],
  );
  for (const [cwd, form, file] of FORMS) {
    const r = check(cwd, form);
    assert.equal(r.status, 0, `${form}: ${r.stderr}`);
    if (file !== form && !form.endsWith('.service')) {
      // A folder: the unit and its drop-in, in that order.
      assert.deepEqual(
        r.rows.map((x) => x.file),
        [file, join(file, '..', 'nginx.service.d', 'override.conf')],
        form,
      );
      assert.deepEqual(withoutFile(r.rows[1]!), withoutFile(dropinReport[0]!), form);
    } else
      assert.deepEqual(
        r.rows.map((x) => x.file),
        [file],
        form,
      );
    assert.deepEqual(withoutFile(r.rows[0]!), withoutFile(unitReport[0]!), form);
  }
  for (const [cwd, form] of [
    [join(ws, 'nginx.service.d'), 'override.conf'],
    [join(ws, 'nginx.service.d'), './override.conf'],
    [ws, 'nginx.service.d/override.conf'],
    [tmp, 'ws/nginx.service.d/override.conf'],
    [tmp, `${up}/ws/nginx.service.d/override.conf`],
  ] as const) {
    const r = check(cwd, form);
    assert.deepEqual(
      r.rows.map((x) => x.file),
      [form],
    );
    assert.deepEqual(withoutFile(r.rows[0]!), withoutFile(dropinReport[0]!), `${form} in ${cwd}`);
  }
});

test('score and check: an unreadable drop-in is reported the same way for every path form', () => {
  const dir = join(tmp, 'ws2');
  const u = write('ws2/nginx.service', '[Service]\nExecStart=/usr/sbin/nginx\n');
  write('ws2/nginx.service.d/a.conf', '[Service]\nPrivateNetwork=yes\n');
  symlinkSync(join(dir, 'nowhere.conf'), join(dir, 'nginx.service.d', 'zz.conf'));
  for (const [cwd, form] of [
    [dir, 'nginx.service'],
    [dir, './nginx.service'],
    [dir, '.'],
    [tmp, 'ws2/nginx.service'],
    [tmp, u],
  ] as const) {
    for (const command of [score, check]) {
      const r = command(cwd, form);
      assert.equal(r.status, 2, `${command.name} ${form}`);
      assert.match(
        r.stderr,
        /cannot read drop-in \S*nginx\.service\.d\/zz\.conf: no such file \(the unit is analysed without it\)/,
        `${command.name} ${form}`,
      );
      assert.equal(r.rows[0]!.file.endsWith('nginx.service'), true, 'the unit is still reported');
    }
  }
});

// ── 2. instances named by path ─────────────────────────────────────────────────────────────────────
const pg = join(tmp, 'pg');
write('pg/postgresql@.service', '[Service]\nExecStart=/usr/lib/postgresql/bin/postgres %i\n');
write('pg/postgresql@.service.d/10-template.conf', '[Service]\nProtectSystem=strict\n');
write('pg/postgresql@15-main.service.d/override.conf', '[Service]\nDynamicUser=yes\n');
write('pg/postgresql@i.service.d/override.conf', '[Service]\nPrivateNetwork=yes\n');
write('pg/postgresql-.service.d/prefix.conf', '[Service]\nPrivateDevices=yes\n');

test('score: an instance named by path is loaded from the template beside it, with template and instance drop-ins (as systemd-analyze)', (t) => {
  const inst = join(pg, 'postgresql@15-main.service');
  const tpl = join(pg, 'postgresql@.service');
  const r = score(tmp, inst, tpl);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    r.rows.map((x) => [x.file, x.unit]),
    [
      [inst, 'postgresql@15-main.service'],
      [tpl, 'postgresql@i.service'],
    ],
  );
  assert.notEqual(r.rows[0]!.exposure, r.rows[1]!.exposure, 'the instance folder applies to the instance only');
  if (need(t, 'systemd-analyze 252'))
    assert.deepEqual(
      r.rows.map((x) => x.exposure?.toFixed(1)),
      [oracleExposure([inst], tmp), oracleExposure([tpl], tmp)],
    );
  // Relative forms name the same instance.
  assert.deepEqual(score(pg, 'postgresql@15-main.service').rows.map(withoutFile), [withoutFile(r.rows[0]!)]);
  const missing = score(pg, 'other@x.service');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read other@x\.service: no such file/);
});

test('score: a folder gives the template and every instance that has a drop-in folder but no file', () => {
  const r = score(tmp, 'pg');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    r.rows.map((x) => [x.file, x.unit]),
    [
      ['pg/postgresql@.service', 'postgresql@i.service'],
      ['pg/postgresql@15-main.service', 'postgresql@15-main.service'],
    ],
  );
  const each = score(tmp, 'pg/postgresql@.service', 'pg/postgresql@15-main.service').rows;
  assert.deepEqual(r.rows, each);
});

// ── 3. aliases ─────────────────────────────────────────────────────────────────────────────────────
const al = join(tmp, 'al');
write('al/mariadb.service', '[Service]\nExecStart=/usr/sbin/mariadbd\n');
symlinkSync('mariadb.service', join(al, 'mysql.service'));
symlinkSync(join(al, 'mariadb.service'), join(al, 'mysqld.service'));
symlinkSync('mysql.service', join(al, 'chain.service'));
write('al/mariadb.service.d/a.conf', '[Service]\nDynamicUser=yes\nPrivateNetwork=yes\nProtectSystem=strict\n');
write('al/mysql.service.d/b.conf', '[Service]\nPrivateDevices=yes\n');
write('other/real.service', '[Service]\nExecStart=/usr/bin/real\n');
symlinkSync(join(tmp, 'other', 'real.service'), join(al, 'linked.service'));
write('al/linked.service.d/x.conf', '[Service]\nDynamicUser=yes\n');
write('al/real.service.d/x.conf', '[Service]\nPrivateNetwork=yes\n');

test('score: an alias link is scored as the unit it names, with the drop-ins of all its names (as systemd-analyze)', (t) => {
  const rows = score(al, 'mysql.service', 'mysqld.service', 'chain.service', 'mariadb.service', 'linked.service').rows;
  assert.deepEqual(
    rows.map((x) => x.unit),
    ['mariadb.service', 'mariadb.service', 'mariadb.service', 'mariadb.service', 'linked.service'],
  );
  assert.deepEqual(
    rows.map((x) => x.file),
    ['mysql.service', 'mysqld.service', 'chain.service', 'mariadb.service', 'linked.service'],
  );
  for (const r of rows.slice(1, 4)) assert.deepEqual(withoutFile(r), withoutFile(rows[0]!));
  const lone = score(tmp, join(tmp, 'other', 'real.service')).rows[0]!;
  assert.ok(rows[0]!.exposure! < lone.exposure!, 'the drop-ins apply');
  if (!need(t, 'systemd-analyze 252')) return;
  for (const [i, name] of [
    'mysql.service',
    'mysqld.service',
    'chain.service',
    'mariadb.service',
    'linked.service',
  ].entries()) {
    assert.equal(rows[i]!.exposure?.toFixed(1), oracleExposure([join(al, name)], tmp), name);
    assert.equal(rows[i]!.unit, oracleUnit([join(al, name)], tmp), name);
  }
});

test('score and check: in a folder, an alias link is not a unit of its own', () => {
  const s = score(tmp, 'al');
  assert.deepEqual(
    s.rows.map((x) => [x.file, x.unit]),
    [
      ['al/linked.service', 'linked.service'],
      ['al/mariadb.service', 'mariadb.service'],
    ],
  );
  const c = check(tmp, 'al');
  assert.deepEqual(
    c.rows.map((x) => x.file),
    [
      'al/linked.service',
      'al/linked.service.d/x.conf',
      'al/mariadb.service',
      'al/mariadb.service.d/a.conf',
      'al/mysql.service.d/b.conf',
      'al/real.service.d/x.conf',
    ],
  );
});

test('score: a template alias names instances of the template, with the drop-ins of both names (as systemd-analyze)', (t) => {
  const ta = join(tmp, 'ta');
  write('ta/foo@.service', '[Service]\nExecStart=/usr/bin/foo %i\n');
  symlinkSync('foo@.service', join(ta, 'bar@.service'));
  write('ta/bar@x.service.d/a.conf', '[Service]\nDynamicUser=yes\n');
  write('ta/bar@.service.d/b.conf', '[Service]\nPrivateNetwork=yes\n');
  write('ta/foo@x.service.d/c.conf', '[Service]\nPrivateDevices=yes\n');
  const names = ['bar@x.service', 'foo@x.service', 'bar@.service', 'foo@.service'];
  const rows = score(ta, ...names).rows;
  assert.deepEqual(
    rows.map((x) => x.unit),
    ['foo@x.service', 'foo@x.service', 'foo@i.service', 'foo@i.service'],
  );
  assert.deepEqual(withoutFile(rows[0]!), withoutFile(rows[1]!));
  assert.deepEqual(withoutFile(rows[2]!), withoutFile(rows[3]!));
  if (!need(t, 'systemd-analyze 252')) return;
  for (const [i, n] of names.entries())
    assert.equal(rows[i]!.exposure?.toFixed(1), oracleExposure([join(ta, n)], tmp), n);
});

// ── systemd's own unit folders: the whole search path of their root ────────────────────────────────
// An admin's drop-in in /etc/systemd/system/NAME.service.d/ belongs to the vendor unit in
// /usr/lib/systemd/system/, and `systemd-analyze security --offline=yes /usr/lib/systemd/system/NAME`
// reads /etc's drop-ins too. Inside a tree, the tree's own folders play those parts.
const tree = join(tmp, 'tree');
const vendor = write(
  'tree/usr/lib/systemd/system/redis-server.service',
  '[Service]\nType=notify\nExecStart=/usr/bin/redis-server /etc/redis/redis.conf\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\nReadWritePaths=-/var/lib/redis -/var/log/redis\n',
);
const adminDropin = write(
  'tree/etc/systemd/system/redis-server.service.d/override.conf',
  '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\nProtectSystem=strict\nPrivateTmp=yes\n',
);
symlinkSync('usr/lib', join(tree, 'lib'));

test("score: a unit in a root's lib/systemd/system gets the drop-ins of the root's etc/systemd/system, from every path form (as systemd-analyze --root)", (t) => {
  const vendorDir = join(tree, 'usr/lib/systemd/system');
  const rows = [
    score(tmp, vendor),
    score(vendorDir, 'redis-server.service'),
    score(vendorDir, '.'),
    score(join(tree, 'etc/systemd/system/redis-server.service.d'), 'override.conf'),
  ];
  for (const r of rows) assert.equal(r.status, 0, r.stderr);
  const alone = score(
    tmp,
    write(
      'alone/redis-server.service',
      '[Service]\nType=notify\nExecStart=/usr/bin/redis-server /etc/redis/redis.conf\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\nReadWritePaths=-/var/lib/redis -/var/log/redis\n',
    ),
  );
  for (const r of rows) {
    assert.equal(r.rows.length, 1);
    assert.equal(r.rows[0]!.exposure, rows[0]!.rows[0]!.exposure);
  }
  assert.ok(rows[0]!.rows[0]!.exposure! < alone.rows[0]!.exposure!, "the admin's drop-in applies");
  if (!need(t, 'systemd-analyze 252')) return;
  assert.equal(rows[0]!.rows[0]!.exposure?.toFixed(1), oracleExposure([`--root=${tree}`, 'redis-server.service'], tmp));
});

test("check: an admin's drop-in in etc/systemd/system is checked against its vendor unit in lib/systemd/system", () => {
  // The vendor unit already allows AF_UNIX and keeps /var/lib/redis writable: nothing breaks.
  for (const [cwd, path] of [
    [tmp, adminDropin],
    [join(tree, 'etc/systemd/system/redis-server.service.d'), 'override.conf'],
    [join(tree, 'etc/systemd/system'), 'redis-server.service.d/override.conf'],
  ] as const) {
    const r = check(cwd, path);
    assert.deepEqual(
      r.rows.flatMap((x) => x.diagnostics.map((d) => d.code)).filter((c) => c.startsWith('breaks-')),
      [],
      `${cwd} ${path}`,
    );
  }
  // Without its vendor unit the same drop-in takes AF_UNIX from a Type=notify service.
  const lone = write(
    'lone/redis-server.service.d/override.conf',
    '[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\n',
  );
  write('lone/redis-server.service', '[Service]\nType=notify\nExecStart=/usr/bin/redis-server /etc/redis/redis.conf\n');
  assert.ok(
    check(tmp, lone).rows[0]!.diagnostics.some((d) => d.code === 'breaks-address-family'),
    'the rule itself fires where AF_UNIX is taken away',
  );
});
