#!/usr/bin/env node
// Regenerates server/data/assessors.json: the checks of `systemd-analyze security` for every systemd
// release from 239 to 262, read from security_assessor_table[] in src/analyze/analyze-security.c of each
// release's reference build, and what else each release does differently when it scores (the behaviour
// below, from the systemd commits named beside each rule).
//
// Usage: node scripts/gen-assessors.mjs [--check] [--git GITDIR] [--sources DIR]... [--tree V=DIR]... [--file F]
//        node scripts/gen-assessors.mjs --show-table REV[,REV...] [--git GITDIR]
//   --git: a clone (bare is enough) of systemd/systemd-stable with its tags; default
//     $SYSTEMD_STABLE_GIT or /work/.mirror/systemd+systemd-stable/repo. Tables are read with
//     `git --git-dir GITDIR show TAG:src/analyze/analyze-security.c`.
//   --sources: a folder holding unpacked Debian source trees named systemd-<Debian version>
//     (`apt-get source systemd=<version>`, see scripts/gen-syscalls.mjs); repeatable; default /tmp/vocab-src
//     and /work/issue14/srcdeb. --tree V=DIR names the tree of version V directly (default for 247:
//     /work/issue14/src247/tree). A tree counts only when its debian/changelog names the expected version.
//   --file: the data file to write or check (default server/data/assessors.json).
//   --check: compare the file on disk with what the sources give, for every version whose source is here;
//     name every version it could not check; exit 1 on a difference.
//
// Sources: 262's tree (Debian 262-1) is gone and 262.1's source cannot be downloaded here, so its table
// is kept as it is in the committed file (the header says so); 258–261 have no source at all and are
// assumed to be 257 with 262's two URLs (flagged "assumed"). Without --check, a missing source is an error.
//
// The table is C; each entry is `{ .field = value, ... }`. Values used: string literals, integers,
// `UINT64_C(1) << CAP_X` masks joined with `|`, CLONE_NEW* flags, SYSCALL_FILTER_SET_* indexes,
// `true` (assess_bool's "invert"), and offsetof(SecurityInfo, field) (before 250:
// offsetof(struct security_info, field)). Tables before 250 have no json_field: each row takes the
// json_field of the 252 row with the same url, kind and parameters (the row's identity across releases).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const optionValues = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const gitDir =
  optionValues('--git')[0] ?? process.env.SYSTEMD_STABLE_GIT ?? '/work/.mirror/systemd+systemd-stable/repo';
const sourceRoots = optionValues('--sources');
if (sourceRoots.length === 0) sourceRoots.push('/tmp/vocab-src', '/work/issue14/srcdeb');
const treeOverrides = new Map([[247, '/work/issue14/src247/tree']]);
for (const t of optionValues('--tree')) {
  const m = /^(\d+)=(.+)$/.exec(t);
  if (!m) throw new Error(`--tree ${t}: expected V=DIR`);
  treeOverrides.set(Number(m[1]), m[2]);
}
const out = optionValues('--file')[0] ?? join(here, '..', 'server', 'data', 'assessors.json');

// Capability numbers and clone flags come from the vocabulary data (kernel headers, see gen-vocabulary.mjs).
const dataDir = join(here, '..', 'server', 'data');
const CAPS = new Map(
  JSON.parse(readFileSync(join(dataDir, 'capabilities.json'), 'utf8')).capabilities.map((c) => [c.name, c.number]),
);
const NAMESPACES = new Map(
  JSON.parse(readFileSync(join(dataDir, 'namespaces.json'), 'utf8')).types.map((t) => [t.cloneFlag, t.hex]),
);

function cString(lit) {
  // A C string literal (possibly several adjacent ones) to a JS string; the sources are UTF-8.
  let s = '';
  const re = /"((?:[^"\\]|\\.)*)"/g;
  let m;
  while ((m = re.exec(lit))) {
    s += m[1].replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
  }
  return s;
}

