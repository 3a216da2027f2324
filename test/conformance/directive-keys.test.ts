/**
 * The keys server/data/directives.json gives each version, against the `Section.Key` words of that version's
 * real PID 1: systemd looks keys up in a gperf table compiled into `systemd` (before 252) or
 * `libsystemd-core-N.so` (from 252), whose word list holds every key verbatim. A version whose PID 1 is not
 * on this machine is skipped with the reason (CI has the Debian packages of 252, 254, 257 and 262; 239, 247,
 * 249 and 255 come from ../shared/oracles' builds, SYSTEMD_ORACLES_DIR).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allSections, directivesIn, VERSIONS } from '../../server/src/knowledge/directives';
import { oraclesDir } from '../oracle';

/**
 * Where each version's PID 1 keeps its table: the oracle builds (bin/systemd, lib/), the unpacked Debian
 * packages (root/), and the host's own systemd.
 */
function pid1Candidates(v: number): string[] {
  const d = join(oraclesDir(), String(v));
  const core = `libsystemd-core-${v}.so`;
  return [
    join(d, 'lib', core),
    join(d, 'root', 'usr', 'lib', 'x86_64-linux-gnu', 'systemd', core),
    join(d, 'root', 'usr', 'lib', 'systemd', core),
    join(d, 'root', 'lib', 'x86_64-linux-gnu', 'systemd', core),
    join(d, 'bin', 'systemd'),
    join(d, 'root', 'lib', 'systemd', 'systemd'),
    join('/usr/lib/x86_64-linux-gnu/systemd', core),
    join('/usr/lib/systemd', core),
  ];
}

const KEY = /^(Unit|Service|Socket|Mount|Swap|Timer|Path|Slice|Scope|Automount|Install)\.[A-Za-z0-9]+$/;

/** The `Section.Key` strings of a binary: its runs of printable bytes (as strings(1) finds them) that are keys. */
function binaryKeys(file: string): Set<string> {
  const text = readFileSync(file).toString('latin1');
  const out = new Set<string>();
  for (const run of text.split(/[^\x20-\x7e]+/)) if (KEY.test(run)) out.add(run);
  return out;
}

function dataKeys(v: number): Set<string> {
  const out = new Set<string>();
  for (const s of allSections()) for (const d of directivesIn(s, v)) out.add(`${s}.${d.name}`);
  return out;
}

/**
 * Known differences, each with its reason; one that no longer happens fails too. 262's facts are kept from
 * Debian's 262-1 source (gen-directives.mjs), while the oracle is the 262.1-1 package.
 */
const KNOWN: Record<number, { onlyInBinary: string[]; why: string }> = {
  262: {
    onlyInBinary: [
      'Service.StandardErrorFileDescriptor',
      'Service.StandardInputFileDescriptor',
      'Service.StandardOutputFileDescriptor',
    ],
    why: "the oracle is 262.1-1; the data's 262 is the 262-1 source, which is no longer here to check them against",
  },
};

for (const v of VERSIONS) {
  test(`directive keys: the data's keys of ${v} are its PID 1's`, (t) => {
    const file = pid1Candidates(v).find((f) => existsSync(f));
    if (!file) {
      t.skip(`no PID 1 of systemd ${v} here (looked for ${pid1Candidates(v)[0]} and the like)`);
      return;
    }
    const bin = binaryKeys(file);
    const data = dataKeys(v);
    assert.ok(bin.size > 800, `${file}: only ${bin.size} keys found: not a PID 1 table`);
    const onlyInBinary = [...bin].filter((k) => !data.has(k)).sort();
    const onlyInData = [...data].filter((k) => !bin.has(k)).sort();
    assert.deepEqual(
      { onlyInBinary, onlyInData },
      { onlyInBinary: KNOWN[v]?.onlyInBinary ?? [], onlyInData: [] },
      `${v} (${file})${KNOWN[v] ? `: ${KNOWN[v].why}` : ''}`,
    );
  });
}
