/**
 * server/data/assessors.json: the check table and the behaviour of every systemd release 239–262.
 *
 * - Each release has the table its reference build gives (id and row count), each table's id is the hash of
 *   its rows, and every table is used.
 * - Between neighbouring releases the tables and the behaviour differ exactly by the changes listed here,
 *   each with the systemd commit that made it; with a systemd-stable clone, each table change is held to its
 *   commit (the table at the commit's parent and at the commit, read by the generator).
 * - With the clone (and, where present, the Debian source trees), `gen-assessors.mjs --check` confirms the
 *   file is what the sources give, and a planted change makes it fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';
import { oraclePath } from '../oracle';
import { need, oracle, systemdStableGit } from '../requirements';

interface Row {
  name: string;
  json_field: string | null;
  url: string | null;
  kind: string;
  parameters?: Record<string, unknown>;
  [field: string]: unknown;
}
interface Release {
  ref: { source: string; tag?: string; package?: string };
  table: string;
  sameAs?: number;
  assumed?: string;
  logic: Record<string, unknown>;
  [field: string]: unknown;
}
interface AssessorsFile {
  tables: Record<string, Row[]>;
  versions: Record<string, Release>;
}

const FILE = join(ROOT, 'server', 'data', 'assessors.json');
const GEN = join(ROOT, 'scripts', 'gen-assessors.mjs');
const data = JSON.parse(readFileSync(FILE, 'utf8')) as AssessorsFile;
const RELEASES = Array.from({ length: 262 - 239 + 1 }, (_, i) => 239 + i);
const rowsOf = (v: number): Row[] => data.tables[data.versions[String(v)]!.table]!;

/** [first release, last release, rows, table id]: the research's counts (issue 14, scoring-by-version.md §1). */
const TABLES: readonly [number, number, number, string][] = [
  [239, 239, 75, 'ab6e709251'], // v239-50 (RHEL 8.4)
  [240, 241, 74, 'ae18e24144'],
  [242, 242, 76, '1c8dc3c9f3'],
  [243, 243, 76, '30d7e2e645'], // v243.9: "may modify to" fixed
  [244, 244, 77, '7667a0df56'],
  [245, 245, 78, '66cca2ffe5'], // v245.4 (Ubuntu 20.04): CAP_RAWIO still
  [246, 246, 78, 'b4f6e7d8f3'],
  [247, 249, 80, 'a947e2d1a9'],
  [250, 251, 80, '1dd1f6228e'],
  [252, 254, 81, '352953afa7'],
  [255, 256, 81, '9efbaf5f7d'], // 255.4 and 256.0: CAP_BPF descriptions swapped
  [257, 257, 81, '352953afa7'],
  [258, 262, 81, 'b6181d380c'], // 262's URLs; 258–261 assumed
];

test('every release 239–262 has the table of its reference build: row count and table id', () => {
  assert.deepEqual(Object.keys(data.versions), RELEASES.map(String));
  for (const [from, to, rows, id] of TABLES)
    for (let v = from; v <= to; v++) {
      assert.equal(data.versions[String(v)]!.table, id, `${v}: table id`);
      assert.equal(rowsOf(v).length, rows, `${v}: rows`);
    }
  assert.equal(
    rowsOf(239).reduce((s, r) => s + (r.weight as number), 0),
    53375,
    'weight sum of 239',
  );
  assert.equal(
    rowsOf(262).reduce((s, r) => s + (r.weight as number), 0),
    56460,
    'weight sum of 262',
  );
});

test('each table is stored once under the hash of its rows, and every table is used', () => {
  const used = new Set(Object.values(data.versions).map((r) => r.table));
  for (const [id, rows] of Object.entries(data.tables)) {
    assert.equal(createHash('sha1').update(JSON.stringify(rows)).digest('hex').slice(0, 10), id);
    assert.ok(used.has(id), `table ${id} is used by no release`);
    assert.ok(
      rows.every((r) => r.json_field),
      `${id}: every row has a json_field`,
    );
    assert.equal(new Set(rows.map((r) => r.json_field)).size, rows.length, `${id}: json_fields are unique`);
  }
  for (const v of [258, 259, 260, 261]) {
    assert.equal(data.versions[String(v)]!.ref.source, 'none');
    assert.match(data.versions[String(v)]!.assumed ?? '', /unverified/);
  }
});

/** The changes of a table between two releases: +NAME / -NAME for rows added or removed, ~json_field.field. */
function tableDiff(a: Row[], b: Row[]): string[] {
  const A = new Map(a.map((r) => [r.json_field, r]));
  const B = new Map(b.map((r) => [r.json_field, r]));
  const out: string[] = [];
  for (const [k, r] of B) if (!A.has(k)) out.push(`+${r.name}`);
  for (const [k, r] of A) if (!B.has(k)) out.push(`-${r.name}`);
  for (const [k, r] of B) {
    const o = A.get(k);
    if (o) for (const f of Object.keys(r)) if (JSON.stringify(r[f]) !== JSON.stringify(o[f])) out.push(`~${k}.${f}`);
  }
  return out.sort();
}

