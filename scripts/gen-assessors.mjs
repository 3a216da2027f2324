#!/usr/bin/env node
// Regenerates server/data/assessors.json: the checks of `systemd-analyze security` for each target
// version, read from security_assessor_table[] in that version's src/analyze/analyze-security.c.
//
// Usage: node scripts/gen-assessors.mjs [--check] [SRC_ROOT]
//   SRC_ROOT holds unpacked systemd source trees (default /tmp/vocab-src), one per version, named
//   systemd-252.39-1~deb12u2, systemd-254.26-1~bpo12+1, systemd-257.13-1~deb13u1, systemd-262-1
//   (see scripts/gen-syscalls.mjs for how to fetch them with apt-get source). Debian's patches do
//   not touch analyze-security.c, so plain upstream trees give the same result.
//   --check: exit 1 when the file on disk differs from what the sources give.
//
// The table is C; each entry is `{ .field = value, ... }`. Values used: string literals, integers,
// `UINT64_C(1) << CAP_X` masks joined with `|`, CLONE_NEW* flags, SYSCALL_FILTER_SET_* indexes,
// `true` (assess_bool's "invert"), and offsetof(SecurityInfo, field).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const root = args.find((a) => !a.startsWith('--')) ?? '/tmp/vocab-src';
const out = join(here, '..', 'server', 'data', 'assessors.json');

// Capability numbers and clone flags come from the vocabulary data (kernel headers, see gen-vocabulary.mjs).
const dataDir = join(here, '..', 'server', 'data');
const CAPS = new Map(
  JSON.parse(readFileSync(join(dataDir, 'capabilities.json'), 'utf8')).capabilities.map((c) => [c.name, c.number]),
);
const NAMESPACES = new Map(
  JSON.parse(readFileSync(join(dataDir, 'namespaces.json'), 'utf8')).types.map((t) => [t.cloneFlag, t.hex]),
);

const TARGETS = [
  { version: 252, systemd: '252.39-1~deb12u2', dir: 'systemd-252.39-1~deb12u2' },
  { version: 254, systemd: '254.26-1~bpo12+1', dir: 'systemd-254.26-1~bpo12+1' },
  { version: 257, systemd: '257.13-1~deb13u1', dir: 'systemd-257.13-1~deb13u1' },
  { version: 262, systemd: '262-1', dir: 'systemd-262-1' },
];

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
    json_field: cString(e.json_field),
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
  if (e.offset) params.field = /offsetof\(SecurityInfo,\s*(\w+)\)/.exec(e.offset)[1];
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

function tableOf(file) {
  const src = readFileSync(file, 'utf8');
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

const versions = {};
for (const t of TARGETS) {
  const file = join(root, t.dir, 'src', 'analyze', 'analyze-security.c');
  if (!existsSync(file)) throw new Error(`missing ${file} (see the header of this script)`);
  versions[t.version] = { systemd: t.systemd, checks: tableOf(file) };
}

const data = {
  $schema: './schemas/assessors.schema.json',
  header: {
    description:
      'The checks of `systemd-analyze security` per target systemd version, in table order: name (the id systemd prints), json_field, weight, range, descriptions, which assess_* function scores it (kind) and with what parameters.',
    generatedBy: 'scripts/gen-assessors.mjs',
    source:
      'security_assessor_table[] in src/analyze/analyze-security.c of each Debian systemd source package listed under versions[V].systemd',
    verifiedBy:
      'test/conformance/exposure.test.ts compares every check of every corpus unit (name, description, badness, weight, range, row order) with the real systemd-analyze security of each version.',
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
      system_call_filter: 'no filter 10; allow-list including a resolvable member 9; deny-list missing one 10; else 0',
      ip_address_allow: 'custom BPF 0; no deny-all 10; non-localhost allow 5; localhost allow 2; else 0',
      device_allow: 'closed/strict without entries 0, with entries 5, else 10',
    },
  },
  versions,
};

const text = JSON.stringify(data, null, 2) + '\n';
if (check) {
  const cur = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (cur !== text) {
    console.error('server/data/assessors.json is out of date; run node scripts/gen-assessors.mjs');
    process.exit(1);
  }
  console.log('assessors.json is up to date');
} else {
  writeFileSync(out, text);
  for (const [v, d] of Object.entries(versions)) console.log(`${v}: ${d.checks.length} checks`);
}
