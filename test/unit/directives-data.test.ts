/**
 * server/data/directives.json (its schema is checked by data-schemas.test.ts) against its own invariants, the facts the research notes pin down,
 * and the real systemd binaries: `systemd --dump-configuration-items` (252) and, for 252/254/257/262,
 * the "Unknown key" warnings of `systemd-analyze security --offline=yes`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import data from '../../server/data/directives.json';
import {
  allDirectiveNames,
  directive,
  directivesIn,
  isKnown,
  NEWEST_VERSION,
  OLDEST_VERSION,
  sectionsFor,
  setting,
  valuesIn,
  VERSIONS,
  type DirectiveInfo,
} from '../../server/src/knowledge/directives';
import { ORACLE_VERSIONS, oraclePath, runOracle } from '../oracle';
import { need, oracle, skipUnless } from '../requirements';
import { ROOT } from '../helpers';

const ALL: readonly DirectiveInfo[] = allDirectiveNames().map((n) => directive(n) as DirectiveInfo);

test('invariants: names, versions, ranges, cross references', () => {
  const versions = data.versions;
  assert.deepEqual(versions, [...VERSIONS]);
  assert.equal(OLDEST_VERSION, 239);
  assert.equal(NEWEST_VERSION, 262);
  for (let i = 1; i < versions.length; i++)
    assert.equal(versions[i], (versions[i - 1] ?? 0) + 1, 'versions are consecutive');
  const names = data.directives.map((d) => d.name);
  assert.equal(new Set(names).size, names.length, 'unique names');
  assert.deepEqual(allDirectiveNames(), [...names].sort());
  const inVersions = (v: number): boolean => v >= OLDEST_VERSION && v <= NEWEST_VERSION;
  for (const d of ALL) {
    const ranges = Object.entries(d.sections);
    assert.ok(ranges.length > 0, `${d.name}: no section`);
    for (const [sec, r] of ranges) {
      assert.ok(inVersions(r.since), `${sec}.${d.name}: since ${r.since}`);
      if (r.until !== null) {
        assert.ok(inVersions(r.until) && r.until >= r.since, `${sec}.${d.name}: ${r.since}..${r.until}`);
        assert.ok(r.until < NEWEST_VERSION, `${sec}.${d.name}: until is null when the newest version has it`);
      }
      if (r.movedTo) assert.ok(d.sections[r.movedTo], `${sec}.${d.name}: movedTo ${r.movedTo} without that section`);
      // a backport: versions before the range (with a gap: otherwise the range would start there)
      for (const x of r.alsoIn ?? []) assert.ok(inVersions(x) && x < r.since - 1, `${sec}.${d.name}: alsoIn ${x}`);
    }
    const first = Math.min(...ranges.map(([, r]) => r.since));
    for (const v of d.values ?? []) {
      assert.ok(
        inVersions(v.since) && v.since >= first,
        `${d.name}=${v.value}: since ${v.since} before the key (${first})`,
      );
      if (v.until !== undefined)
        assert.ok(v.until >= v.since && inVersions(v.until), `${d.name}=${v.value}: until ${v.until}`);
    }
    if (d.values)
      assert.equal(new Set(d.values.map((v) => v.value)).size, d.values.length, `${d.name}: duplicate values`);
    if (d.deprecated) {
      assert.ok(inVersions(d.deprecated.since) || d.deprecated.how === 'removed', `${d.name}: deprecated.since`);
      if (d.deprecated.replacement)
        assert.ok(directive(d.deprecated.replacement), `${d.name}: replacement ${d.deprecated.replacement} unknown`);
      if (d.deprecated.how === 'removed') {
        for (const [sec, r] of ranges)
          assert.ok(r.until !== null && r.until < d.deprecated.since, `${sec}.${d.name} removed but still present`);
      }
    }
    if (d.aliasOf) assert.ok(directive(d.aliasOf) && !directive(d.aliasOf)?.aliasOf, `${d.name}: aliasOf ${d.aliasOf}`);
    assert.ok(d.description.length > 10 && !d.description.includes('\n'), `${d.name}: description`);
    assert.match(d.parser, /^(config_parse_\w+|NULL)$/);
  }
});

test('accessor: O(1) maps agree with the raw data', () => {
  for (const v of [239, 252, 258, 262]) {
    for (const sec of [
      'Unit',
      'Service',
      'Socket',
      'Mount',
      'Automount',
      'Swap',
      'Timer',
      'Path',
      'Slice',
      'Scope',
      'Install',
    ]) {
      const listed = directivesIn(sec, v).map((d) => d.name);
      const expected = ALL.filter((d) => {
        const r = d.sections[sec];
        return r && ((r.since <= v && (r.until === null || v <= r.until)) || (r.alsoIn?.includes(v) ?? false));
      }).map((d) => d.name);
      assert.deepEqual(listed, [...expected].sort(), `${sec} @ ${v}`);
      for (const n of listed) assert.ok(isKnown(sec, n, v));
    }
  }
  assert.equal(directive('protectsystem'), undefined, 'keys are case-sensitive');
  assert.deepEqual(sectionsFor('ListenStream', 252), ['Socket']);
  assert.deepEqual(sectionsFor('NoSuchKey', 252), []);
  assert.equal(isKnown('Service', 'ListenStream', 262), false);
  assert.equal(setting('Mount', 'Type')?.kind, 'string', 'Type= of a mount is a file system type');
  assert.equal(setting('Service', 'Type')?.kind, 'enum');
  assert.deepEqual(
    valuesIn('Type', 252)
      .map((v) => v.value)
      .sort(),
    ['dbus', 'exec', 'forking', 'idle', 'notify', 'oneshot', 'simple'],
  );
});

/** Facts from /work/shared/research/versions.md §5–6 (its own numbers, measured independently). */
test('spot checks against the research notes', () => {
  const since = (name: string, sec = 'Service'): number | undefined => directive(name)?.sections[sec]?.since;
  const expectations: [string, number, string?][] = [
    ['ProtectHostname', 242],
    ['RestrictSUIDSGID', 242],
    ['NetworkNamespacePath', 242],
    ['IPIngressFilterPath', 243],
    ['IPEgressFilterPath', 243],
    ['ProtectKernelLogs', 244],
    ['ProtectClock', 245],
    ['ProtectProc', 247],
    ['ProcSubset', 247],
    ['SystemCallLog', 247],
    ['LoadCredential', 247],
    ['SetCredential', 247],
    ['PrivateIPC', 248],
    ['IPCNamespacePath', 248],
    ['NoExecPaths', 248],
    ['ExecPaths', 248],
    ['SocketBindAllow', 249],
    ['SocketBindDeny', 249],
    ['RestrictFileSystems', 250],
    ['RestrictNetworkInterfaces', 250],
    ['LoadCredentialEncrypted', 250],
    ['SetCredentialEncrypted', 250],
    ['ImportCredential', 254],
    ['MemoryKSM', 254],
    ['DelegateSubgroup', 254],
    ['RootEphemeral', 254],
    ['PrivatePIDs', 257],
    ['BindLogSockets', 257],
    ['PrivateBPF', 258],
    ['BPFDelegateCommands', 258],
    ['DelegateNamespaces', 258],
    ['UserNamespacePath', 259],
    ['MemoryTHP', 260],
    ['BindNetworkInterface', 260],
    ['RootMStack', 260],
    ['UpheldBy', 254, 'Install'],
    ['WantedBy', 239, 'Install'],
    ['DefaultMemoryLow', 243],
    ['DefaultStartupMemoryLow', 254],
    ['PrivateMounts', 239],
    ['NoNewPrivileges', 239],
    ['ProtectSystem', 239],
    ['DefaultDependencies', 239, 'Unit'],
    ['AssertCPUFeature', 251, 'Unit'],
    ['AssertCPUPressure', 250, 'Unit'],
  ];
  for (const [name, v, sec] of expectations) assert.equal(since(name, sec), v, `${name}= since`);
  const valueSince = (name: string, value: string): number | undefined =>
    directive(name)?.values?.find((x) => x.value === value)?.since;
  assert.equal(valueSince('RestrictAddressFamilies', 'none'), 249);
  assert.equal(valueSince('PrivateTmp', 'disconnected'), 257);
  assert.equal(valueSince('ProtectControlGroups', 'private'), 257);
  assert.equal(valueSince('ProtectControlGroups', 'strict'), 257);
  assert.equal(valueSince('PrivateUsers', 'self'), 257);
  assert.equal(valueSince('PrivateUsers', 'identity'), 257);
  assert.equal(valueSince('PrivateUsers', 'full'), 258);
  assert.equal(valueSince('PrivateUsers', 'managed'), 260);
  assert.equal(valueSince('ProtectHostname', 'private'), 258);
  assert.deepEqual(
    directive('ProtectSystem')
      ?.values?.map((v) => v.value)
      .sort(),
    ['full', 'no', 'strict', 'yes'],
  );
  assert.deepEqual(
    directive('ProtectHome')
      ?.values?.map((v) => v.value)
      .sort(),
    ['no', 'read-only', 'tmpfs', 'yes'],
  );
  // deprecations and removals
  assert.equal(directive('CPUShares')?.deprecated?.since, 258);
  assert.equal(directive('CPUShares')?.deprecated?.how, 'ignored with a warning');
  assert.equal(directive('MemoryLimit')?.deprecated?.replacement, 'MemoryMax');
  assert.equal(isKnown('Service', 'CPUShares', 262), true, 'an ignored key is still a known key');
  assert.equal(directive('ConditionNull')?.sections.Unit?.until, 246);
  assert.equal(isKnown('Unit', 'ConditionNull', 247), false);
  assert.deepEqual(directive('ManagedOOMMemoryPressureLimitPercent')?.sections.Service, { since: 247, until: 247 });
  assert.equal(directive('Capabilities')?.deprecated?.how, 'ignored with a warning');
  assert.equal(directive('ReadWriteDirectories')?.aliasOf, 'ReadWritePaths');
  assert.equal(directive('StartLimitBurst')?.sections.Service?.movedTo, 'Unit');
  // list semantics and kinds
  for (const n of [
    'ReadWritePaths',
    'Environment',
    'CapabilityBoundingSet',
    'SystemCallFilter',
    'ExecStart',
    'DeviceAllow',
    'IPAddressDeny',
  ]) {
    assert.equal(directive(n)?.list, true, `${n} accumulates`);
  }
  for (const n of ['ProtectSystem', 'User', 'UMask', 'MemoryMax', 'NoNewPrivileges', 'TimeoutStartSec'])
    assert.equal(directive(n)?.list, false, `${n}: last wins`);
  assert.equal(directive('ProtectSystem')?.parser, 'config_parse_protect_system');
  assert.equal(directive('ProtectSystem')?.kind, 'enum');
  assert.equal(directive('UMask')?.kind, 'mode');
  assert.equal(directive('LimitNOFILE')?.kind, 'limit');
});