/**
 * Every table change between neighbouring releases: [from, to, changes, commit, commit to hold it to (its
 * change read at its parent and at itself; `reverse`: `to` lacks what the commit brings), why].
 */
const TABLE_CHANGES: readonly [number, number, string[], string, { at: string; reverse?: true } | null, string][] = [
  [
    239,
    240,
    ['-RestrictSUIDSGID='],
    '3d33855676',
    { at: '3d33855676', reverse: true },
    'RHEL backport into 239-50 of 9d880b70ba (upstream 242)',
  ],
  [
    241,
    242,
    ['+ProtectHostname='],
    '527bd7f185',
    { at: '527bd7f185' },
    'analyze security: check for ProtectHostname=yes',
  ],
  [241, 242, ['+RestrictSUIDSGID='], '9d880b70ba', { at: '9d880b70ba' }, 'analyze: check for RestrictSUIDSGID='],
  [
    242,
    243,
    ['~ProtectControlGroups.description_bad'],
    '287cf2d802',
    { at: '287cf2d802' },
    '"May modify to" -> "May modify" (243.6+)',
  ],
  [243, 244, ['+ProtectKernelLogs='], '82dce83b19', { at: '82dce83b19' }, 'Add ProtectKernelLogs to security'],
  [244, 245, ['+ProtectClock='], '9f37272a19', { at: '9f37272a19' }, 'Add ProtectClock= to analyze-security'],
  [
    245,
    246,
    ['~CapabilityBoundingSet_CAP_SYS_RAWIO.name'],
    'b5ef66101a',
    { at: 'b5ef66101a' },
    'CAP_RAWIO -> CAP_SYS_RAWIO (246; 245.7+)',
  ],
  [
    246,
    247,
    ['+ProcSubset=', '+ProtectProc='],
    'ed125c936c',
    { at: 'ed125c936c' },
    'check for ProtectProc=/ProcSubset=',
  ],
  [
    249,
    250,
    ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'].map((n) => `~RestrictNamespaces_${n}.name`),
    'c1e6f21556',
    { at: 'c1e6f21556' },
    'use config value in RestrictNamespaces id',
  ],
  [
    251,
    252,
    ['+CapabilityBoundingSet=~CAP_BPF'],
    '4f7a629e6c',
    { at: '4f7a629e6c' },
    'handle CAP_BPF support (252.19+ via fd2a611f8c)',
  ],
  [
    254,
    255,
    ['~CapabilityBoundingSet_CAP_BPF.description_bad', '~CapabilityBoundingSet_CAP_BPF.description_good'],
    '1750e30d23',
    { at: 'f685b22f07', reverse: true },
    '254.26 has the fix (d18ad2b053, 254.15), 255.4 not yet (f685b22f07, 255.9)',
  ],
  [
    256,
    257,
    ['~CapabilityBoundingSet_CAP_BPF.description_bad', '~CapabilityBoundingSet_CAP_BPF.description_good'],
    '1750e30d23',
    { at: 'f685b22f07' },
    'Fix typo in CAP_BPF description (#33464); 256.0 predates it',
  ],
  [257, 258, ['~DeviceAllow.url', '~IPAddressDeny.url'], '(262)', null, "262's URLs (no source for 258–261: assumed)"],
];

test('between neighbouring releases the tables differ exactly by the named changes', () => {
  for (let v = 240; v <= 262; v++) {
    const want = TABLE_CHANGES.filter(([, to]) => to === v)
      .flatMap(([, , lines]) => lines)
      .sort();
    assert.deepEqual(tableDiff(rowsOf(v - 1), rowsOf(v)), want, `${v - 1} -> ${v}`);
  }
});

