/**
 * server/data/service-needs.json (its schema is checked by data-schemas.test.ts): its facts name things systemd knows (system calls,
 * address families), each fix line really covers its path, no unit or program belongs to two services, and
 * the accessor finds a service by unit name, template instance and main program.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownServices, serviceNeedsFor } from '../../server/src/knowledge/service-needs';
import { addressFamily, capability, isKnownSyscall } from '../../server/src/knowledge/vocabulary';

test('system calls, capabilities and address families are ones systemd 252 knows', () => {
  for (const s of knownServices()) {
    for (const c of s.capabilities ?? []) assert.ok(capability(c.name, 252), `${s.name}: ${c.name}`);
    for (const c of s.switchesUser?.calls ?? []) assert.ok(isKnownSyscall(252, c), `${s.name}: ${c}`);
    for (const c of s.syscalls ?? []) assert.ok(isKnownSyscall(252, c.name), `${s.name}: ${c.name}`);
    for (const f of s.addressFamilies ?? []) assert.ok(addressFamily(f.family, 252), `${s.name}: ${f.family}`);
  }
});

const ROOTS: Record<string, string> = {
  StateDirectory: '/var/lib/',
  CacheDirectory: '/var/cache/',
  LogsDirectory: '/var/log/',
  RuntimeDirectory: '/run/',
};

test('each fix line makes its path writable', () => {
  for (const s of knownServices()) {
    for (const w of s.writes) {
      const eq = w.fix.indexOf('=');
      const key = w.fix.slice(0, eq);
      const dir = key === 'ReadWritePaths' ? w.fix.slice(eq + 1).replace(/^-/, '') : ROOTS[key]! + w.fix.slice(eq + 1);
      assert.ok(
        w.path === dir || w.path.startsWith(dir.endsWith('/') ? dir : dir + '/'),
        `${s.name}: ${w.fix} does not cover ${w.path}`,
      );
    }
  }
});

test('no unit name or program belongs to two services', () => {
  const seen = new Map<string, string>();
  for (const s of knownServices()) {
    for (const k of [...s.units, ...s.binaries]) {
      assert.equal(seen.get(k), undefined, `${k} in ${s.name} and ${seen.get(k)}`);
      seen.set(k, s.name);
    }
  }
});

test('serviceNeedsFor finds services by name, template and program', () => {
  assert.equal(serviceNeedsFor('nginx.service', undefined)?.name, 'nginx');
  assert.equal(serviceNeedsFor('postgresql@15-main.service', '/usr/bin/pg_ctlcluster')?.name, 'postgresql');
  assert.equal(serviceNeedsFor('postgresql@15-main.service', undefined)?.name, 'postgresql');
  assert.equal(serviceNeedsFor('web.service', '/usr/sbin/nginx')?.name, 'nginx');
  assert.equal(serviceNeedsFor('redis.service', undefined)?.name, 'redis-server');
  assert.equal(serviceNeedsFor('web.service', '/usr/bin/true'), undefined);
  assert.equal(serviceNeedsFor('postgresql.service', '/bin/true'), undefined);
  // A template's instances keep their own folders: not matched by program.
  assert.equal(serviceNeedsFor('mariadb@.service', '/usr/sbin/mariadbd'), undefined);
  assert.equal(serviceNeedsFor('mariadb@two.service', '/usr/sbin/mariadbd'), undefined);
  assert.equal(serviceNeedsFor('db.service', '/usr/sbin/mariadbd')?.name, 'mariadb');
});