test('252: every key systemd --dump-configuration-items lists, and nothing else', (t) => {
  const bin = '/lib/systemd/systemd';
  if (!existsSync(bin)) {
    t.skip(`${bin} is missing`);
    return;
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout;
  if (!/^systemd 252\b/.test(version)) {
    t.skip(`${bin} is not systemd 252: ${version.split('\n')[0]}`);
    return;
  }
  const dump = spawnSync(bin, ['--dump-configuration-items'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  const real = new Set<string>();
  let section = '';
  for (const line of dump.split('\n')) {
    const s = /^\[(\w+)\]$/.exec(line);
    if (s) {
      section = s[1] ?? '';
      continue;
    }
    const k = /^(\w+)=/.exec(line);
    if (k) real.add(`${section}.${k[1]}`);
  }
  assert.ok(real.size > 1000, `dump has ${real.size} keys`);
  // the dump leaves out the keys whose parser is config_parse_warn_compat (accepted, ignored)
  const ours = new Set<string>();
  for (const d of ALL) {
    const ignored = d.deprecated?.how === 'ignored with a warning' && d.deprecated.since <= 252;
    for (const sec of sectionsFor(d.name, 252)) if (!ignored) ours.add(`${sec}.${d.name}`);
  }
  assert.deepEqual([...ours].filter((k) => !real.has(k)).sort(), [], 'keys we list that systemd 252 does not');
  assert.deepEqual([...real].filter((k) => !ours.has(k)).sort(), [], 'keys systemd 252 lists that we do not');
});

/**
 * One unit file per version and section holding every directive name we know (any version, any section):
 * systemd must call exactly the ones we say it does not know "Unknown key". Values are harmless: "no" for
 * booleans (some boolean keys make a parse error fatal, which would stop the parse), empty (= reset) otherwise.
 */
function probeValue(section: string, name: string): string {
  const kind = setting(section, name)?.kind ?? directive(name)?.kind;
  return kind === 'boolean' || kind === 'tristate' ? 'no' : '';
}
/** How each section is probed: the unit file to write and the verb that makes systemd parse it. */
const PROBES: { section: string; file: string; verb: 'security' | 'verify'; text: (body: string) => string }[] = [
  {
    section: 'Service',
    file: 'probe-service.service',
    verb: 'security',
    text: (b) => `[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\n${b}\n`,
  },
  {
    section: 'Unit',
    file: 'probe-unit.service',
    verb: 'security',
    text: (b) => `[Unit]\n${b}\n[Service]\nExecStart=/bin/true\n`,
  },
  // beyond the brief: the other sections through `verify` (a .scope cannot be loaded from a file, so [Scope] is not probed)
  {
    section: 'Install',
    file: 'probe-install.service',
    verb: 'verify',
    text: (b) => `[Service]\nExecStart=/bin/true\n[Install]\n${b}\n`,
  },
  {
    section: 'Socket',
    file: 'probe.socket',
    verb: 'verify',
    text: (b) => `[Socket]\n${b}\nListenStream=/run/probe.sock\n`,
  },
  { section: 'Mount', file: 'probe.mount', verb: 'verify', text: (b) => `[Mount]\n${b}\nWhat=tmpfs\nWhere=/probe\n` },
  { section: 'Automount', file: 'probe.automount', verb: 'verify', text: (b) => `[Automount]\n${b}\nWhere=/probe\n` },
  { section: 'Swap', file: 'probe.swap', verb: 'verify', text: (b) => `[Swap]\n${b}\nWhat=/probe\n` },
  { section: 'Timer', file: 'probe.timer', verb: 'verify', text: (b) => `[Timer]\n${b}\nOnBootSec=1h\n` },
  { section: 'Path', file: 'probe.path', verb: 'verify', text: (b) => `[Path]\n${b}\nPathExists=/probe\n` },
  { section: 'Slice', file: 'probe.slice', verb: 'verify', text: (b) => `[Slice]\n${b}\n` },
];

for (const version of ORACLE_VERSIONS) {
  test(
    `systemd-analyze ${version}: "Unknown key" exactly for the keys we call unknown, section by section`,
    { skip: skipUnless(oracle(version)) },
    () => {
      const bin = oraclePath(version)!;
      const dir = mkdtempSync(join(tmpdir(), `directives-${version}-`));
      try {
        for (const probe of PROBES) {
          const { section } = probe;
          // the keys the probe unit sets itself stay out of the list (their empty value would undo them)
          const own = new Set([...probe.text('').matchAll(/^(\w+)=/gm)].map((m) => m[1]));
          const keys = allDirectiveNames().filter((k) => !own.has(k));
          const file = join(dir, probe.file);
          writeFileSync(file, probe.text(keys.map((k) => `${k}=${probeValue(section, k)}`).join('\n')));
          const args =
            probe.verb === 'security'
              ? ['security', '--offline=yes', file]
              : ['verify', '--man=no', '--generators=no', file];
          const run = runOracle(bin, args, dir);
          const unknown = new Set<string>();
          for (const m of run.stderr.matchAll(/Unknown key(?: name)? '(\w+)' in section \[?'?(\w+)/g)) {
            if (m[2] === section && m[1]) unknown.add(m[1]);
          }
          assert.doesNotMatch(run.stderr, /fatal error/, `[${section}]: the probe unit must parse to its end`);
          const expected = keys.filter((k) => !isKnown(section, k, version));
          const known = keys.filter((k) => isKnown(section, k, version));
          assert.ok(known.length >= 2, `only ${known.length} keys known in [${section}]`);
          assert.ok(
            unknown.size > 0,
            `[${section}]: no "Unknown key" line at all; stderr: ${run.stderr.slice(0, 300)}`,
          );
          assert.deepEqual(
            known.filter((k) => unknown.has(k)),
            [],
            `[${section}] keys we call known that systemd ${version} rejects`,
          );
          assert.deepEqual(
            expected.filter((k) => !unknown.has(k)),
            [],
            `[${section}] keys we call unknown that systemd ${version} accepts`,
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

test('gen-directives.mjs --check: the file is what the reference builds give, and a planted change fails it', (t) => {
  if (!need(t, 'systemd-stable')) return;
  const gen = join(ROOT, 'scripts', 'gen-directives.mjs');
  const run = (args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [gen, ...args], { encoding: 'utf8', timeout: 600_000 });
  const ok = run(['--check']);
  if (ok.status === 2) {
    // the Debian trees (247, 252, 254, 257) are not on this machine: nothing can be checked
    t.skip(`needs the Debian source trees: ${String(ok.stderr).trim()}`);
    return;
  }
  assert.equal(ok.status, 0, String(ok.stderr));
  const tmp = mkdtempSync(join(tmpdir(), 'directives-check-'));
  try {
    const planted = JSON.parse(readFileSync(join(ROOT, 'server', 'data', 'directives.json'), 'utf8')) as {
      directives: { name: string; sections: Record<string, { since: number; alsoIn?: number[] }> }[];
    };
    // upstream 239 instead of RHEL's v239-50: RestrictSUIDSGID= without its backport
    delete planted.directives.find((d) => d.name === 'RestrictSUIDSGID')!.sections.Service!.alsoIn;
    const file = join(tmp, 'directives.json');
    writeFileSync(file, JSON.stringify(planted, null, 2) + '\n');
    const bad = run(['--check', '--out', file]);
    assert.equal(bad.status, 1, String(bad.stderr));
    assert.match(String(bad.stderr), /differs from the sources in 1 places: RestrictSUIDSGID=/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
