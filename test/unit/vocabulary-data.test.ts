/**
 * The generated vocabulary files (their schemas are checked by data-schemas.test.ts): they hold together (no duplicates,
 * nested groups exist, aliases point at real entries, numbers agree), and the accessors in
 * server/src/knowledge/vocabulary.ts answer as documented. When the primary sources are on this machine
 * (VOCAB_SOURCES, default /tmp/vocab-src; see scripts/gen-syscalls.mjs), the generators must reproduce the files
 * byte for byte.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import seccompFile from '../../server/data/seccomp-x86_64.json';
import addressFamiliesJson from '../../server/data/address-families.json';
import errnoJson from '../../server/data/errno.json';
import {
  TARGET_VERSIONS,
  addressFamilies,
  addressFamily,
  capabilities,
  capability,
  capabilityByNumber,
  errnoByNumber,
  errnoName,
  errnoNames,
  expandSyscallGroup,
  isKnownSyscall,
  isResolvableSyscall,
  isSyscallGroup,
  libseccompFor,
  namespaceType,
  namespaceTypes,
  syscallGroup,
  syscallGroups,
  syscallNumber,
} from '../../server/src/knowledge/vocabulary';
import { ROOT } from '../helpers';

interface SeccompBuildJson {
  upstream: string;
  names: string[];
  numbers: Record<string, number>;
  anyArchNames: string[];
}
const seccompJson: {
  libseccomp: Record<string, SeccompBuildJson>;
  targets: Record<string, { distribution: string; oracle: string }>;
} = seccompFile;

function duplicates(xs: readonly (string | number)[]): (string | number)[] {
  const seen = new Set<string | number>();
  const dup = new Set<string | number>();
  for (const x of xs) (seen.has(x) ? dup : seen).add(x);
  return [...dup];
}

describe('system-call groups hold together', () => {
  // Members that are neither in that version's @known list nor in any libseccomp table: the kernel-internal
  // names of fstatat, which systemd 257 lists in @file-system (checked against the real binaries); quotactl_path,
  // a call of Linux 5.13's release candidates renamed quotactl_fd before the release, which 246.16 lists in
  // @privileged (a stable backport) while it has no @known to hold it.
  const UNKNOWN_EVERYWHERE = new Set(['fstatat', 'newfstat', 'quotactl_path']);
  const libseccompNames = new Set(Object.values(seccompJson.libseccomp).flatMap((b) => b.anyArchNames));

  for (const v of TARGET_VERSIONS) {
    test(`systemd ${v}`, () => {
      const groups = syscallGroups(v);
      assert.ok(groups.length >= 27);
      assert.deepEqual(duplicates(groups.map((g) => g.name)), []);
      assert.equal(groups[0]!.name, '@default');
      // @known is new in 247 (the last group from then on).
      if (v >= 247) assert.equal(groups[groups.length - 1]!.name, '@known');
      else assert.equal(isSyscallGroup(v, '@known'), false);
      const known = expandSyscallGroup(v, '@known');
      for (const g of groups) {
        assert.ok(g.description.length > 10 && g.typicallyNeededBy.length > 0, g.name);
        assert.deepEqual(duplicates(g.members), [], `${g.name} lists a member twice`);
        for (const m of g.members) {
          if (m.startsWith('@')) {
            assert.ok(isSyscallGroup(v, m), `${g.name} refers to ${m}, which ${v} does not have`);
            assert.notEqual(m, g.name, `${g.name} contains itself`);
            assert.notEqual(m, '@known');
            if (g.name === '@known') assert.equal(m, '@obsolete', '@known nests only @obsolete');
          } else {
            assert.ok(
              known.has(m) || libseccompNames.has(m) || UNKNOWN_EVERYWHERE.has(m),
              `${g.name}: ${m} is not a system call anyone knows`,
            );
          }
        }
      }
    });
  }

  test('facts from the release history, 239–251 (read from the systemd-stable tags)', () => {
    assert.deepEqual(
      ([239, 243, 244, 246, 247, 251] as const).map((v) => syscallGroups(v).length),
      [27, 27, 28, 28, 29, 29],
    );
    // @pkey is new in 244, @known in 247.
    assert.equal(isSyscallGroup(243, '@pkey'), false);
    assert.equal(isSyscallGroup(244, '@pkey'), true);
    // stime moves from @clock to @obsolete in 247.
    assert.ok(syscallGroup(246, '@clock')!.members.includes('stime'));
    assert.ok(!syscallGroup(247, '@clock')!.members.includes('stime'));
    // 240 adds io_pgetevents to @aio; 241 drops mincore from @system-service.
    assert.ok(!syscallGroup(239, '@aio')!.members.includes('io_pgetevents'));
    assert.ok(syscallGroup(240, '@aio')!.members.includes('io_pgetevents'));
    assert.ok(syscallGroup(240, '@system-service')!.members.includes('mincore'));
    assert.ok(!syscallGroup(241, '@system-service')!.members.includes('mincore'));
    // s390-only members guarded by #ifdef are not part of the x86_64 build.
    assert.ok(!syscallGroup(239, '@raw-io')!.members.includes('s390_pci_mmio_read'));
  });

  test('facts from the release history', () => {
    assert.equal(syscallGroups(252).length, 29);
    for (const v of [254, 257, 262] as const) assert.equal(syscallGroups(v).length, 30);
    assert.equal(isSyscallGroup(252, '@sandbox'), false);
    assert.equal(isSyscallGroup(254, '@sandbox'), true);
    assert.ok(syscallGroup(252, '@privileged')!.members.includes('quotactl_fd'));
    assert.ok(syscallGroup(252, '@resources')!.members.includes('set_mempolicy_home_node'));
    assert.ok(syscallGroup(257, '@mount')!.members.includes('open_tree'));
    assert.ok(!syscallGroup(262, '@mount')!.members.includes('open_tree'));
    assert.ok(syscallGroup(262, '@mount')!.members.includes('open_tree_attr'));
    assert.ok(syscallGroup(252, '@obsolete')!.members.includes('stime'));
    assert.ok(!syscallGroup(252, '@clock')!.members.includes('stime'));
  });
});

describe('group accessors', () => {
  test('lookup with or without "@"', () => {
    assert.equal(syscallGroup(252, 'clock'), syscallGroup(252, '@clock'));
    assert.equal(syscallGroup(252, '@nonexistent'), undefined);
    assert.equal(syscallGroup(252, '@sandbox'), undefined);
  });

  test('expandSyscallGroup recurses and drops "@" entries', () => {
    for (const v of TARGET_VERSIONS) {
      const priv = expandSyscallGroup(v, '@privileged');
      for (const nested of ['@chown', '@clock', '@module', '@raw-io', '@reboot', '@swap'])
        for (const m of expandSyscallGroup(v, nested))
          assert.ok(priv.has(m), `${v} @privileged lacks ${m} of ${nested}`);
      const svc = expandSyscallGroup(v, '@system-service');
      assert.ok(![...svc].some((m) => m.startsWith('@')));
      for (const m of expandSyscallGroup(v, '@default')) assert.ok(svc.has(m));
    }
    assert.ok(expandSyscallGroup(254, '@default').has('landlock_create_ruleset'), '254 @default nests @sandbox');
    assert.ok(!expandSyscallGroup(252, '@default').has('landlock_create_ruleset'));
    assert.equal(expandSyscallGroup(252, '@nope').size, 0);
    // The result is the caller's to change; the cache must not notice.
    const s = expandSyscallGroup(252, '@clock');
    s.add('read');
    assert.ok(!expandSyscallGroup(252, '@clock').has('read'));
  });

  test('data is frozen', () => {
    const g = syscallGroup(252, '@clock')!;
    assert.throws(() => g.members.push('x'));
    assert.throws(() => {
      (g as { name: string }).name = 'x';
    });
    assert.ok(isKnownSyscall(252, 'read'));
    assert.ok(!isKnownSyscall(252, 'not_a_syscall'));
  });
});

describe('libseccomp tables hold together', () => {
  const builds = Object.entries(seccompJson.libseccomp);
  test('names, numbers and targets agree', () => {
    for (const [ver, b] of builds) {
      assert.deepEqual(b.names, [...b.names].sort(), `${ver}: names sorted`);
      assert.deepEqual(Object.keys(b.numbers).sort(), b.names, `${ver}: numbers has exactly the names`);
      assert.deepEqual(duplicates(Object.values(b.numbers)), [], `${ver}: two names share an x86_64 number`);
      const any = new Set(b.anyArchNames);
      for (const n of b.names) assert.ok(any.has(n));
      assert.equal(b.numbers.read, 0);
      assert.equal(b.numbers.socketcall, undefined, 'socketcall does not exist on x86_64');
    }
    for (const v of TARGET_VERSIONS) {
      const t = seccompJson.targets[`${v}`];
      assert.ok(t, `${v} has targets`);
      assert.ok(seccompJson.libseccomp[t.distribution], `${v} distribution`);
      assert.ok(seccompJson.libseccomp[t.oracle], `${v} oracle`);
    }
  });
  test('newer libseccomp builds only add names, never renumber', () => {
    const sorted = builds
      .slice()
      .sort((a, b) => a[1].upstream.localeCompare(b[1].upstream, undefined, { numeric: true }));
    for (let i = 1; i < sorted.length; i++) {
      const [oldV, older] = sorted[i - 1]!;
      const [newV, newer] = sorted[i]!;
      for (const n of older.names) {
        assert.equal(newer.numbers[n], older.numbers[n], `${n}: ${oldV} -> ${newV}`);
      }
    }
  });
  test('accessors', () => {
    assert.equal(libseccompFor(252).upstream, '2.5.4');
    assert.equal(libseccompFor(257).upstream, '2.6.0');
    assert.equal(libseccompFor(262).upstream, '2.6.1');
    assert.equal(libseccompFor(262, 'oracle').upstream, '2.5.4');
    assert.equal(isResolvableSyscall(252, 'read'), true);
    assert.equal(isResolvableSyscall(252, 'socketcall'), false);
    assert.equal(isResolvableSyscall(252, 'not_a_syscall'), false);
    assert.equal(isResolvableSyscall(252, 'fchmodat2'), true, "Debian's 2.5.4 carries the v6.7 table update");
    assert.equal(isResolvableSyscall(252, 'mseal'), false);
    assert.equal(isResolvableSyscall(257, 'mseal'), true);
    assert.equal(isResolvableSyscall(262, 'open_tree_attr'), true);
    assert.equal(isResolvableSyscall(262, 'open_tree_attr', 'oracle'), false);
    assert.equal(syscallNumber(252, 'openat'), 257);
    assert.equal(syscallNumber(252, 'socketcall'), undefined);
  });
});

describe('capabilities, address families, namespaces, errno', () => {
  test('capabilities', () => {
    const all = capabilities();
    assert.deepEqual(
      all.map((c) => c.number),
      all.map((_, i) => i),
      'numbers are 0..N-1 in order',
    );
    assert.deepEqual(duplicates(all.map((c) => c.name)), []);
    assert.equal(capability('CAP_CHOWN')!.number, 0);
    assert.equal(capability('cap_sys_admin')!.number, 21);
    assert.equal(capabilityByNumber(40)!.name, 'CAP_CHECKPOINT_RESTORE');
    assert.equal(capability('CAP_NOPE'), undefined);
    assert.equal(capability('cap_\u017fys_admin'), undefined, 'only ASCII letters fold, as in gperf');
    for (const n of ['CAP_SYS_ADMIN', 'CAP_SYS_PTRACE', 'CAP_SYS_MODULE', 'CAP_DAC_OVERRIDE', 'CAP_SETUID'])
      assert.ok(capability(n)!.risk, `${n} carries a risk note`);
    assert.equal(capability('CAP_KILL')!.risk, undefined);
    for (const v of TARGET_VERSIONS) assert.ok(capabilities(v).length >= 41);
  });

  test('address families', () => {
    const all = addressFamilies();
    assert.deepEqual(duplicates(all.map((f) => f.name)), []);
    const canonical = all.filter((f) => !f.aliasOf);
    assert.deepEqual(duplicates(canonical.map((f) => f.number)), []);
    for (const f of all.filter((x) => x.aliasOf)) {
      const c = addressFamily(f.aliasOf!)!;
      assert.ok(c && !c.aliasOf && c.number === f.number, f.name);
    }
    assert.equal(addressFamily('AF_UNIX')!.number, 1);
    assert.equal(addressFamily('af_inet')!.number, 2);
    assert.equal(addressFamily('AF_INET6')!.number, 10);
    assert.equal(addressFamily('AF_NETLINK')!.number, 16);
    assert.equal(addressFamily('AF_UNSPEC'), undefined);
    assert.equal(addressFamiliesJson.special.find((s) => s.name === 'none')!.since, 249);
  });

  test('namespaces', () => {
    const all = namespaceTypes();
    assert.deepEqual(
      all.map((t) => t.name),
      ['cgroup', 'ipc', 'net', 'mnt', 'pid', 'user', 'uts', 'time'],
    );
    for (const t of all) {
      assert.equal(t.value & (t.value - 1), 0, `${t.name}: one bit`);
      assert.equal(t.hex, '0x' + t.value.toString(16).padStart(8, '0'));
    }
    assert.deepEqual(duplicates(all.map((t) => t.value)), []);
    assert.equal(namespaceType('mnt')!.cloneFlag, 'CLONE_NEWNS');
    assert.equal(namespaceType('NET'), undefined, 'RestrictNamespaces= names are case-sensitive');
    assert.equal(namespaceType('time')!.coveredByYesSince, 262);
    assert.equal(namespaceType('user')!.coveredByYesSince, 239);
    // "time" is not in namespace_flag_map[] before 252 (read from the v239-50 … v251.20 tags).
    assert.equal(namespaceType('time', 251), undefined);
    assert.equal(namespaceType('time', 252)!.name, 'time');
    assert.equal(namespaceType('user', 239)!.name, 'user');
  });

  test('errno', () => {
    const all = errnoNames();
    assert.deepEqual(duplicates(all.map((e) => e.name)), []);
    const canonical = all.filter((e) => !e.aliasOf);
    assert.deepEqual(duplicates(canonical.map((e) => e.number)), []);
    for (const e of all.filter((x) => x.aliasOf)) assert.equal(errnoName(e.aliasOf!)!.number, e.number, e.name);
    assert.equal(errnoName('EPERM')!.number, 1);
    assert.equal(errnoName('eacces')!.number, 13);
    assert.equal(errnoByNumber(11)!.name, 'EAGAIN');
    assert.equal(errnoName('EWOULDBLOCK')!.aliasOf, 'EAGAIN');
    assert.equal(errnoName('EFTYPE', 257), undefined);
    assert.equal(errnoName('EFTYPE', 262)!.number, 134);
    assert.deepEqual(
      errnoJson.special.map((s) => s.name),
      ['kill'],
    );
    assert.deepEqual(
      errnoJson.notAccepted.map((s) => s.name),
      ['log'],
    );
  });
});

describe('the generators reproduce the data from the sources', () => {
  const sources = process.env.VOCAB_SOURCES || '/tmp/vocab-src';
  const have = existsSync(join(sources, 'systemd-252.39-1~deb12u2')) && existsSync(join(sources, 'headers'));
  const skip = have ? false : `primary sources not found in ${sources} (see the header of scripts/gen-syscalls.mjs)`;
  for (const script of ['gen-syscalls.mjs', 'gen-vocabulary.mjs']) {
    test(script, { skip }, () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', script), '--check', '--sources', sources], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
    });
  }
});
