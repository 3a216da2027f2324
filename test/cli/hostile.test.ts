/**
 * The built CLI on disks that would make a naive reader hang or grow without bound: FIFOs wherever a
 * file is read, links to endless devices and kernel files, folder link loops, oversized units. Each
 * run is a child process with a generous timeout; it must end with the documented exit code and a
 * message naming the file and the reason, and score whatever could be read.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_FILE_BYTES, MAX_UNIT_BYTES } from '../../server/src/io/read-file';
import { cliIn, writeUnder, type CliRun } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'sh-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const UNIT = '[Service]\nExecStart=/bin/true\n';
const TIMEOUT = 20_000;

function run(cwd: string, ...args: string[]): CliRun {
  const r = cliIn(cwd, args, TIMEOUT);
  assert.equal(r.timedOut, false, `${args.join(' ')}: still running after ${TIMEOUT / 1000} s`);
  return r;
}

function fifo(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  execFileSync('mkfifo', [path]);
  return path;
}

/** One row per scored unit: [file, unit]. */
function rows(r: CliRun): Array<[string, string]> {
  return (JSON.parse(r.stdout) as Array<{ file: string; unit: string }>).map((x) => [x.file, x.unit]);
}

interface Case {
  what: string;
  setup: (dir: string) => void;
  args: string[];
  status: number;
  stderr: RegExp | null;
  scored: Array<[string, string]>;
}

const CASES: Case[] = [
  {
    what: 'a FIFO as the unit',
    setup: (d) => fifo(join(d, 'u.service')),
    args: ['score', '--format', 'json', 'u.service'],
    status: 2,
    stderr: /cannot read u\.service: a FIFO, not a regular file/,
    scored: [],
  },
  {
    what: 'a FIFO beside the unit (never read) and in a scored folder',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      fifo(join(d, 'zz.service'));
      fifo(join(d, 'notes.txt'));
    },
    args: ['score', '--format', 'json', 'u.service', '.'],
    status: 2,
    stderr: /cannot read zz\.service: a FIFO, not a regular file/,
    scored: [
      ['u.service', 'u.service'],
      ['u.service', 'u.service'],
    ],
  },
  {
    what: 'a FIFO in NAME.d/',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      writeUnder(d, 'u.service.d/10-ok.conf', '[Service]\nPrivateNetwork=yes\n');
      fifo(join(d, 'u.service.d/20-fifo.conf'));
    },
    args: ['score', '--format', 'json', 'u.service'],
    status: 2,
    stderr:
      /cannot read drop-in u\.service\.d\/20-fifo\.conf: a FIFO, not a regular file \(the unit is analysed without it\)/,
    scored: [['u.service', 'u.service']],
  },
  {
    what: 'a FIFO in service.d/ (reported once, though two checked files read it)',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      fifo(join(d, 'service.d/fifo.conf'));
    },
    args: ['check', '--format', 'json', '.'],
    status: 2,
    stderr: /^systemd-hardening: cannot read service\.d\/fifo\.conf: a FIFO, not a regular file\n$/,
    scored: [],
  },
  {
    what: 'a FIFO under --root, as a unit and as a drop-in',
    setup: (d) => {
      writeUnder(d, 'r/etc/systemd/system/u.service', UNIT);
      fifo(join(d, 'r/etc/systemd/system/u.service.d/fifo.conf'));
      fifo(join(d, 'r/lib/systemd/system/f.service'));
    },
    args: ['score', '--format', 'json', '--root', 'r', 'f.service', 'u.service'],
    status: 2,
    stderr:
      /cannot read r\/lib\/systemd\/system\/f\.service: a FIFO[^\n]*\n[^\n]*cannot read drop-in r\/etc\/systemd\/system\/u\.service\.d\/fifo\.conf: a FIFO/,
    scored: [['/etc/systemd/system/u.service', 'u.service']],
  },
  {
    what: 'a FIFO as --policy',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      fifo(join(d, 'policy.json'));
    },
    args: ['score', '--policy', 'policy.json', 'u.service'],
    status: 2,
    stderr: /cannot read policy policy\.json: a FIFO, not a regular file/,
    scored: [],
  },
  ...['/dev/zero', '/dev/urandom', '/proc/kmsg'].map((target): Case => ({
    what: `a drop-in linked to ${target}`,
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      mkdirSync(join(d, 'u.service.d'));
      symlinkSync(target, join(d, 'u.service.d/x.conf'));
    },
    args: ['score', '--format', 'json', 'u.service'],
    status: 2,
    stderr: /cannot read drop-in u\.service\.d\/x\.conf: (a character device, not a regular file|a kernel file)/,
    scored: [['u.service', 'u.service']],
  })),
  {
    what: 'a unit linked to /proc/kmsg, checked',
    setup: (d) => symlinkSync('/proc/kmsg', join(d, 'k.service')),
    args: ['check', 'k.service'],
    status: 2,
    stderr: /cannot read k\.service: (a kernel file|a character device|no such file)/,
    scored: [],
  },
  {
    what: 'a folder with a -> . and b -> .',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      symlinkSync('.', join(d, 'a'));
      symlinkSync('.', join(d, 'b'));
    },
    args: ['score', '--format', 'json', '.'],
    status: 0,
    stderr: null,
    scored: [['u.service', 'u.service']],
  },
  {
    what: 'a sparse drop-in of 1 GiB',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      const p = writeUnder(d, 'u.service.d/huge.conf', '');
      truncateSync(p, 1 << 30);
    },
    args: ['score', '--format', 'json', 'u.service'],
    status: 2,
    stderr: /cannot read drop-in u\.service\.d\/huge\.conf: 1024 MiB: over the 4 MiB this tool reads from one file/,
    scored: [['u.service', 'u.service']],
  },
  {
    what: 'drop-ins that together pass the per-unit limit',
    setup: (d) => {
      writeUnder(d, 'u.service', UNIT);
      const big = Buffer.alloc(MAX_FILE_BYTES - 16, '#'.charCodeAt(0));
      for (let i = 1; i * (MAX_FILE_BYTES - 16) <= MAX_UNIT_BYTES + MAX_FILE_BYTES; i++)
        writeFileSync(writeUnder(d, `u.service.d/${i}.conf`, ''), big);
    },
    args: ['score', '--format', 'json', 'u.service'],
    status: 2,
    stderr: /cannot read drop-in u\.service\.d\/3\.conf: over the 8 MiB this tool reads for one unit/,
    scored: [['u.service', 'u.service']],
  },
];

for (const c of CASES) {
  test(`hostile disk: ${c.what}`, () => {
    const dir = mkdtempSync(join(tmp, 'case-'));
    c.setup(dir);
    const r = run(dir, ...c.args);
    assert.equal(r.status, c.status, `${c.args.join(' ')}\n${r.stderr}`);
    if (c.stderr) assert.match(r.stderr, c.stderr);
    else assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    if (c.args.includes('json') && c.args[0] === 'score') assert.deepEqual(rows(r), c.scored);
  });
}
