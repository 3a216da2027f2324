/**
 * The generated system-call data against the real programs:
 *  - server/data/syscall-groups.json against `systemd-analyze syscall-filter` of each systemd version: the same
 *    groups in the same order, and every member list identical, order included;
 *  - server/data/seccomp-x86_64.json against the real libseccomp builds, asked through scripts/seccomp-resolve.c
 *    (compiled here with gcc against libseccomp-dev): every name the data knows of resolves to a number >= 0
 *    exactly when the data lists it, with the same number.
 * Missing binaries or libraries skip the affected checks and say why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import groupsJson from '../../server/data/syscall-groups.json';
import seccompJson from '../../server/data/seccomp-x86_64.json';
import { ROOT } from '../helpers';
import { ORACLE_VERSIONS, oraclePath, runOracle, type OracleVersion } from '../oracle';
import { oracle, skipUnless } from '../requirements';

interface Group {
  name: string;
  members: string[];
}
const groupsData: { versions: Record<string, { systemd: string; groups: Group[] }> } = groupsJson;
const seccompData: {
  libseccomp: Record<
    string,
    { upstream: string; names: string[]; numbers: Record<string, number>; anyArchNames: string[] }
  >;
  targets: Record<string, { distribution: string; oracle: string }>;
} = seccompJson;

/** Parses `systemd-analyze syscall-filter` output into groups; stops at the first "#" comment after the groups. */
export function parseSyscallFilterOutput(text: string): Group[] {
  const groups: Group[] = [];
  let current: Group | null = null;
  for (const line of text.split('\n')) {
    if (line === '') {
      current = null;
      continue;
    }
    if (line.startsWith('@')) {
      current = { name: line.trim(), members: [] };
      groups.push(current);
      continue;
    }
    if (line.startsWith('#')) break; // "Ungrouped"/"Unlisted" system calls: not part of any group
    if (!current) throw new Error(`unexpected line outside a group: ${JSON.stringify(line)}`);
    const item = line.trim();
    if (item.startsWith('# ')) continue; // the group's help text
    current.members.push(item);
  }
  return groups;
}

