#!/usr/bin/env node
// Regenerates server/data/syscall-groups.json and server/data/seccomp-x86_64.json from primary sources:
// systemd's own source (the syscall_filter_sets[] table in src/shared/seccomp-util.c, the enum that orders it
// in src/shared/seccomp-util.h, and the kernel syscall list behind @known) and libseccomp's syscall table
// (src/syscalls.csv, one column per architecture; "PNR" = no such call on that architecture).
//
// How to obtain the sources (Debian, with Debian's patches applied):
//   1. /etc/apt/sources.list.d/src.sources:
//        Types: deb-src
//        URIs: http://deb.debian.org/debian
//        Suites: bookworm bookworm-updates bookworm-backports trixie sid
//        Components: main
//        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
//      then: apt-get update
//   2. mkdir -p /tmp/srcpkgs && cd /tmp/srcpkgs
//      apt-get source --download-only systemd=252.39-1~deb12u2 systemd=254.26-1~bpo12+1 \
//                                      systemd=257.13-1~deb13u1 systemd=262-1
//      apt-get source --download-only libseccomp=2.5.4-1+deb12u1 libseccomp=2.6.0-2
//   3. Unpack each with Debian's patches applied (patches that touch the tables matter: bookworm's libseccomp
//      carries "update the syscall table for Linux v6.7-rc3"):
//        dpkg-source --no-check -x systemd_252.39-1~deb12u2.dsc /tmp/vocab-src/systemd-252.39-1~deb12u2
//        ... likewise systemd-254.26-1~bpo12+1, systemd-257.13-1~deb13u1, systemd-262-1
//        dpkg-source --no-check -x libseccomp_2.5.4-1+deb12u1.dsc /tmp/vocab-src/libseccomp/libseccomp-2.5.4
//        dpkg-source --no-check -x libseccomp_2.6.0-2.dsc /tmp/vocab-src/libseccomp/libseccomp-2.6.0
//      (a fresh tree is enough for --check; nothing is built.)
//   4. libseccomp 2.6.1 (sid) and systemd 262.1 (sid) were listed in the archive index but their source files
//      were not downloadable from the mirror used here; the libseccomp v2.6.1 upstream tag
//      (git show v2.6.1:src/syscalls.csv) stands in for the former, and systemd 262-1 for the latter. Both
//      stand-ins are checked against the real binaries (test/conformance/syscall-filter.test.ts).
//
// Usage:
//   node scripts/gen-syscalls.mjs \
//     --systemd 252=/tmp/vocab-src/systemd-252.39-1~deb12u2 --systemd 254=/tmp/vocab-src/systemd-254.26-1~bpo12+1 \
//     --systemd 257=/tmp/vocab-src/systemd-257.13-1~deb13u1 --systemd 262=/tmp/vocab-src/systemd-262-1 \
//     --libseccomp bookworm=/tmp/vocab-src/libseccomp/libseccomp-2.5.4 \
//     --libseccomp trixie=/tmp/vocab-src/libseccomp/libseccomp-2.6.0 \
//     --libseccomp sid=/tmp/vocab-src/libseccomp/libseccomp-2.6.1@2.6.1-1 \
//     [--out DIR]  (default: server/data next to this script)  [--check]  (compare, do not write; exit 1 on drift)
// A source directory may end in "@VERSION" to name the package version when the tree has no debian/changelog
// (the sid tree: mkdir -p libseccomp-2.6.1/src && git -C <libseccomp clone> show v2.6.1:src/syscalls.csv > libseccomp-2.6.1/src/syscalls.csv).
// Environment variables SYSTEMD_SRC_252 ... SYSTEMD_SRC_262 and LIBSECCOMP_SRC_BOOKWORM/_TRIXIE/_SID work too.
// Anything not given is looked for under --sources DIR (or $VOCAB_SOURCES, default /tmp/vocab-src), laid out as the
// paths above: systemd-252.39-1~deb12u2, ..., libseccomp/libseccomp-2.5.4, libseccomp/libseccomp-2.6.0, libseccomp/libseccomp-2.6.1.
//
// Plain Node (>= 20), no dependencies.

import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const SUITES = ['bookworm', 'trixie', 'sid'];