/** Every behaviour change between neighbouring releases: [from, to, field: old -> new, commit]. */
const BEHAVIOUR_CHANGES: readonly [number, number, string, string][] = [
  [239, 240, 'logic.dynamicUserImpliesNnpSuid: true -> false', 'bf65b7e0c9 (242) is backported in 239-50 only'],
  [239, 240, 'refuses.successActionOnlyService: true -> false', '3f00d379fa'],
  [239, 240, 'logic.protectSystemTypos: true -> false', '1e8817b327'],
  [239, 240, 'logic.rootImageAddsDeviceAllow: false -> true', 'fe65e88ba6'],
  [239, 240, 'parse.syscallErrnoConflictFails: true -> false', '851ee70a3d'],
  [240, 241, 'logic.nestedGroupDenyListInverted: true -> false', '95832a0f8c'],
  [241, 242, 'logic.rootDirectoryEither: false -> true', 'd737b451fe'],
  [241, 242, 'logic.dynamicUserImpliesNnpSuid: false -> true', 'bf65b7e0c9'],
  [242, 243, 'logic.denyListIncludedBadness: 5 -> 0', '01ecb3674a (243.9)'],
  [242, 243, 'logic.rootDirectoryEither: true -> false', 'd909b40fda (243.6 via dedb26a8d6)'],
  [242, 243, 'logic.ipFilterPathCounts: false -> true', 'fab347489f'],
  [242, 243, 'logic.ipFilterPathEgressOnly: false -> true', 'fab347489f'],
  [247, 248, 'parse.allowListWordTakesErrno: true -> false', '084a46d7c5'],
  [247, 248, 'parse.allowListInvertedErrnoKept: false -> true', '68acc1afbe'],
  [248, 249, 'logic.ipFilterPathEgressOnly: true -> false', '3da57008e7 (249.4 via 2d8f28adf5)'],
  [249, 250, 'logic.runningFilterErrnoSuffix: true -> false', '5862e5561c (250.8 via c96ff736c6)'],
  [249, 250, 'logic.runningIpAllowReduced: true -> false', '84ebe6f013'],
  [242, 243, 'logic.localhostAllowListTypo: true -> false', '7f024cb211'],
  [243, 244, 'logic.protectKernelLogsDropsSyslog: false -> true', '82dce83b19'],
  [243, 244, 'refuses.oneshotRestartNotNo: true -> false', '10e72727ee'],
  [244, 245, 'logic.protectClockDropsTimeAndAddsRtc: false -> true', '9f37272a19, fc64760dda'],
  [244, 245, 'logic.denyListIncludedBadness: 0 -> 5', '01ecb3674a is in 244.5 but not 245.4 (245.8 via 1997c27888)'],
  [245, 246, 'logic.denyListIncludedBadness: 5 -> 0', '01ecb3674a (246.3)'],
  [244, 245, 'logic.protectClockUnexported: false -> true', 'the bus property comes with b8b7b838fd (246; 245.5)'],
  [245, 246, 'logic.protectClockUnexported: true -> false', 'b8b7b838fd'],
  [245, 246, 'logic.allowListWording: "whitelist" -> "allow list"', '6b000af4f2'],
  [
    246,
    247,
    'logic.naText: "option does not apply" -> "option is not appropriate"',
    '77552b9520 (Debian 247.3-7 patch)',
  ],
  [246, 247, 'logic.egAllowedSuffix: false -> true', 'a9134af2e3'],
  [246, 247, 'refuses.bareNameNotInDefaultPath: true -> false', '9f71ba8d95'],
  [249, 250, 'rowOrder: "weight" -> "description"', '4b4a8ef741'],
  [249, 250, 'figures: ["running"] -> ["offline","running"]', '1624114d74'],
  [249, 250, 'offlinePrivateMounts: null -> "explicit"', '1624114d74'],
  [250, 251, 'logic.deviceAllowListed: false -> true', '6a59dfa108'],
  [252, 253, 'refuses.userUnitSystemActionIgnored: false -> true', '2ae6917a1a'],
  [253, 254, 'offlinePrivateMounts: "explicit" -> "unset-counts"', '24002121289698569bc28c0fe32dbb553a648545'],
  [255, 256, 'refuses.dynamicUserInUserUnit: false -> true', '52d8ba71b6'],
  [261, 262, 'userScope: "as-system" -> "calling-user"', 'systemd PR #42743'],
];

/** A release's behaviour as `path: JSON` pairs (everything but ref, table, sameAs and assumed). */
function behaviourOf(v: number): Map<string, string> {
  const { ref: _r, table: _t, sameAs: _s, assumed: _a, ...rest } = data.versions[String(v)]!;
  const flat = (o: Record<string, unknown>, prefix: string): [string, string][] =>
    Object.entries(o).flatMap(([k, x]) =>
      x !== null && typeof x === 'object' && !Array.isArray(x)
        ? flat(x as Record<string, unknown>, `${prefix}${k}.`)
        : [[`${prefix}${k}`, JSON.stringify(x)] as [string, string]],
    );
  return new Map(flat(rest, ''));
}

test('between neighbouring releases the behaviour differs exactly by the named changes', () => {
  for (let v = 240; v <= 262; v++) {
    const a = behaviourOf(v - 1);
    const got = [...behaviourOf(v)].filter(([k, x]) => a.get(k) !== x).map(([k, x]) => `${k}: ${a.get(k)} -> ${x}`);
    const want = BEHAVIOUR_CHANGES.filter(([, to]) => to === v).map(([, , change]) => change);
    assert.deepEqual(got.sort(), want.sort(), `${v - 1} -> ${v}`);
  }
  // sameAs names the lowest earlier release with the same table and behaviour.
  const same = Object.fromEntries(
    RELEASES.filter((v) => data.versions[String(v)]!.sameAs).map((v) => [v, data.versions[String(v)]!.sameAs]),
  );
  assert.deepEqual(same, { 259: 258, 260: 258, 261: 258 });
});