describe('systemd-analyze syscall-filter matches server/data/syscall-groups.json', () => {
  for (const version of ORACLE_VERSIONS) {
    const bin = oraclePath(version);
    test(`systemd ${version}`, { skip: skipUnless(oracle(version)) }, () => {
      const ver = runOracle(bin!, ['--version']);
      const m = /^systemd (\d+) \(([^)]+)\)/.exec(ver.stdout);
      assert.ok(m, `cannot read the version of ${bin}: ${ver.stdout}`);
      assert.equal(Number(m[1]), version, `${bin} is systemd ${m[1]}`);

      const r = runOracle(bin!, ['syscall-filter', '--no-pager']);
      assert.equal(r.status, 0, r.stderr);
      const real = parseSyscallFilterOutput(r.stdout);
      const ours = groupsData.versions[String(version)]!.groups;
      assert.deepEqual(
        real.map((g) => g.name),
        ours.map((g) => g.name),
        `group list of ${m[2]} differs from the data (generated from ${groupsData.versions[String(version)]!.systemd})`,
      );
      for (let i = 0; i < ours.length; i++) {
        assert.deepEqual(real[i]!.members, ours[i]!.members, `${ours[i]!.name} of systemd ${m[2]}`);
      }

      // A single group prints the same block.
      const one = runOracle(bin!, ['syscall-filter', '--no-pager', '@clock']);
      assert.equal(one.status, 0, one.stderr);
      const clock = ours.find((g) => g.name === '@clock')!;
      assert.deepEqual(parseSyscallFilterOutput(one.stdout), [{ name: clock.name, members: clock.members }]);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// libseccomp

const scratch = mkdtempSync(join(tmpdir(), 'seccomp-resolve-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Compiles scripts/seccomp-resolve.c; returns the binary or the reason it cannot be built. */
function buildResolver(): { bin: string } | { skip: string } {
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) return { skip: 'gcc is not installed' };
  const bin = join(scratch, 'seccomp-resolve');
  const r = spawnSync('gcc', ['-O2', '-Wall', '-o', bin, join(ROOT, 'scripts', 'seccomp-resolve.c'), '-lseccomp'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    if (/seccomp\.h|-lseccomp|cannot find/.test(r.stderr))
      return { skip: `libseccomp-dev is not installed (${r.stderr.trim().split('\n')[0]})` };
    throw new Error(`cannot compile scripts/seccomp-resolve.c:\n${r.stderr}`);
  }
  return { bin };
}

interface LibUnderTest {
  label: string;
  /** Debian version of the library, +bN (binary-only rebuild) removed. */
  version: string;
  /** How to run the resolver with this library. */
  command: (resolver: string) => { cmd: string; args: string[]; env?: NodeJS.ProcessEnv };
}

function debVersionFromChangelog(docDir: string): string | null {
  for (const f of ['changelog.Debian.amd64.gz', 'changelog.Debian.gz']) {
    const p = join(docDir, f);
    if (!existsSync(p)) continue;
    const m = /^\S+ \(([^)]+)\)/.exec(gunzipSync(readFileSync(p)).toString('utf8'));
    if (m) return m[1]!;
  }
  return null;
}

const stripBinNmu = (v: string): string => v.replace(/\+b\d+$/, '');

function systemLibseccomp(): LibUnderTest | { skip: string } {
  const q = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libseccomp2'], { encoding: 'utf8' });
  if (q.error || q.status !== 0 || !q.stdout)
    return { skip: 'cannot tell the version of the system libseccomp (no dpkg or libseccomp2)' };
  return {
    label: `system libseccomp2 ${q.stdout}`,
    version: stripBinNmu(q.stdout),
    command: (resolver) => ({ cmd: resolver, args: [] }),
  };
}

/**
 * Unpacked roots that hold a libseccomp of their own: the oracle installs (257 carries trixie's library and its
 * loader) and any directories listed in SECCOMP_LIB_ROOTS (colon-separated, e.g. `dpkg-deb -x libseccomp2_*.deb DIR`).
 */
function unpackedLibseccomps(): LibUnderTest[] {
  const oracles = process.env.SYSTEMD_ORACLES_DIR ?? join(homedir(), '.cache', 'systemd-oracles');
  const roots = [
    ...ORACLE_VERSIONS.map((v) => join(oracles, String(v), 'root')),
    ...(process.env.SECCOMP_LIB_ROOTS ?? '').split(':').filter(Boolean),
  ];
  const out: LibUnderTest[] = [];
  for (const root of roots) {
    const libdir = join(root, 'usr', 'lib', 'x86_64-linux-gnu');
    if (!existsSync(join(libdir, 'libseccomp.so.2'))) continue;
    const version = debVersionFromChangelog(join(root, 'usr', 'share', 'doc', 'libseccomp2'));
    if (!version) continue;
    // Only the library itself goes on LD_LIBRARY_PATH: a root may also hold a C library that the host's loader
    // must not pick up.
    const only = mkdtempSync(join(scratch, 'lib-'));
    symlinkSync(join(libdir, 'libseccomp.so.2'), join(only, 'libseccomp.so.2'));
    out.push({
      label: `libseccomp2 ${version} in ${root} (host loader, LD_LIBRARY_PATH)`,
      version: stripBinNmu(version),
      command: (resolver) => ({ cmd: resolver, args: [], env: { ...process.env, LD_LIBRARY_PATH: only } }),
    });
    const loader = join(libdir, 'ld-linux-x86-64.so.2');
    if (existsSync(loader)) {
      // The way the oracle wrappers run: that suite's own loader and C library.
      out.push({
        label: `libseccomp2 ${version} in ${root} (its own loader)`,
        version: stripBinNmu(version),
        command: (resolver) => ({
          cmd: loader,
          args: ['--library-path', `${libdir}:${join(root, 'lib', 'x86_64-linux-gnu')}`, resolver],
        }),
      });
    }
  }
  return out;
}

/** Every name the data mentions, plus a few that no libseccomp knows. */
function probeNames(): string[] {
  const names = new Set<string>(['not_a_syscall', 'clock', 'socketcall_']);
  for (const b of Object.values(seccompData.libseccomp)) for (const n of b.anyArchNames) names.add(n);
  for (const v of Object.values(groupsData.versions))
    for (const g of v.groups) for (const m of g.members) if (!m.startsWith('@')) names.add(m);
  return [...names].sort();
}

function resolveAll(
  resolver: string,
  lib: LibUnderTest,
  names: string[],
): { version: string; numbers: Map<string, number> } {
  const { cmd, args, env } = lib.command(resolver);
  const v = spawnSync(cmd, [...args, '--version'], { encoding: 'utf8', env });
  assert.equal(v.status, 0, `${lib.label}: ${v.stderr}`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, input: names.join('\n') + '\n' });
  assert.equal(r.status, 0, `${lib.label}: ${r.stderr}`);
  const numbers = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [n, num] = line.split(' ');
    numbers.set(n!, Number(num));
  }
  assert.equal(numbers.size, names.length, `${lib.label}: answered ${numbers.size} of ${names.length} names`);
  return { version: v.stdout.trim(), numbers };
}

function checkAgainstData(lib: LibUnderTest, got: { version: string; numbers: Map<string, number> }): void {
  const build = seccompData.libseccomp[lib.version]!;
  assert.equal(got.version, build.upstream, `${lib.label} reports version ${got.version}`);
  const listed = new Set(build.names);
  const wrong: string[] = [];
  for (const [name, num] of got.numbers) {
    if (listed.has(name) !== num >= 0)
      wrong.push(`${name}: library ${num}, data ${listed.has(name) ? build.numbers[name] : 'not resolvable'}`);
    else if (num >= 0 && build.numbers[name] !== num)
      wrong.push(`${name}: library ${num}, data ${build.numbers[name]}`);
  }
  for (const n of build.names) if (!got.numbers.has(n)) wrong.push(`${n}: not asked`);
  assert.deepEqual(wrong, [], `${lib.label} disagrees with seccomp-x86_64.json[${lib.version}]`);
}

describe('libseccomp resolves exactly the names in server/data/seccomp-x86_64.json', () => {
  const resolver = buildResolver();
  const skipAll = 'skip' in resolver ? resolver.skip : false;
  const names = probeNames();

  const sys = systemLibseccomp();
  const sysSkip =
    skipAll ||
    ('skip' in sys ? sys.skip : false) ||
    (!('skip' in sys) && !seccompData.libseccomp[sys.version]
      ? `the system has libseccomp2 ${sys.version}, which the data does not record`
      : false);
  test('the system libseccomp', { skip: sysSkip }, () => {
    const lib = sys as LibUnderTest;
    checkAgainstData(lib, resolveAll((resolver as { bin: string }).bin, lib, names));
  });

  const unpacked = skipAll ? [] : unpackedLibseccomps().filter((l) => seccompData.libseccomp[l.version]);
  test(
    'unpacked libseccomp builds (oracle roots, SECCOMP_LIB_ROOTS)',
    { skip: skipAll || (unpacked.length === 0 ? 'no unpacked libseccomp with a recorded version found' : false) },
    () => {
      for (const lib of unpacked) checkAgainstData(lib, resolveAll((resolver as { bin: string }).bin, lib, names));
    },
  );

  test(
    'targets[V].oracle is the library each oracle binary really loads',
    { skip: 'skip' in sys ? sys.skip : false },
    () => {
      const host = (sys as LibUnderTest).version;
      const oracles = process.env.SYSTEMD_ORACLES_DIR ?? join(homedir(), '.cache', 'systemd-oracles');
      let checked = 0;
      for (const v of ORACLE_VERSIONS) {
        if (!oraclePath(v as OracleVersion)) continue;
        const root = join(oracles, String(v), 'root');
        const own =
          v !== 252 && existsSync(join(root, 'usr', 'lib', 'x86_64-linux-gnu', 'libseccomp.so.2'))
            ? debVersionFromChangelog(join(root, 'usr', 'share', 'doc', 'libseccomp2'))
            : null;
        // Without a library of its own, the oracle finds the host's (the loader's default search path).
        assert.equal(seccompData.targets[String(v)]!.oracle, stripBinNmu(own ?? host), `oracle ${v}`);
        checked++;
      }
      assert.ok(checked > 0 || ORACLE_VERSIONS.every((v) => !oraclePath(v)));
    },
  );
});