// Every release assessors.json describes (239–262), each with the reference build its groups are read from: a
// systemd-stable tag (read with `git show`), a Debian source tree, or none (258–261: the groups of ASSUMED_FROM).
const ASSESSORS = JSON.parse(readFileSync(resolve(here, '..', 'server', 'data', 'assessors.json'), 'utf8'));
const RELEASES = Object.entries(ASSESSORS.versions).map(([v, e]) => [v, e.ref]);
const ASSUMED_FROM = '257';
const DEFAULT_GIT = process.env.SYSTEMD_STABLE_GIT || '/work/.mirror/systemd+systemd-stable/repo';
// Debian trees not under --sources: 247 (Debian 11) was unpacked on its own (see /work/issue14/oracles.md).
const DEFAULT_TREES = { 247: '/work/issue14/src247/tree' };
// Also looked in for systemd-<Debian version> trees (where the issue-14 research unpacked 252, 254 and 257).
const EXTRA_SOURCES = ['/work/issue14/srcdeb'];

// Which Debian suite's libseccomp each release runs with on its own distribution, and which one the oracle binary
// on the development machine really loads (see the "targets" notes written into seccomp-x86_64.json). Releases not
// listed use bookworm's table for both: it is the library the 239, 249 and 255 oracles built here link; the 247
// oracle (Debian 11's binary) runs bullseye's 2.5.1, and the distributions of 239 (RHEL 8: 2.5.2), 249 (Ubuntu
// 22.04: 2.5.3) and 255 (Ubuntu 24.04: 2.5.5) ship libseccomp builds this file does not hold.
const TARGET_SUITE = {
  252: 'bookworm',
  254: 'bookworm',
  257: 'trixie',
  258: 'trixie',
  259: 'trixie',
  260: 'trixie',
  261: 'trixie',
  262: 'sid',
};
const ORACLE_SUITE = { ...TARGET_SUITE, 262: 'bookworm' };
// Default layout under --sources (see the header).
const DEFAULT_LIBSECCOMP = {
  bookworm: 'libseccomp/libseccomp-2.5.4',
  trixie: 'libseccomp/libseccomp-2.6.0',
  sid: 'libseccomp/libseccomp-2.6.1@2.6.1-1',
};
const SUITE_DISTRO = { bookworm: 'Debian 12 (bookworm)', trixie: 'Debian 13 (trixie)', sid: 'Debian unstable (sid)' };

// ---------------------------------------------------------------------------------------------------------------
// Hand-written notes (the only part not taken from a source): what each group is for, and who usually needs it.