function run(args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [GEN, '--git', systemdStableGit(), ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 256 << 20,
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('each table change is the change of its commit (the table at its parent and at itself)', (t) => {
  if (!need(t, 'systemd-stable')) return;
  const commits = [...new Set(TABLE_CHANGES.flatMap(([, , , , c]) => (c ? [c.at] : [])))];
  const r = run(['--show-table', commits.flatMap((c) => [`${c}^`, c]).join(',')]);
  assert.equal(r.status, 0, r.err);
  const shown = JSON.parse(r.out) as Record<string, Row[]>;
  // Rows are matched by their identity across releases (url, kind, parameters) through the 252 row's
  // json_field: before 250 the rows have none, and during 250's development c1e6f21556 renamed the
  // RestrictNamespaces json_fields together with the ids (RestrictNamespaces_CLONE_NEWUSER -> _user).
  const key = (r: Row): string => JSON.stringify([r.url, r.kind, r.parameters ?? null]);
  const field = new Map(rowsOf(252).map((r) => [key(r), r.json_field]));
  const fill = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, json_field: field.get(key(r)) ?? r.json_field }));
  for (const [from, to, lines, commit, at, why] of TABLE_CHANGES) {
    if (!at) continue;
    const [before, after] = [fill(shown[`${at.at}^`]!), fill(shown[at.at]!)];
    const change = at.reverse ? tableDiff(after, before) : tableDiff(before, after);
    for (const line of lines)
      assert.ok(
        change.includes(line),
        `${from} -> ${to} ${line} (${commit}: ${why}): ${at.at} changes ${change.join(' ')}`,
      );
  }
});

test('gen-assessors.mjs --check: the file is what the sources give, and a planted change fails it', (t) => {
  if (!need(t, 'systemd-stable')) return;
  const ok = run(['--check']);
  assert.equal(ok.status, 0, ok.err);
  // The releases read from source are named; those that could not be are named on stderr (262 always).
  const checked = /read from source: ([\d ]+)/.exec(ok.out)?.[1]?.split(' ').map(Number) ?? [];
  const fromTags = RELEASES.filter((v) => data.versions[String(v)]!.ref.source === 'systemd-stable');
  for (const v of fromTags) assert.ok(checked.includes(v), `${v} was read from its tag: ${ok.out}`);
  assert.match(ok.err, /SKIPPED 262: not read from its source/);
  for (const v of RELEASES.filter((v) => data.versions[String(v)]!.ref.source === 'debian' && v !== 262))
    if (!checked.includes(v)) t.diagnostic(`SKIPPED ${v}: its Debian source tree is not here (see gen-assessors.mjs)`);

  const tmp = mkdtempSync(join(tmpdir(), 'assessors-check-'));
  try {
    const planted = JSON.parse(readFileSync(FILE, 'utf8')) as AssessorsFile;
    planted.tables[data.versions['240']!.table]![0]!.weight = 1;
    const file = join(tmp, 'assessors.json');
    writeFileSync(file, JSON.stringify(planted, null, 2) + '\n');
    const bad = run(['--check', '--file', file]);
    assert.equal(bad.status, 1, bad.out);
    assert.match(bad.err, /out of date \(versions 240, 241\)/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("262's text flags (kept, no source) are the strings of the real 262 binary", (t) => {
  if (!need(t, oracle(262))) return;
  const bin = join(dirname(oraclePath(262)!), 'root', 'usr', 'bin', 'systemd-analyze');
  assert.ok(existsSync(bin), `the 262 oracle keeps its binary at ${bin}`);
  const text = readFileSync(bin).toString('latin1');
  const logic = data.versions['262']!.logic;
  assert.ok(text.includes(`special boot phase, ${String(logic.naText)}`), 'naText');
  assert.ok(text.includes(`System call ${String(logic.allowListWording)} defined`), 'allowListWording');
  assert.equal(text.includes('(e.g. %s is allowed)'), logic.egAllowedSuffix, 'egAllowedSuffix');
  assert.equal(text.includes('some special devices: '), logic.deviceAllowListed, 'deviceAllowListed');
  assert.equal(text.includes('whitelits with only localhost'), logic.localhostAllowListTypo, 'localhostAllowListTypo');
  assert.equal(text.includes('full access the OS file hierarchy'), logic.protectSystemTypos, 'protectSystemTypos');
});
