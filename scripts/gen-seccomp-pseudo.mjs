#!/usr/bin/env node
// Regenerates server/data/seccomp-pseudo-x86_64.json: the system-call names libseccomp knows but
// that are not real calls on x86_64 (its syscalls.csv has "PNR" in the x86_64 column). For these,
// seccomp_syscall_resolve_name() returns a negative pseudo number rather than __NR_SCMP_ERROR, so
// systemd keeps them in SystemCallFilter= silently (no "unknown system call" warning) and they make
// a deny-list non-empty, although they never match a group member.
//
// Usage: node scripts/gen-seccomp-pseudo.mjs [LIBSECCOMP_SRC_ROOT]   (default /tmp/vocab-src/libseccomp)
// Expects libseccomp-2.5.4 (Debian bookworm tree, patches applied), libseccomp-2.6.0, libseccomp-2.6.1
// below the root; see scripts/gen-syscalls.mjs for how to fetch them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? '/tmp/vocab-src/libseccomp';
const builds = { '2.5.4-1+deb12u1': 'libseccomp-2.5.4', '2.6.0-2': 'libseccomp-2.6.0', '2.6.1-1': 'libseccomp-2.6.1' };
const out = {};
for (const [version, dir] of Object.entries(builds)) {
  const lines = readFileSync(join(root, dir, 'src', 'syscalls.csv'), 'utf8').split('\n');
  const header = lines[0].replace(/^#/, '').split(',');
  const col = header.indexOf('x86_64');
  if (col < 0) throw new Error(`no x86_64 column in ${dir}`);
  const names = [];
  for (const l of lines.slice(1)) {
    if (!l || l.startsWith('#')) continue;
    const f = l.split(',');
    if (f[col] === 'PNR') names.push(f[0]);
  }
  out[version] = { table: header[0].trim(), names: names.sort() };
}
const data = {
  $schema: './schemas/seccomp-pseudo-x86_64.schema.json',
  header: {
    description:
      'System-call names libseccomp knows that are not real calls on x86_64 ("PNR" in the x86_64 column of src/syscalls.csv): seccomp_syscall_resolve_name() gives a negative pseudo number for them, not __NR_SCMP_ERROR.',
    generatedBy: 'scripts/gen-seccomp-pseudo.mjs',
    source:
      'The x86_64 column of libseccomp src/syscalls.csv of each build (the same unpacked sources as server/data/seccomp-x86_64.json).',
    keys: 'the libseccomp builds of server/data/seccomp-x86_64.json',
  },
  libseccomp: out,
};
writeFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'data', 'seccomp-pseudo-x86_64.json'),
  JSON.stringify(data, null, 1) + '\n',
);
for (const [v, d] of Object.entries(out)) console.log(v, d.names.length);