const GROUP_NOTES = {
  '@default': {
    description:
      'Calls practically every process makes just to start and keep running (memory mapping, thread setup, identity queries, clock reads); always allowed once an allow-list is in force.',
    typicallyNeededBy: ['every process (systemd adds it to any allow-list implicitly)'],
  },
  '@aio': {
    description: 'Kernel asynchronous I/O: the classic io_setup/io_submit interface and io_uring.',
    typicallyNeededBy: ['databases (MariaDB, PostgreSQL with io_uring)', 'QEMU', 'high-throughput storage servers'],
  },
  '@basic-io': {
    description: 'Reading, writing, seeking, duplicating and closing file descriptors that are already open.',
    typicallyNeededBy: ['virtually every program'],
  },
  '@chown': {
    description: 'Changing the owning user or group of files and directories.',
    typicallyNeededBy: [
      'package managers',
      'file and mail servers',
      'services that prepare their own directories as root',
    ],
  },
  '@clock': {
    description: 'Setting the system clock or steering its rate.',
    typicallyNeededBy: ['NTP daemons: chronyd, ntpd, systemd-timesyncd', 'PTP daemons (linuxptp)'],
  },
  '@cpu-emulation': {
    description:
      'Rarely used, architecture-specific calls for running legacy code (vm86 mode, local descriptor tables, endianness switching).',
    typicallyNeededBy: ['Wine', 'DOS emulators such as dosemu'],
  },
  '@debug': {
    description:
      'Inspecting and controlling other processes and reading performance counters (ptrace, perf_event_open, pidfd_getfd).',
    typicallyNeededBy: ['debuggers (gdb)', 'strace', 'profilers (perf)', 'crash reporters'],
  },
  '@file-system': {
    description:
      'Opening, creating, renaming, linking and deleting files, querying metadata, extended attributes, directory walks and file-change notification.',
    typicallyNeededBy: ['almost every service that reads or writes files'],
  },
  '@io-event': {
    description:
      'Waiting until one of many file descriptors is ready (poll, select, epoll) and event-counter descriptors (eventfd).',
    typicallyNeededBy: ['event-loop servers (nginx, HAProxy, systemd daemons)', 'GLib and libuv applications'],
  },
  '@ipc': {
    description:
      "Inter-process communication: pipes, System V message queues, semaphores and shared memory, POSIX message queues, memfd, and reading or writing another process's memory.",
    typicallyNeededBy: ['PostgreSQL (System V shared memory)', 'programs that create pipes or shared memory'],
  },
  '@keyring': {
    description: 'The kernel key retention service: adding, requesting and managing keys.',
    typicallyNeededBy: ['Kerberos and SSSD', 'NFS and CIFS id mapping', 'ecryptfs and fscrypt tools'],
  },
  '@memlock': {
    description: 'Pinning memory pages in RAM so they are never swapped out.',
    typicallyNeededBy: ['gpg-agent and password managers', 'databases', 'real-time audio'],
  },
  '@module': {
    description: 'Loading and unloading kernel modules.',
    typicallyNeededBy: ['modprobe', 'systemd-modules-load'],
  },
  '@mount': {
    description:
      'Mounting and unmounting file systems, changing the root directory, and the newer file-descriptor based mount API.',
    typicallyNeededBy: ['container runtimes', 'automounters', 'udisks'],
  },
  '@network-io': {
    description:
      'Creating sockets, binding, listening, connecting, accepting, sending and receiving data and setting socket options.',
    typicallyNeededBy: ['every network server or client', 'anything talking over Unix sockets (D-Bus, journald)'],
  },
  '@obsolete': {
    description: 'Calls that Linux removed, never implemented, or keeps only for very old binaries.',
    typicallyNeededBy: ['nothing current'],
  },
  '@pkey': {
    description: 'Memory protection keys: allocating keys and tagging memory with them.',
    typicallyNeededBy: ['hardened memory allocators', 'some JIT runtimes'],
  },
  '@privileged': {
    description:
      'Calls that only succeed with root privileges or specific capabilities, such as changing the root directory, setting host names, loading BPF programs, quotas, and the nested @chown, @clock, @module, @raw-io, @reboot and @swap groups.',
    typicallyNeededBy: ['system management daemons that still run as root'],
  },
  '@process': {
    description:
      'Creating processes and threads, running programs, namespace operations, and waiting for or signalling other processes.',
    typicallyNeededBy: ['anything that forks, spawns helpers or uses threads'],
  },
  '@raw-io': {
    description: 'Direct hardware access: I/O port permissions and PCI configuration space.',
    typicallyNeededBy: ['legacy X servers', 'hardware diagnostic and flashing tools'],
  },
  '@reboot': {
    description: 'Rebooting or powering off the machine and loading a new kernel to jump into (kexec).',
    typicallyNeededBy: ['systemd-shutdown', 'kexec-tools'],
  },
  '@resources': {
    description:
      'Changing scheduling priority and policy, CPU affinity, resource limits, I/O priority and NUMA memory placement.',
    typicallyNeededBy: ['real-time audio (PipeWire, rtkit)', 'databases and HPC jobs that pin CPUs or memory'],
  },
  '@sandbox': {
    description: 'Calls a process uses to restrict itself further: installing seccomp filters and Landlock rule sets.',
    typicallyNeededBy: ['self-sandboxing programs (OpenSSH, Chromium, Firefox, Tor)'],
  },
  '@setuid': {
    description: 'Changing the user and group identities of the process, including supplementary groups.',
    typicallyNeededBy: ['daemons that start as root and drop privileges (sshd, cron, Postfix)'],
  },
  '@signal': {
    description: 'Installing signal handlers, masking, waiting for and receiving signals, including signalfd.',
    typicallyNeededBy: ['virtually every program'],
  },
  '@swap': {
    description: 'Turning swap areas on and off.',
    typicallyNeededBy: ['swapon/swapoff', 'zram and swap-file managers'],
  },
  '@sync': {
    description: 'Forcing buffered file data or mapped memory out to storage.',
    typicallyNeededBy: ['databases', 'mail servers', 'anything that must not lose data on a crash'],
  },
  '@system-service': {
    description:
      'A broad allow-list for ordinary services: many of the groups above plus individual calls common in daemons; the usual starting point for SystemCallFilter=.',
    typicallyNeededBy: ['most long-running system services'],
  },
  '@timer': {
    description: 'Arming and querying timers and alarms (POSIX timers, timerfd, interval timers).',
    typicallyNeededBy: ['event loops', 'most daemons'],
  },
  '@known': {
    description:
      'Every system call name in the kernel list that systemd was built with, plus the @obsolete group; allowing only these makes calls added to the kernel later fail.',
    typicallyNeededBy: ['allow-lists that should permit everything existing but nothing newer than the build'],
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = {
    systemd: {},
    libseccomp: {},
    out: resolve(here, '..', 'server', 'data'),
    check: false,
    sources: process.env.VOCAB_SOURCES || '/tmp/vocab-src',
    git: DEFAULT_GIT,
    skipped: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--systemd' || a === '--libseccomp') {
      const v = next();
      const eq = v.indexOf('=');
      if (eq < 0) throw new Error(`${a} expects KEY=DIR, got ${v}`);
      opts[a.slice(2)][v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a === '--out') opts.out = resolve(next());
    else if (a === '--sources') opts.sources = resolve(next());
    else if (a === '--git') opts.git = resolve(next());
    else if (a === '--check') opts.check = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('//'))
          .map((l) => l.slice(3))
          .join('\n') + '\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const [v, ref] of RELEASES)
    if (ref.source === 'debian')
      opts.systemd[v] ??=
        process.env[`SYSTEMD_SRC_${v}`] ||
        DEFAULT_TREES[v] ||
        [opts.sources, ...EXTRA_SOURCES].map((d) => join(d, `systemd-${ref.package}`)).find((d) => existsSync(d)) ||
        join(opts.sources, `systemd-${ref.package}`);
  for (const s of SUITES)
    opts.libseccomp[s] ??=
      process.env[`LIBSECCOMP_SRC_${s.toUpperCase()}`] || join(opts.sources, DEFAULT_LIBSECCOMP[s]);
  return opts;
}

/** "DIR" or "DIR@VERSION" -> { dir, version } (version from debian/changelog when not given). */
function sourceTree(spec, what) {
  let dir = spec;
  let version;
  const at = spec.lastIndexOf('@');
  if (at > 0 && !existsSync(spec)) {
    dir = spec.slice(0, at);
    version = spec.slice(at + 1);
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`${what}: ${dir} is not a directory (see the header of this script for how to get the sources)`);
  const changelog = join(dir, 'debian', 'changelog');
  let debianVersion;
  if (existsSync(changelog)) {
    const m = /^\S+ \(([^)]+)\)/.exec(readFileSync(changelog, 'utf8'));
    if (m) debianVersion = m[1];
  }
  if (version && debianVersion && version !== debianVersion)
    throw new Error(`${what}: ${dir} is ${debianVersion} according to debian/changelog, not ${version}`);
  version ??= debianVersion;
  if (!version) throw new Error(`${what}: ${dir} has no debian/changelog; append @VERSION to the path`);
  return { dir, version, patched: Boolean(debianVersion) };
}