function splitTopLevel(body, sep) {
  const parts = [];
  let depth = 0;
  let inStr = false;
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inStr) {
      cur += c;
      if (c === '\\') cur += body[++i];
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    if (c === '(' || c === '{') depth++;
    if (c === ')' || c === '}') depth--;
    if (c === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts;
}

function syscallSetName(sym) {
  // SYSCALL_FILTER_SET_CPU_EMULATION -> @cpu-emulation
  return (
    '@' +
    sym
      .replace(/^SYSCALL_FILTER_SET_/, '')
      .toLowerCase()
      .replace(/_/g, '-')
  );
}

function parseEntry(text) {
  const e = {};
  for (const part of splitTopLevel(text, ',')) {
    const m = /^\s*\.(\w+)\s*=\s*([\s\S]*?)\s*$/.exec(part.replace(/\/\*[\s\S]*?\*\//g, ''));
    if (!m) continue;
    const [, key, raw] = m;
    e[key] = raw;
  }
  const entry = {
    name: cString(e.id),
    json_field: e.json_field ? cString(e.json_field) : null,
    weight: Number(e.weight),
    range: Number(e.range),
    description_good: e.description_good ? cString(e.description_good) : null,
    description_bad: e.description_bad ? cString(e.description_bad) : null,
    description_na: e.description_na ? cString(e.description_na) : null,
    url: e.url ? cString(e.url) : null,
    kind: e.assess.replace(/^assess_/, ''),
    default_dependencies_only: e.default_dependencies_only === 'true',
  };
  const params = {};
  if (e.offset) params.field = /offsetof\((?:SecurityInfo|struct\s+security_info),\s*(\w+)\)/.exec(e.offset)[1];
  if (e.parameter) {
    const p = e.parameter;
    if (p === 'true') params.invert = true;
    else if (/CAP_/.test(p)) {
      params.capabilities = [...p.matchAll(/<<\s*(CAP_\w+)/g)].map((x) => x[1]);
      let mask = 0n;
      for (const c of params.capabilities) {
        const n = CAPS.get(c);
        if (n === undefined) throw new Error(`unknown capability ${c}`);
        mask |= 1n << BigInt(n);
      }
      params.capabilityMask = '0x' + mask.toString(16).padStart(16, '0');
    } else if (/CLONE_NEW\w+/.test(p)) {
      params.namespace = /CLONE_NEW\w+/.exec(p)[0];
      const t = NAMESPACES.get(params.namespace);
      if (!t) throw new Error(`unknown namespace flag ${params.namespace}`);
      params.namespaceFlag = t;
    } else if (/SYSCALL_FILTER_SET_\w+/.test(p))
      params.syscallGroup = syscallSetName(/SYSCALL_FILTER_SET_\w+/.exec(p)[0]);
    else throw new Error(`unknown parameter ${p}`);
  }
  if (Object.keys(params).length) entry.parameters = params;
  return entry;
}

function tableOf(src, file) {
  const start = src.indexOf('security_assessor_table[] = {');
  if (start < 0) throw new Error(`no security_assessor_table in ${file}`);
  let i = src.indexOf('{', start);
  let depth = 0;
  let end = i;
  for (; end < src.length; end++) {
    if (src[end] === '{') depth++;
    else if (src[end] === '}' && --depth === 0) break;
  }
  const body = src.slice(i + 1, end).replace(/^\s*#.*$/gm, '');
  return splitTopLevel(body, ',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('{'))
    .map((s) => parseEntry(s.slice(1, s.lastIndexOf('}'))));
}

// ---------------------------------------------------------------------------------------------------------
// Reference builds: the source each release's data is read from (issue 14, plan §0.1). `tag`: a tag of
// systemd-stable (the newest point release there, unless a distribution's build is named); `debian`: an
// unpacked Debian source tree of that package version; 258–261 have no source.
const REFS = {
  239: { tag: 'v239-50' }, // RHEL 8.4's level (the downstream tag carrying the backported security verb)
  240: { tag: 'v240' },
  241: { tag: 'v241' },
  242: { tag: 'v242' },
  243: { tag: 'v243.9' },
  244: { tag: 'v244.5' },
  245: { tag: 'v245.4' }, // Ubuntu 20.04's upstream base
  246: { tag: 'v246.16' },
  247: { debian: '247.3-7+deb11u5' }, // Debian 11
  248: { tag: 'v248.13' },
  249: { tag: 'v249.11' }, // Ubuntu 22.04's upstream base
  250: { tag: 'v250.14' },
  251: { tag: 'v251.20' },
  252: { debian: '252.39-1~deb12u2' }, // Debian 12
  253: { tag: 'v253.26' },
  254: { debian: '254.26-1~bpo12+1' }, // Debian 12 backports
  255: { tag: 'v255.4' }, // Ubuntu 24.04's upstream base
  256: { tag: 'v256' },
  257: { debian: '257.13-1~deb13u1' }, // Debian 13
  258: { none: true },
  259: { none: true },
  260: { none: true },
  261: { none: true },
  262: { debian: '262-1', kept: true }, // Debian 262-1: its tree is gone, its table is kept from the committed file
};
const FIRST = 239;
const LAST = 262;
const ASSUMED =
  "no source: the table is assumed to be 257's with 262's two URLs (that is 262's table), the behaviour 257's; unverified";

/** [major, point] of a reference build: v243.9 -> [243, 9], v242 -> [242, 0], 247.3-7+deb11u5 -> [247, 3]. */
function release(v) {
  const r = REFS[v];
  const text = r.tag ?? r.debian ?? String(v);
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(text);
  return [Number(m[1]), r.tag === 'v239-50' ? 0 : Number(m[2] ?? 0)];
}

/** True when the reference build of v lies in one of the ranges of point releases, e.g. '243.0-243.8'. */
function within(v, ranges) {
  const [a, b] = release(v);
  const n = a * 1000 + b;
  return ranges.some((range) => {
    const [from, to] = range.split('-').map((p) => p.split('.').map(Number));
    return n >= from[0] * 1000 + from[1] && n <= to[0] * 1000 + to[1];
  });
}

/**
 * What each release does differently when it scores, beyond its table. Hand-written from the source at
 * each reference build; the commit that changes each is named. `text` flags are read from the source
 * (the strings the assess functions print), so --check holds them to the sources too.
 */
function behaviour(v, text) {
  return {
    rowOrder: v < 250 ? 'weight' : 'description', // 4b4a8ef741 (250) added the json_field column before the sort key
    figures: v < 250 ? ['running'] : ['offline', 'running'], // offline mode: 1624114d74 (250)
    offlinePrivateMounts: v < 250 ? null : v < 254 ? 'explicit' : 'unset-counts', // 24002121289698569bc28c0fe32dbb553a648545 (254)
    logic: {
      // ec16f3b6dd (the verb) tests nested groups of a deny-list the wrong way round; 95832a0f8c (241) fixes it.
      nestedGroupDenyListInverted: v <= 240,
      // A deny-list that includes the whole group scores 5 until 01ecb3674a (247; 243.9, 244.5, 245.8, 246.3).
      denyListIncludedBadness: within(v, ['239.0-243.8', '244.0-244.4', '245.0-245.7', '246.0-246.2']) ? 5 : 0,
      // d737b451fe (242) made RootDirectory=/RootImage= bad when either is empty; d909b40fda (245; 243.6, 244.2) fixes it.
      rootDirectoryEither: within(v, ['242.0-243.5', '244.0-244.1']),
      // `!= allow_list` inverts every SystemCallFilter row: dd51e725df (251.0–251.2; 250.5–250.7) and its
      // backport 65b361e69a (249.12–249.17); 5862e5561c (252; 251.3, 250.8) fixes it.
      invertedSyscallTest: within(v, ['249.12-249.17', '250.5-250.7', '251.0-251.2']),
      // The manager exports a SystemCallFilter= entry with its own errno as `name:errno`, and the online
      // analyser matched whole strings, so such a call never counts under its name in the running figure;
      // 5862e5561c (252; 251.3 via 20a265b416, 250.8 via c96ff736c6) cuts the suffix.
      runningFilterErrnoSuffix: within(v, ['239.0-250.7', '251.0-251.2']),
      // The manager reduces IPAddressAllow= when it parses it (ip_address_access_reduce(), 1274b6c687), so the
      // running figure never sees 127.0.0.1 beside localhost; 84ebe6f013 (250) keeps the entries as they are.
      runningIpAllowReduced: v < 250,
      ipFilterPathCounts: v >= 243, // fab347489f: IP(Ingress|Egress)FilterPath= give IPAddressDeny badness 0
      // fab347489f reads IPEgressFilterPath= into the ingress flag, after IPIngressFilterPath=: only the egress
      // setting counts (measured on the 247 manager); 3da57008e7 (250; 249.4 via 2d8f28adf5) fixes it.
      ipFilterPathEgressOnly: within(v, ['243.0-249.3']),
      protectKernelLogsDropsSyslog: v >= 244, // 82dce83b19: ProtectKernelLogs=yes drops CAP_SYSLOG
      protectClockDropsTimeAndAddsRtc: v >= 245, // 9f37272a19, fc64760dda: drops CAP_SYS_TIME/WAKE_ALARM, adds DeviceAllow=char-rtc r
      // The manager does not export ProtectClock over D-Bus, so the running figure reads it unset, until
      // b8b7b838fd "dbus-execute: show also ProtectClock" (246; 245.5 via dea7e0dd97).
      protectClockUnexported: within(v, ['245.0-245.4']),
      dynamicUserImpliesNnpSuid: v === 239 || v >= 242, // bf65b7e0c9 (242; backported in 239-50): NoNewPrivileges=, RestrictSUIDSGID=
      // fe65e88ba6 (240) "namespace: implicitly adds DeviceAllow= when RootImage= is set" (unit_patch_contexts())
      rootImageAddsDeviceAllow: v >= 240,
      ...text,
    },
    refuses: {
      successActionOnlyService: v === 239, // 3f00d379fa (240) allows services with only SuccessAction=
      bareNameNotInDefaultPath: v <= 246, // 9f71ba8d95 (247) resolves command names at execution
      dynamicUserInUserUnit: v >= 256, // 52d8ba71b6 (256)
      userUnitSystemActionIgnored: v >= 253, // 2ae6917a1a (253) drops the exit-force fallback of the user manager
      oneshotRestartNotNo: v <= 243, // 10e72727ee (244) allows Restart= other than always/on-success for Type=oneshot
    },
    parse: {
      // v239's seccomp_parse_syscall_filter_full() adds a call with hashmap_put() and answers -ENOMEM when the
      // call is already there with another errno; config_parse() stops there. 851ee70a3d (240) updates it.
      syscallErrnoConflictFails: v <= 239,
      // 084a46d7c5 (248) ignores an allow-list word with `:errno`; before, the call is kept with that errno.
      allowListWordTakesErrno: v <= 247,
      // 68acc1afbe (248): `~name:errno` in allow-list mode keeps the call with the errno; before, it is removed.
      allowListInvertedErrnoKept: v >= 248,
    },
    userScope: v >= 262 ? 'calling-user' : 'as-system', // systemd PR #42743 (262)
  };
}

/** The text flags, read from analyze-security.c: what the assess functions print, which changed over releases. */
function textFlags(src) {
  const pick = (what, choices) => {
    const hit = choices.filter(([re]) => re.test(src));
    if (hit.length !== 1) throw new Error(`${what}: expected exactly one of ${choices.map(([re]) => re).join(', ')}`);
    return hit[0][1];
  };
  return {
    // 77552b9520 (248; 247.4 and Debian 247.3-7): "option does not apply" -> "option is not appropriate"
    naText: pick('n/a text', [
      [/special boot phase, option does not apply/, 'option does not apply'],
      [/special boot phase, option is not appropriate/, 'option is not appropriate'],
    ]),
    // 6b000af4f2 (246): whitelist -> allow list
    allowListWording: pick('allow-list wording', [
      [/System call whitelist defined/, 'whitelist'],
      [/System call allow list defined/, 'allow list'],
    ]),
    egAllowedSuffix: /\(e\.g\. %s is allowed\)/.test(src), // a9134af2e3 (247)
    deviceAllowListed: /some special devices: /.test(src), // 6a59dfa108 (251)
    // 7f024cb211 (243) "Fix typo in analyze-security.c": "IP address whitelits with only localhost entries"
    localhostAllowListTypo: /whitelits with only localhost entries/.test(src),
    // 1e8817b327 (240) "analyze: tweak wording of description for ProtectSystem= (#11035)": before it,
    // "full access the OS file hierarchy" and "very limited write access to OS file hierarchy"
    protectSystemTypos: /full access the OS file hierarchy/.test(src),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading the sources.

const ANALYZE = 'src/analyze/analyze-security.c';

function fromGit(tag) {
  if (!existsSync(gitDir)) return { missing: `no systemd-stable clone at ${gitDir} (--git)` };
  try {
    return {
      src: execFileSync('git', ['--git-dir', gitDir, 'show', `${tag}:${ANALYZE}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
      }),
      where: `systemd-stable ${tag}`,
    };
  } catch (e) {
    return {
      missing: `git show ${tag}:${ANALYZE} in ${gitDir} failed: ${
        String(e.stderr ?? e)
          .trim()
          .split('\n')[0]
      }`,
    };
  }
}

function fromDebian(v, version) {
  const candidates = [
    ...(treeOverrides.has(v) ? [treeOverrides.get(v)] : []),
    ...sourceRoots.map((r) => join(r, `systemd-${version}`)),
  ];
  for (const dir of candidates) {
    const changelog = join(dir, 'debian', 'changelog');
    if (!existsSync(changelog)) continue;
    const first = readFileSync(changelog, 'utf8').split('\n', 1)[0];
    if (!first.startsWith(`systemd (${version})`)) continue; // another version's tree
    return { src: readFileSync(join(dir, ANALYZE), 'utf8'), where: dir };
  }
  return { missing: `no Debian systemd ${version} tree (looked in ${candidates.join(', ')})` };
}

function readSource(v) {
  const r = REFS[v];
  if (r.tag) return fromGit(r.tag);
  if (r.debian && !r.kept) return fromDebian(v, r.debian);
  return { missing: r.kept ? 'its source tree is not available: kept from the committed file' : 'no source' };
}

// --show-table REV,...: print {REV: rows} of the table at each git revision of the clone, as read (no
// json_field before 250); test/unit/assessors-data.test.ts uses it to hold each named change to its commit.
const showTable = optionValues('--show-table')[0];
if (showTable) {
  const shown = {};
  for (const rev of showTable.split(',')) {
    const s = fromGit(rev);
    if (!s.src) throw new Error(s.missing);
    shown[rev] = tableOf(s.src, s.where);
  }
  console.log(JSON.stringify(shown)); // no process.exit(): it would cut a long write to a pipe short
} else generate();

/** Reads every release's source, writes the file or, with --check, compares it. */
function generate() {
  const committed = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
  /** A version's rows and text flags in the committed file (either layout), or null. */
  function committedVersion(v) {
    if (!committed) return null;
    const entry = committed.versions?.[String(v)];
    if (!entry) return null;
    const rows = committed.tables?.[entry.table];
    if (!rows) return null;
    const { naText, allowListWording, egAllowedSuffix, deviceAllowListed } = entry.logic;
    // The typo was fixed in 243: a release kept from the committed file (262) is newer.
    const localhostAllowListTypo = entry.logic.localhostAllowListTypo ?? false;
    const protectSystemTypos = entry.logic.protectSystemTypos ?? false;
    return {
      rows,
      text: {
        naText,
        allowListWording,
        egAllowedSuffix,
        deviceAllowListed,
        localhostAllowListTypo,
        protectSystemTypos,
      },
    };
  }

  const tableId = (rows) => createHash('sha1').update(JSON.stringify(rows)).digest('hex').slice(0, 10);

  const read = new Map(); // version -> {rows, text, where}
  const unchecked = []; // [version, why]
  for (let v = FIRST; v <= LAST; v++) {
    if (REFS[v].none) continue;
    const s = readSource(v);
    if (s.src) {
      read.set(v, { rows: tableOf(s.src, s.where), text: textFlags(s.src), where: s.where });
      continue;
    }
    const kept = committedVersion(v);
    if (REFS[v].kept && kept?.text) read.set(v, { ...kept, where: 'the committed file' });
    else if (check && kept) read.set(v, { ...kept, where: 'the committed file' });
    else throw new Error(`${v}: ${s.missing}`);
    unchecked.push([v, s.missing]);
  }

  // json_field for rows of tables before 250: the 252 row with the same url, kind and parameters.
  const rowKey = (c) => JSON.stringify([c.url, c.kind, c.parameters ?? null]);
  const jsonFieldOf = new Map(read.get(252).rows.map((c) => [rowKey(c), c.json_field]));
  for (const [v, r] of read) {
    r.rows = r.rows.map((c) => {
      if (c.json_field !== null) return c;
      const f = jsonFieldOf.get(rowKey(c));
      if (!f) throw new Error(`${v}: no 252 row with the url, kind and parameters of ${c.name}`);
      return { ...c, json_field: f };
    });
  }

  // The versions without source: 257 with 262's URLs.
  {
    const r257 = read.get(257).rows;
    const r262 = read.get(262).rows;
    const mixed = r257.map((c, i) => ({ ...c, url: r262[i]?.name === c.name ? r262[i].url : c.url }));
    for (let v = FIRST; v <= LAST; v++)
      if (REFS[v].none) read.set(v, { rows: mixed, text: read.get(257).text, where: 'assumed' });
  }

  const tables = {};
  const versions = {};
  for (let v = FIRST; v <= LAST; v++) {
    const r = read.get(v);
    const id = tableId(r.rows);
    tables[id] ??= r.rows;
    const ref = REFS[v].tag
      ? { source: 'systemd-stable', tag: REFS[v].tag }
      : REFS[v].debian
        ? { source: 'debian', package: REFS[v].debian }
        : { source: 'none' };
    versions[v] = { ref, ...(REFS[v].none ? { assumed: ASSUMED } : {}), table: id, ...behaviour(v, r.text) };
  }
  // sameAs: the nearest lower version this one scores every unit alike with, as far as this file goes.
  const scoring = ({ ref, assumed, sameAs, ...rest }) => JSON.stringify(rest);
  for (let v = FIRST + 1; v <= LAST; v++) {
    for (let u = v - 1; u >= FIRST; u--) {
      if (scoring(versions[u]) === scoring(versions[v])) {
        versions[v].sameAs = versions[u].sameAs ?? u;
        break;
      }
    }
  }

  const data = {
    $schema: './schemas/assessors.schema.json',
    header: {
      description:
        'The checks of `systemd-analyze security` for every systemd release from 239 to 262. tables: each distinct check table once, under an id (the first 10 hex digits of the SHA-1 of its JSON), rows in table order: name (the id systemd prints), json_field, weight, range, descriptions, which assess_* function scores it (kind) and with what parameters. versions: per release its reference build (ref), its table, and how it scores beyond the table (see behaviour).',
      generatedBy: 'scripts/gen-assessors.mjs',
      source: [
        "security_assessor_table[] and the assess_* functions in src/analyze/analyze-security.c of each release's reference build (versions[V].ref): a tag of systemd/systemd-stable, or a Debian systemd source package",
        'before 250 the table has no json_field: each row takes that of the 252 row with the same url, kind and parameters',
        "262 (Debian 262-1): its source tree is no longer available here and 262.1's cannot be downloaded, so the generator keeps its table and text flags as they are in this file",
        "258–261: no source; assumed to be 257 with 262's two URLs (versions[V].assumed)",
        'the logic, refusals and user scope: the systemd commits named in scripts/gen-assessors.mjs (behaviour())',
      ],
      verifiedBy:
        'test/conformance/exposure.test.ts compares every check of every corpus unit (name, description, badness, weight, range, row order) with the real systemd-analyze security of 252, 254, 257 and 262; test/unit/assessors-data.test.ts holds the rows per version and the differences between releases to their commits, and runs `gen-assessors.mjs --check` where the sources are present.',
      behaviour: {
        ref: 'the build the table and text flags were read from: a systemd-stable tag or a Debian package version; source none = no source (see assumed)',
        sameAs:
          'the lowest earlier release with the same table and the same behaviour in this file (the @group contents are in syscall-groups.json)',
        rowOrder:
          'weight: rows sorted by weight (descending), then name (before 250); description: by description (descending), then name',
        figures:
          "running: the manager's figure for the loaded unit; offline: systemd-analyze security --offline=yes (250+)",
        offlinePrivateMounts:
          'offline only: explicit = PrivateMounts= counts only when set to yes; unset-counts = an unset PrivateMounts= counts as set (254+)',
        'logic.nestedGroupDenyListInverted': 'the verdict on a nested @group of a deny-list is inverted',
        'logic.denyListIncludedBadness': 'badness of a SystemCallFilter= row whose group a deny-list includes whole',
        'logic.rootDirectoryEither': 'RootDirectoryOrRootImage is bad when either of them is empty (instead of both)',
        'logic.invertedSyscallTest': 'every SystemCallFilter= row is inverted',
        'logic.runningIpAllowReduced':
          'the running figure sees IPAddressAllow= without the entries another entry covers (the manager reduces it; before 250)',
        'logic.ipFilterPathCounts': 'IPIngressFilterPath=/IPEgressFilterPath= make IPAddressDeny good',
        'logic.protectKernelLogsDropsSyslog': 'ProtectKernelLogs=yes removes CAP_SYSLOG from the assessed bounding set',
        'logic.protectClockDropsTimeAndAddsRtc':
          'ProtectClock=yes removes CAP_SYS_TIME and CAP_WAKE_ALARM and adds DeviceAllow=char-rtc r',
        'logic.protectClockUnexported':
          'the manager does not export ProtectClock, so the ProtectClock= row reads it unset (245.0–245.4)',
        'logic.ipFilterPathEgressOnly':
          'only IPEgressFilterPath= makes IPAddressDeny good (its value overwrites the ingress flag; 243–249.3)',
        'logic.rootImageAddsDeviceAllow':
          'RootImage= with a closed device policy adds the loop (and from 246 device-mapper) devices to DeviceAllow=',
        'logic.dynamicUserImpliesNnpSuid': 'DynamicUser=yes implies NoNewPrivileges= and RestrictSUIDSGID=',
        'logic.naText': 'the end of the n/a description of a unit in the special boot phase',
        'logic.allowListWording': 'how SystemCallFilter= and IPAddressDeny descriptions name an allow list',
        'logic.egAllowedSuffix': 'SystemCallFilter= descriptions end in "(e.g. X is allowed)"',
        'logic.deviceAllowListed': 'the DeviceAllow description lists the devices',
        'logic.localhostAllowListTypo':
          'the IPAddressDeny description of a localhost-only allow list reads "whitelits" (before 243)',
        'logic.protectSystemTypos':
          'the ProtectSystem= descriptions read "full access the OS file hierarchy" and "very limited write access to OS file hierarchy" (before 240)',
        'refuses.successActionOnlyService': 'a service with no ExecStart=/ExecStop= but SuccessAction= is refused',
        'refuses.bareNameNotInDefaultPath':
          'a command without a slash is refused when the loading machine has no such file in DEFAULT_PATH',
        'refuses.dynamicUserInUserUnit': 'DynamicUser= in a user unit is refused',
        'refuses.userUnitSystemActionIgnored':
          'in a user unit, SuccessAction=/FailureAction= actions only the system manager can take (poweroff, reboot, ...) are ignored (before: taken as exit-force), so a service with no command but such a SuccessAction= is refused',
        'refuses.oneshotRestartNotNo':
          'a Type=oneshot service with any Restart= but no is refused (from 244 only always and on-success are)',
        'parse.syscallErrnoConflictFails':
          'a SystemCallFilter= word giving a call already in the filter another errno fails: the unit file is refused, a drop-in is read no further (the words before it on the line stay)',
        'parse.allowListWordTakesErrno':
          'in allow-list mode a SystemCallFilter= word may carry :errno and the call is kept with it (from 248 the word is ignored)',
        'parse.allowListInvertedErrnoKept':
          'in allow-list mode ~name:errno keeps the call with that errno (before 248 it removes the call)',
        userScope: 'as-system: user units are assessed as if they ran as root; calling-user: as the calling user',
      },
      kinds: {
        bool: 'badness 1 when the SecurityInfo field is false (true with parameters.invert)',
        user: 'User=/DynamicUser=: nobody 9, transient or static non-root 0, root/unset 10',
        supplementary_groups: 'n/a when running as root, else 1 when any supplementary group is set',
        remove_ipc: 'n/a when running as root, else 1 when RemoveIPC= is off',
        capability_bounding_set: '1 when any of parameters.capabilities is still in the bounding set',
        ambient_capabilities: '1 when any ambient capability is set',
        umask: '10 world-writable, 5 world-readable, 2 group-writable, 1 group-readable, else 0',
        protect_home: 'yes 0, tmpfs 1, read-only 5, else 10',
        protect_system: 'strict 0, full 3, yes 5, else 10',
        root_directory: '1 when both RootDirectory= and RootImage= are empty or "/"',
        keyring_mode: '0 only for private',
        protect_proc: 'invisible/ptraceable 0, noaccess 1, else 3',
        proc_subset: '0 only for pid',
        notify_access: '1 only for all',
        restrict_namespaces: '1 when parameters.namespace may still be created',
        system_call_architectures: 'none set 10, exactly native 0, else 8',
        system_call_filter:
          'no filter 10; allow-list including a resolvable member 9; deny-list missing one 10; else 0',
        ip_address_allow: 'custom BPF 0; no deny-all 10; non-localhost allow 5; localhost allow 2; else 0',
        device_allow: 'closed/strict without entries 0, with entries 5, else 10',
      },
    },
    tables,
    versions,
  };

  const text = JSON.stringify(data, null, 2) + '\n';
  for (const [v, why] of unchecked) console.error(`SKIPPED ${v}: not read from its source (${why})`);
  if (check) {
    const cur = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (cur !== text) {
      const old = committed ?? {};
      const differ = Object.keys(versions).filter(
        (v) =>
          JSON.stringify(old.versions?.[v]) !== JSON.stringify(versions[v]) ||
          JSON.stringify(old.tables?.[versions[v].table]) !== JSON.stringify(tables[versions[v].table]),
      );
      console.error(
        `server/data/assessors.json is out of date (versions ${differ.join(', ') || 'none; the header'}); run node scripts/gen-assessors.mjs`,
      );
      process.exit(1);
    }
    const checked = Object.keys(versions).filter((v) => !unchecked.some(([u]) => String(u) === v) && !REFS[v].none);
    console.log(`assessors.json is up to date; read from source: ${checked.join(' ')}`);
  } else {
    writeFileSync(out, text);
    for (const [v, d] of Object.entries(versions))
      console.log(
        `${v}: table ${d.table} ${tables[d.table].length} rows${d.sameAs ? ` (as ${d.sameAs})` : ''} from ${read.get(Number(v)).where}`,
      );
  }
}
