/**
 * Drop-in resolution and merge order against the real systemd-analyze of each version: random trees of
 * unit files and drop-ins across the unit search path (same-named drop-ins masking each other, the
 * type-wide service.d/, template and dashed-prefix folders, a unit file shadowed by a higher-priority
 * copy). Each file sets ProtectSystem= and ProtectHome= to a value of its own, so the value systemd ends
 * up with tells which file it applied last; ours must be the same.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { lastAssignment } from '../../server/src/model/build';
import {
  analyzeUnit,
  dropinNames,
  FileSet,
  findDropins,
  findFragment,
  parseUnitName,
  systemSearchPath,
  type SourceFile,
} from '../../server/src/service';
import { rng } from '../fuzz/fuzz';
import { ORACLE_VERSIONS, oraclePath, runOracle } from '../oracle';
import { oracle, skipUnless } from '../requirements';

const SYSTEM_BADNESS: Record<string, number> = { no: 10, yes: 5, full: 3, strict: 0 };
const HOME_BADNESS: Record<string, number> = { no: 10, 'read-only': 5, tmpfs: 1, yes: 0 };
const NAMES = ['foo.service', 'foo-bar-baz.service', 'tpl@inst.service', 'a-b@c-d.service'];
const FILE_NAMES = ['10-a.conf', '20-b.conf', 'override.conf', 'zz.conf'];

interface Trial {
  name: string;
  files: SourceFile[];
}

function makeTrial(next: () => number, version: number): Trial {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const dirs = [
    '/etc/systemd/system',
    '/run/systemd/system',
    '/usr/local/lib/systemd/system',
    ...(version < 255 ? ['/lib/systemd/system'] : []),
    '/usr/lib/systemd/system',
  ];
  const name = pick(NAMES);
  const u = parseUnitName(name)!;
  const fragmentName = u.instance ? `${u.prefix}@.${u.type}` : name;
  const files = new Map<string, string>();
  const body = (): string => {
    const lines = ['[Service]'];
    if (next() < 0.8) lines.push(`ProtectSystem=${pick(Object.keys(SYSTEM_BADNESS))}`);
    if (next() < 0.8) lines.push(`ProtectHome=${pick(Object.keys(HOME_BADNESS))}`);
    return lines.join('\n') + '\n';
  };
  const fragDir = pick(dirs);
  files.set(join(fragDir, fragmentName), `[Service]\nExecStart=/bin/true\n${body().slice('[Service]\n'.length)}`);
  if (next() < 0.4)
    files.set(join(pick(dirs), fragmentName), `[Service]\nExecStart=/bin/true\nProtectSystem=no\nProtectHome=no\n`);
  const folders = [...dropinNames(name), 'service'];
  const count = 1 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) files.set(join(pick(dirs), `${pick(folders)}.d`, pick(FILE_NAMES)), body());
  return { name, files: [...files].map(([path, text]) => ({ path, text })) };
}

function ours(trial: Trial, version: 252 | 254 | 257 | 262): { system: number; home: number } {
  const set = new FileSet(trial.files.map((f) => f.path));
  const path = systemSearchPath(version);
  const fragment = findFragment(trial.name, set, path)!;
  const dropins = findDropins(trial.name, set, path);
  const byPath = new Map(trial.files.map((f) => [f.path, f.text]));
  const files = [fragment, ...dropins].map((p) => ({ path: p, text: byPath.get(p)! }));
  const { model } = analyzeUnit({ name: trial.name, files, version });
  return {
    system: SYSTEM_BADNESS[lastAssignment(model, 'Service', 'ProtectSystem')?.value ?? 'no']!,
    home: HOME_BADNESS[lastAssignment(model, 'Service', 'ProtectHome')?.value ?? 'no']!,
  };
}

function theirs(bin: string, trial: Trial, root: string, cwd: string): { system: number; home: number } | string {
  for (const f of trial.files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
  const r = runOracle(
    bin,
    ['security', '--offline=yes', '--no-pager', '--json=short', `--root=${root}`, trial.name],
    cwd,
  );
  if (r.status !== 0) return `exit ${r.status}: ${r.stderr.slice(0, 300)}`;
  const rows = JSON.parse(r.stdout) as { json_field: string; badness: number }[];
  const badness = (field: string): number => rows.find((x) => x.json_field === field)!.badness;
  return { system: badness('ProtectSystem'), home: badness('ProtectHome') };
}

for (const version of ORACLE_VERSIONS) {
  const bin = oraclePath(version);
  test(
    `drop-ins: merge order equals systemd ${version}'s on random trees`,
    { skip: skipUnless(oracle(version)), timeout: 300_000 },
    () => {
      const next = rng(version);
      const work = mkdtempSync(join(tmpdir(), `sh-dropins-${version}-`));
      const cwd = join(work, 'cwd');
      mkdirSync(cwd);
      process.env.SYSTEMD_ANALYZE_DEBUG = '1';
      const failures: string[] = [];
      try {
        for (let i = 0; i < 120; i++) {
          const trial = makeTrial(next, version);
          const root = join(work, `r${i}`);
          const got = theirs(bin!, trial, root, cwd);
          const want = ours(trial, version);
          if (typeof got === 'string' || got.system !== want.system || got.home !== want.home) {
            failures.push(
              `${trial.name}: systemd ${JSON.stringify(got)} ours ${JSON.stringify(want)}\n  ${trial.files.map((f) => `${f.path}: ${f.text.replace(/\n/g, ' ')}`).join('\n  ')}`,
            );
          }
          rmSync(root, { recursive: true, force: true });
        }
      } finally {
        delete process.env.SYSTEMD_ANALYZE_DEBUG;
        rmSync(work, { recursive: true, force: true });
      }
      assert.deepEqual(failures.slice(0, 5), []);
    },
  );
}