// ---------------------------------------------------------------------------------------------------------------
// A small C lexer: enough for the designated-initializer table of string literals in seccomp-util.c.

/** Removes comments, keeping string and character literals intact; keeps newlines so preprocessor lines survive. */
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length;) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      out += src.slice(i, end + 2).replace(/[^\n]/g, ' ');
      i = end + 2;
    } else if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const C_ESCAPES = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '?': '?',
};

function unescapeC(body) {
  return body.replace(/\\([0-7]{1,3}|x[0-9a-fA-F]+|.)/g, (_, e) => {
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e in C_ESCAPES) return C_ESCAPES[e];
    throw new Error(`unknown escape \\${e}`);
  });
}

/** Index of the brace that closes the one at `open`, skipping string literals. */
function matchingBrace(src, open) {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      i++;
      while (src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error('unbalanced braces');
}

function findFile(root, name) {
  const stack = [root];
  const hits = [];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'test' && e.name !== '.pc') stack.push(join(d, e.name));
      } else if (name === null || e.name === name) hits.push(join(d, e.name));
    }
  }
  return hits;
}

/**
 * A systemd source: an unpacked tree (`dirSource`) or a tag of a git clone (`gitSource`). Both read files by their
 * path relative to the top of the tree and list the paths under src/.
 */
export function dirSource(root) {
  return {
    label: root,
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    has: (rel) => existsSync(join(root, rel)),
    srcFiles: () => findFile(join(root, 'src'), null).map((f) => relative(root, f)),
  };
}

export function gitSource(gitDir, tag) {
  const git = (...args) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  let files;
  return {
    label: `${gitDir} ${tag}`,
    read: (rel) => git('show', `${tag}:${rel}`),
    has: (rel) => (files ??= git('ls-tree', '-r', '--name-only', tag).split('\n')).includes(rel),
    srcFiles: () =>
      (files ??= git('ls-tree', '-r', '--name-only', tag).split('\n')).filter(
        (f) => f.startsWith('src/') && !f.split('/').includes('test'),
      ),
  };
}

/**
 * The lines systemd's build turns into the body of @known: src/basic/syscall-list.txt (248+; under src/include in
 * 258+) or src/shared/syscall-names.text (247). generate-syscall-list.py of 247–252 skips s390_* and arm_* names on
 * other machines; the x86_64 build is the one described here.
 */
function knownList(source) {
  const lists = source.srcFiles().filter((f) => /\/syscall-(list\.txt|names\.text)$/.test(f));
  if (lists.length !== 1) throw new Error(`${source.label}: expected exactly one syscall list, found ${lists.length}`);
  const script = source.srcFiles().find((f) => f.endsWith('/generate-syscall-list.py'));
  const skipsOtherArchs = script !== undefined && /s390/.test(source.read(script));
  const names = [];
  for (const l of source.read(lists[0]).split('\n')) {
    const t = l.trim();
    if (!t) continue;
    if (skipsOtherArchs && (t.startsWith('s390_') || t.startsWith('arm_'))) continue;
    names.push(t);
  }
  return { file: lists[0], names };
}

/**
 * Whether a conditional inside a group's member list holds on x86_64 (the build this file describes). Older tables
 * (239–251) guard a few members: s390-only calls (`#ifdef __NR_s390_…`, `#if defined __s390__ || …`) and statx
 * (`#ifdef __NR_statx`, defined by the x86_64 kernel headers since Linux 4.11).
 */
function x86Condition(line, where) {
  if (/s390/.test(line)) return false;
  const nr = /^#\s*ifdef\s+__NR_([a-z0-9_]+)\s*$/.exec(line);
  if (nr && nr[1] === 'statx') return true;
  throw new Error(`${where}: unsupported conditional inside a group: ${line}`);
}

/** Parses syscall_filter_sets[] of one systemd source. Returns the groups in the order systemd prints them. */
export function parseSystemdGroups(source) {
  if (typeof source === 'string') source = dirSource(source);
  const header = stripComments(source.read('src/shared/seccomp-util.h'));
  const enumMatch = /enum\s*\{([^}]*SYSCALL_FILTER_SET_DEFAULT[^}]*)\}/.exec(header);
  if (!enumMatch) throw new Error(`${source.label}: enum of SYSCALL_FILTER_SET_* not found`);
  const order = enumMatch[1]
    .split(',')
    .map((s) => s.trim().replace(/\s*=.*$/, ''))
    .filter((s) => s && s !== '_SYSCALL_FILTER_SET_MAX');
  for (const o of order)
    if (!/^SYSCALL_FILTER_SET_[A-Z0-9_]+$/.test(o)) throw new Error(`${source.label}: odd enum entry ${o}`);

  const srcPath = 'src/shared/seccomp-util.c';
  const src = stripComments(source.read(srcPath));
  const start = src.search(/\bconst\s+SyscallFilterSet\s+syscall_filter_sets\s*\[[^\]]*\]\s*=\s*\{/);
  if (start < 0) throw new Error(`${srcPath}: syscall_filter_sets[] not found`);
  const open = src.indexOf('{', start);
  const table = src.slice(open + 1, matchingBrace(src, open));
  let known = null;
  const blocks = new Map();
  const entryRe = /\[\s*(SYSCALL_FILTER_SET_[A-Z0-9_]+)\s*\]\s*=\s*\{/g;
  let m;
  while ((m = entryRe.exec(table))) {
    const bOpen = m.index + m[0].length - 1;
    const bClose = matchingBrace(table, bOpen);
    const body = table.slice(bOpen + 1, bClose);
    entryRe.lastIndex = bClose + 1;
    if (blocks.has(m[1])) throw new Error(`${srcPath}: ${m[1]} defined twice`);

    const name = /\.name\s*=\s*"([^"]*)"/.exec(body)?.[1];
    const valueAt = body.search(/\.value\s*=/);
    if (!name || valueAt < 0) throw new Error(`${srcPath}: ${m[1]} lacks .name or .value`);
    let value = '';
    const rest = body.slice(valueAt).replace(/^\.value\s*=/, '');
    const active = []; // one boolean per open #if: whether its lines are compiled on x86_64
    for (const line of rest.split('\n')) {
      const t = line.trim();
      if (!t) continue;
      if (/^#\s*(if|ifdef|ifndef)\b/.test(t)) {
        active.push(x86Condition(t, srcPath));
        continue;
      }
      if (/^#\s*endif\b/.test(t)) {
        if (!active.length) throw new Error(`${srcPath}: #endif without #if in ${m[1]}`);
        active.pop();
        continue;
      }
      if (active.includes(false)) continue;
      if (t.startsWith('#')) {
        const inc = /^#\s*include\s+"(syscall-list\.(?:h|inc))"$/.exec(t);
        if (!inc) throw new Error(`${srcPath}: unsupported preprocessor line inside ${m[1]}: ${t}`);
        // generate-syscall-list.py: every line of the list, stripped, becomes "NAME\0".
        known ??= knownList(source);
        for (const n of known.names) value += n + '\0';
        continue;
      }
      let pos = 0;
      const lit = /\s*"((?:[^"\\]|\\.)*)"\s*/y;
      while (pos < t.length) {
        lit.lastIndex = pos;
        const s = lit.exec(t);
        if (!s) {
          if (/^,?\s*$/.test(t.slice(pos))) break;
          throw new Error(`${srcPath}: unexpected text in ${m[1]}: ${t.slice(pos)}`);
        }
        value += unescapeC(s[1]);
        pos = lit.lastIndex;
      }
    }
    // NULSTR: the list ends at the first empty string.
    const members = [];
    for (const item of value.split('\0')) {
      if (item === '') break;
      members.push(item);
    }
    blocks.set(m[1], { name, members });
  }
  for (const o of order) if (!blocks.has(o)) throw new Error(`${srcPath}: no table entry for ${o}`);
  for (const k of blocks.keys()) if (!order.includes(k)) throw new Error(`${srcPath}: ${k} is not in the enum`);
  return {
    groups: order.map((o) => blocks.get(o)),
    files: [srcPath, 'src/shared/seccomp-util.h', ...(known ? [known.file] : [])],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// libseccomp

/** x86_64 column of src/syscalls.csv: name -> number, only for calls that exist on x86_64. */
export function parseSeccompCsv(csvPath) {
  const lines = readFileSync(csvPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const head = lines[0];
  if (!head.startsWith('#syscall')) throw new Error(`${csvPath}: unexpected header`);
  const cols = head.split(',');
  const col = cols.indexOf('x86_64');
  if (col < 0) throw new Error(`${csvPath}: no x86_64 column`);
  const kernel = /\((v[^)]*)\)/.exec(cols[0])?.[1] ?? null;
  const numbers = {};
  const anyArch = new Set();
  let total = 0;
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    const f = line.split(',');
    if (f.length !== cols.length) throw new Error(`${csvPath}: wrong column count: ${line}`);
    total++;
    if (anyArch.has(f[0])) throw new Error(`${csvPath}: ${f[0]} listed twice`);
    anyArch.add(f[0]);
    const v = f[col];
    if (v === 'PNR') continue;
    if (!/^\d+$/.test(v)) throw new Error(`${csvPath}: odd x86_64 value ${v} for ${f[0]}`);
    numbers[f[0]] = Number(v);
  }
  return { kernel, numbers, total, anyArch: [...anyArch].sort() };
}

// ---------------------------------------------------------------------------------------------------------------

/** The committed file, or null. */
function readCommitted(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/** Where the groups of release `v` are read from: { source, version } or { missing: why }. */
function releaseSource(opts, v, ref) {
  if (ref.source === 'systemd-stable') {
    if (!existsSync(opts.git)) return { missing: `no systemd-stable clone at ${opts.git} (--git)` };
    return { source: gitSource(opts.git, ref.tag), version: ref.tag.replace(/^v/, '') };
  }
  let tree;
  try {
    tree = sourceTree(opts.systemd[v], `systemd ${v}`);
  } catch (e) {
    return { missing: e.message };
  }
  if (tree.version !== ref.package) return { missing: `${tree.dir} is systemd ${tree.version}, not ${ref.package}` };
  return { source: dirSource(tree.dir), version: tree.version };
}

function build(opts) {
  const groupsOut = {
    $schema: './schemas/syscall-groups.schema.json',
    header: {
      description:
        'System-call groups (SystemCallFilter=@name) of each systemd release 239–262 (the reference build of server/data/assessors.json), in the order `systemd-analyze syscall-filter` prints them, with every member (nested groups as "@name") in the order systemd lists it, as built for x86_64.',
      generatedBy: 'scripts/gen-syscalls.mjs',
      source:
        'syscall_filter_sets[] in src/shared/seccomp-util.c, ordered by the SYSCALL_FILTER_SET_* enum in src/shared/seccomp-util.h; @known (247+) is the build-time expansion of syscall-list.txt or syscall-names.text (one "NAME\\0" per line, as generate-syscall-list.py does; before 253 it skips s390_ and arm_ names on x86_64); members under #ifdef are kept as the x86_64 build compiles them. Debian releases (247, 252, 254, 257, 262) from Debian source packages unpacked with dpkg-source -x, so Debian patches are applied (none of them touch these files); the others from their systemd-stable tag (git show). 258–261: no source here; the groups of 257 stand in (field assumed).',
      verifiedBy:
        'test/conformance/syscall-filter.test.ts compares every group and member list with the output of the real systemd-analyze syscall-filter of 252 (252.39-1~deb12u2 system binary), 254.26-1~bpo12+1, 257.13-1~deb13u1 and 262.1-1 (oracle wrappers). The 262 data comes from the 262-1 source because the 262.1-1 source files could not be downloaded; the groups match the 262.1-1 binary exactly. The other releases are read from source, not verified by a binary here, except through the scores: the stored 239, 247, 249 (manager) and 255 (offline) answers of test/conformance/stored-oracles.test.ts, corpus and random drop-in mixes, agree with the engine that uses these groups.',
      descriptions: 'description and typicallyNeededBy are hand-written notes of this project.',
    },
    versions: {},
  };

  const committed = readCommitted(join(opts.out, 'syscall-groups.json'));
  for (const [v, ref] of RELEASES) {
    if (ref.source === 'none') {
      const from = groupsOut.versions[ASSUMED_FROM];
      groupsOut.versions[v] = {
        systemd: from.systemd,
        assumed: `no source for ${v} here: the groups of ${ASSUMED_FROM} (${from.systemd}), unverified`,
        sourceFiles: from.sourceFiles,
        groups: from.groups,
      };
      continue;
    }
    const found = releaseSource(opts, v, ref);
    if (found.missing) {
      const kept = committed?.versions?.[v];
      if (!kept) throw new Error(`systemd ${v}: ${found.missing}, and the committed file has no groups for it`);
      opts.skipped.push(`systemd ${v}: ${found.missing}; kept the committed groups (${kept.systemd})`);
      groupsOut.versions[v] = kept;
      continue;
    }
    const { groups, files } = parseSystemdGroups(found.source);
    groupsOut.versions[v] = {
      systemd: found.version,
      sourceFiles: files,
      groups: groups.map((g) => {
        const notes = GROUP_NOTES[g.name];
        if (!notes) throw new Error(`no hand-written description for ${g.name} (new in ${v}?): add it to GROUP_NOTES`);
        return {
          name: g.name,
          description: notes.description,
          typicallyNeededBy: notes.typicallyNeededBy,
          members: g.members,
        };
      }),
    };
  }

  const seccompOut = {
    $schema: './schemas/seccomp-x86_64.schema.json',
    header: {
      description:
        'System-call names that libseccomp resolves to a real system-call number on x86_64 (seccomp_syscall_resolve_name() >= 0), per libseccomp build (names, numbers); anyArchNames lists every name in the table whatever its architecture. systemd drops names that do not resolve when it parses SystemCallFilter=, and systemd-analyze security skips them when it looks for an offending group member.',
      generatedBy: 'scripts/gen-syscalls.mjs',
      source:
        'The x86_64 column of libseccomp src/syscalls.csv ("PNR" = not a real call on x86_64); the library builds its lookup table (gperf) from this file. Debian source unpacked with dpkg-source -x, so Debian patches are applied: bookworm 2.5.4-1+deb12u1 carries the upstream update of the table to Linux v6.7-rc3. Sid 2.6.1: the Debian source was not downloadable here, so the upstream v2.6.1 tag was used.',
      verifiedBy:
        "scripts/seccomp-resolve.c, linked against the real libraries (bookworm libseccomp2 2.5.4-1+deb12u1 from the system; trixie 2.6.0-2 and sid 2.6.1-1+b2 unpacked from their .debs and put first on the library path; trixie's also run through the 257 oracle's own trixie loader and C library, sid's through the 262 oracle's sid loader and C library): every name of every csv and every group member was resolved, and the set of non-negative answers equals each list exactly, with the same numbers; --all (number -> name) agrees too. test/conformance/syscall-filter.test.ts repeats this for whichever of these libraries it can find.",
      targets:
        "targets[V].distribution is the libseccomp that systemd V gets on the Debian suite that ships it. targets[V].oracle is the one the oracle binary loads on the development machine: systemd 258+ dlopen()s libseccomp, and the 262 oracle wrapper unpacks no libseccomp, so it falls back to the host's (bookworm 2.5.4). The corpus answers for 262 were therefore made with the 2.5.4 table. Releases 239–251, 253, 255 and 256 use the bookworm table for both: it is the library the 239, 249 and 255 oracles built here link; the 247 oracle (Debian 11's binary) runs bullseye's 2.5.1, and RHEL 8 (2.5.2), Ubuntu 22.04 (2.5.3) and 24.04 (2.5.5) ship builds this file does not hold. 258–261 use 257's (trixie).",
    },
    libseccomp: {},
    targets: {},
  };

  const buildKey = {};
  const committedSeccomp = readCommitted(join(opts.out, 'seccomp-x86_64.json'));
  for (const s of SUITES) {
    let tree;
    try {
      tree = sourceTree(opts.libseccomp[s], `libseccomp ${s}`);
    } catch (e) {
      const kept = Object.entries(committedSeccomp?.libseccomp ?? {}).find(([, b]) => b.suite === s);
      if (!kept) throw e;
      opts.skipped.push(`libseccomp ${s}: ${e.message}; kept the committed table (${kept[0]})`);
      buildKey[s] = kept[0];
      seccompOut.libseccomp[kept[0]] = kept[1];
      continue;
    }
    const csv = join(tree.dir, 'src', 'syscalls.csv');
    const { kernel, numbers, total, anyArch } = parseSeccompCsv(csv);
    const names = Object.keys(numbers).sort();
    const sortedNumbers = Object.fromEntries(names.map((n) => [n, numbers[n]]));
    buildKey[s] = tree.version;
    seccompOut.libseccomp[tree.version] = {
      upstream: tree.version.replace(/-[^-]*$/, ''),
      suite: s,
      distribution: SUITE_DISTRO[s],
      source: tree.patched ? 'Debian source package, patches applied' : 'upstream tag (Debian source not available)',
      tableKernel: kernel,
      csvEntries: total,
      names,
      numbers: sortedNumbers,
      anyArchNames: anyArch,
    };
  }
  for (const [v] of RELEASES) {
    seccompOut.targets[v] = {
      distribution: buildKey[TARGET_SUITE[v] ?? 'bookworm'],
      oracle: buildKey[ORACLE_SUITE[v] ?? 'bookworm'],
    };
  }
  return { groupsOut, seccompOut };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { groupsOut, seccompOut } = build(opts);
  const outputs = [
    [join(opts.out, 'syscall-groups.json'), groupsOut],
    [join(opts.out, 'seccomp-x86_64.json'), seccompOut],
  ];
  let drift = false;
  for (const [file, data] of outputs) {
    const text = JSON.stringify(data, null, 2) + '\n';
    if (opts.check) {
      const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (old !== text) {
        drift = true;
        process.stderr.write(`${file} differs from what the sources give\n`);
      }
    } else {
      writeFileSync(file, text);
      process.stderr.write(`wrote ${file}\n`);
    }
  }
  for (const [v, g] of Object.entries(groupsOut.versions))
    process.stderr.write(`systemd ${v} (${g.systemd}${g.assumed ? ', assumed' : ''}): ${g.groups.length} groups\n`);
  for (const line of opts.skipped) process.stderr.write(`SKIPPED ${line}\n`);
  for (const [v, b] of Object.entries(seccompOut.libseccomp))
    process.stderr.write(`libseccomp ${v}: ${b.names.length} x86_64 names\n`);
  if (drift) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`gen-syscalls: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
